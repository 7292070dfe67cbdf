package io.userbound.testkit.internal;

import io.userbound.testkit.PostgresOptions;
import io.userbound.testkit.PostgresUnavailableException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/*
 * The only class that touches Testcontainers. PostgresServers loads it only after finding the
 * Testcontainers classes, so the test kit works without them on the classpath. The container
 * is removed on close() (and by Testcontainers' reaper if the JVM dies); it has no lifecycle of
 * its own because a restarted container gets a new mapped port.
 */
final class DockerPostgresServer extends AbstractPostgresServer {
  private static final Logger LOG = LoggerFactory.getLogger(DockerPostgresServer.class);
  static final String IMAGE = "postgres:15-alpine";

  private final PostgreSQLContainer container;
  private final String host;
  private final int port;

  private DockerPostgresServer(String name, char[] password, PostgreSQLContainer container) {
    super(name, LocalPostgresServer.ADMIN_USER, password);
    this.container = container;
    this.host = container.getHost();
    this.port = container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT);
  }

  static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  static DockerPostgresServer create(PostgresOptions options) {
    if (!dockerAvailable()) {
      throw new PostgresUnavailableException(
          PostgresServers.installAdvice("source DOCKER was chosen but no Docker engine answers"));
    }
    long started = System.nanoTime();
    List<String> command = new ArrayList<>(List.of("postgres"));
    command.addAll(serverSettings(options.maxConnections(), options.settings()));
    char[] password = Passwords.random(24);
    PostgreSQLContainer container =
        new PostgreSQLContainer(DockerImageName.parse(IMAGE))
            .withUsername(LocalPostgresServer.ADMIN_USER)
            .withPassword(new String(password))
            .withDatabaseName("postgres")
            .withEnv("POSTGRES_HOST_AUTH_METHOD", "scram-sha-256")
            .withEnv(
                "POSTGRES_INITDB_ARGS", "--auth-host=scram-sha-256 --auth-local=scram-sha-256");
    container.setCommand(command.toArray(new String[0]));
    try {
      container.start();
      DockerPostgresServer server = new DockerPostgresServer(options.name(), password, container);
      LOG.info(
          "PostgreSQL '{}' started in container {} ({}) on {}:{} in {} ms",
          options.name(),
          container.getContainerId(),
          IMAGE,
          server.host,
          server.port,
          (System.nanoTime() - started) / 1_000_000);
      return server;
    } catch (RuntimeException e) {
      container.stop();
      throw new PostgresUnavailableException(
          "cannot start "
              + IMAGE
              + " for PostgreSQL server '"
              + options.name()
              + "' with Testcontainers: "
              + e.getMessage(),
          e);
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  @Override
  public String host() {
    return host;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  String maintenanceDatabase() {
    return "postgres";
  }

  @Override
  String urlParameters() {
    return isLoopback(host) ? "?sslmode=disable" : "";
  }

  @Override
  String kind() {
    return "docker";
  }

  @Override
  String noLifecycleReason() {
    return "it is a Testcontainers container";
  }

  @Override
  public boolean isRunning() {
    return !closed && container.isRunning();
  }

  /** Stops and removes the container. Never throws; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      container.stop();
      LOG.info("PostgreSQL '{}' closed (container removed)", name());
    } catch (RuntimeException e) {
      LOG.warn("PostgreSQL '{}': stopping the container failed: {}", name(), e.toString());
    }
  }
}
