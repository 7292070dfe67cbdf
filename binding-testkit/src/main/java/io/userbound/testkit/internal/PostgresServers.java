package io.userbound.testkit.internal;

import io.userbound.testkit.PostgresOptions;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.PostgresUnavailableException;
import io.userbound.testkit.Source;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.ServiceLoader;

/**
 * Chooses a source and starts a server; the entry point behind
 * {@link PostgresServer#start(PostgresOptions)}. Not API.
 *
 * <p>What stands in front of the server (the suites' PgBouncer) is a {@link ServerFront} found
 * with {@link ServiceLoader}: this side never names PgBouncer.
 *
 * <p>Thread-safe.
 */
public final class PostgresServers {
  private static final List<ServerFront> FRONTS =
      ServiceLoader.load(ServerFront.class, ServerFront.class.getClassLoader()).stream()
          .map(ServiceLoader.Provider::get)
          .toList();

  private PostgresServers() {}

  /**
   * Starts a server as the options say.
   *
   * @param options the options
   * @return a running server
   * @throws PostgresUnavailableException if no source can give a server
   */
  public static PostgresServer start(PostgresOptions options) {
    if (options == null) {
      throw new IllegalArgumentException("options must not be null");
    }
    Source source = chooseSource(options);
    if (source == Source.DOCKER && !testcontainersPresent()) {
      throw new PostgresUnavailableException(
          "source DOCKER was chosen but Testcontainers is"
              + " not on the classpath: add org.testcontainers:testcontainers-postgresql as a"
              + " test dependency, or choose another source");
    }
    PostgresServer server =
        switch (source) {
          case LOCAL -> LocalPostgresServer.create(options, PgBinaries.require());
          case EXTERNAL -> ExternalPostgresServer.connect(options);
          case DOCKER -> DockerPostgresServer.create(options);
          case AUTO -> throw new IllegalStateException("AUTO was not resolved");
        };
    OptionalInt version = PgVersion.requested();
    if (version.isPresent() && source != Source.LOCAL) {
      int major;
      try {
        major = server.majorVersion();
      } catch (RuntimeException e) {
        server.close();
        throw e;
      }
      if (major != version.getAsInt()) {
        server.close();
        throw new PostgresUnavailableException(
            "PostgreSQL "
                + version.getAsInt()
                + " was asked for ("
                + Env.describe(PgVersion.VERSION)
                + "), but the "
                + source
                + " server runs PostgreSQL "
                + major);
      }
    }
    for (ServerFront front : FRONTS) {
      server = front.front(server);
    }
    return server;
  }

  /**
   * The fronts found in {@code META-INF/services}, in the order they are applied.
   *
   * @return the fronts; the test kit registers one, {@code PgBouncers}
   */
  static List<ServerFront> fronts() {
    return FRONTS;
  }

  /** Resolves {@link Source#AUTO} to a concrete source, or throws with what to install. */
  static Source chooseSource(PostgresOptions options) {
    if (options.source() != Source.AUTO) {
      return options.source();
    }
    Optional<String> forced = Env.get(Env.SOURCE);
    if (forced.isPresent()) {
      return switch (forced.get().toLowerCase(Locale.ROOT)) {
        case "local" -> Source.LOCAL;
        case "external" -> Source.EXTERNAL;
        case "docker" -> Source.DOCKER;
        default ->
            throw new PostgresUnavailableException(
                Env.describe(Env.SOURCE)
                    + " must be local, external or docker, but was '"
                    + forced.get()
                    + "'");
      };
    }
    if (options.externalUrl().isPresent() || Env.get(Env.URL).isPresent()) {
      return Source.EXTERNAL;
    }
    Optional<Path> binaries = PgBinaries.find();
    if (binaries.isPresent()) {
      return Source.LOCAL;
    }
    if (dockerAvailable()) {
      return Source.DOCKER;
    }
    throw new PostgresUnavailableException(
        installAdvice(
            "no PostgreSQL server binaries were"
                + " found, "
                + Env.URL
                + " is not set, and "
                + (testcontainersPresent()
                    ? "no Docker engine answers"
                    : "Testcontainers is not on the classpath")));
  }

  /**
   * Whether Testcontainers is on the classpath and a Docker engine answers. Returns quickly
   * when there is no engine.
   *
   * @return true if the DOCKER source can work
   */
  public static boolean dockerAvailable() {
    return testcontainersPresent() && DockerPostgresServer.dockerAvailable();
  }

  static boolean testcontainersPresent() {
    ClassLoader loader = PostgresServers.class.getClassLoader();
    try {
      Class.forName("org.testcontainers.DockerClientFactory", false, loader);
      Class.forName("org.testcontainers.postgresql.PostgreSQLContainer", false, loader);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** The one message that says what to install or set. */
  static String installAdvice(String problem) {
    return "No PostgreSQL server for tests: "
        + problem
        + ". Do one of:\n"
        + "  1. install the PostgreSQL server binaries: 'apt-get install postgresql-15' on"
        + " Debian/Ubuntu, 'dnf install postgresql-server' on Fedora/RHEL, 'brew install"
        + " postgresql@15' on macOS; or point "
        + Env.describe(Env.PG_BIN)
        + " at the directory holding initdb, postgres and pg_ctl;\n"
        + "  2. set "
        + Env.URL
        + "=jdbc:postgresql://HOST:PORT/postgres with "
        + Env.USER
        + " and "
        + Env.PASSWORD
        + " of a superuser, to use an existing server;\n"
        + "  3. start a Docker engine, with org.testcontainers:testcontainers-postgresql on the"
        + " test classpath.\n"
        + Env.SOURCE
        + "=local|external|docker forces one of these.";
  }

  /**
   * Drops every database and role whose name starts with {@code prefix} (test clean-up).
   *
   * @param server a server the test kit started, itself, not as seen through a {@link
   *     ServerFront}
   * @param prefix the name prefix, at least 3 characters
   * @throws IllegalArgumentException if the server is not one of the test kit's own
   * @throws IllegalStateException if a drop fails; the others are still attempted
   */
  public static void dropByPrefix(PostgresServer server, String prefix) {
    if (prefix == null || prefix.length() < 3) {
      throw new IllegalArgumentException("prefix must have at least 3 characters: " + prefix);
    }
    if (!(server instanceof AbstractPostgresServer ours)) {
      throw new IllegalArgumentException("not a test kit server: " + server);
    }
    ours.dropByPrefix(prefix);
  }
}
