package io.userbound.testkit.internal;

import io.userbound.testkit.PostgresOptions;
import io.userbound.testkit.PostgresUnavailableException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * An existing server, reached with a JDBC URL and a superuser (or a role with CREATEDB and
 * CREATEROLE). Nothing is started or stopped: tests create uniquely named databases and roles
 * and drop them. The URL's query parameters are kept for every database URL; a loopback server
 * without parameters gets sslmode=disable like a local one.
 */
final class ExternalPostgresServer extends AbstractPostgresServer {
  private static final Logger LOG = LoggerFactory.getLogger(ExternalPostgresServer.class);

  private final String host;
  private final int port;
  private final String maintenanceDatabase;
  private final String parameters;

  private ExternalPostgresServer(
      String name,
      String user,
      char[] password,
      String host,
      int port,
      String maintenanceDatabase,
      String parameters) {
    super(name, user, password);
    this.host = host;
    this.port = port;
    this.maintenanceDatabase = maintenanceDatabase;
    this.parameters = parameters;
  }

  static ExternalPostgresServer connect(PostgresOptions options) {
    String url =
        options
            .externalUrl()
            .or(() -> Env.get(Env.URL))
            .orElseThrow(
                () ->
                    new PostgresUnavailableException(
                        "source EXTERNAL needs a server: set "
                            + Env.describe(Env.URL)
                            + " to e.g. jdbc:postgresql://db.test:5432/postgres,"
                            + " with "
                            + Env.describe(Env.USER)
                            + " and "
                            + Env.describe(Env.PASSWORD)
                            + ", or PostgresOptions.builder().externalUrl(...)"));
    String user =
        options
            .externalUser()
            .or(() -> Env.get(Env.USER))
            .orElseThrow(
                () ->
                    new PostgresUnavailableException(
                        "the external server "
                            + maskUrl(url)
                            + " needs an admin role: set "
                            + Env.describe(Env.USER)
                            + " and "
                            + Env.describe(Env.PASSWORD)
                            + ", or PostgresOptions.builder().externalUser(...)"));
    char[] password =
        options
            .externalPassword()
            .or(() -> Env.get(Env.PASSWORD).map(String::toCharArray))
            .orElse(new char[0]);
    ExternalPostgresServer server;
    try {
      server = parse(options.name(), url, user, password);
    } finally {
      Arrays.fill(password, '\0');
    }
    if (!options.settings().isEmpty() || options.maxConnections() != 100) {
      LOG.warn(
          "PostgreSQL '{}' is external: maxConnections and settings are not applied",
          options.name());
    }
    server.verify(url);
    LOG.info(
        "PostgreSQL '{}' is the external server {}:{} (admin role {})",
        server.name(),
        server.host,
        server.port,
        user);
    return server;
  }

  static ExternalPostgresServer parse(String name, String url, String user, char[] password) {
    String prefix = "jdbc:postgresql://";
    if (!url.startsWith(prefix)) {
      throw new PostgresUnavailableException(
          "external URL must start with " + prefix + ", but was " + maskUrl(url));
    }
    String rest = url.substring(prefix.length());
    int query = rest.indexOf('?');
    String parameters = query < 0 ? "" : rest.substring(query);
    String hostAndPath = query < 0 ? rest : rest.substring(0, query);
    int slash = hostAndPath.indexOf('/');
    String hostPort = slash < 0 ? hostAndPath : hostAndPath.substring(0, slash);
    String database =
        slash < 0
            ? ""
            : URLDecoder.decode(hostAndPath.substring(slash + 1), StandardCharsets.UTF_8);
    if (hostPort.isEmpty() || hostPort.contains(",")) {
      throw new PostgresUnavailableException(
          "external URL must name exactly one host, but was " + maskUrl(url));
    }
    String host;
    int port = 5432;
    int colon =
        hostPort.startsWith("[")
            ? hostPort.indexOf(':', hostPort.indexOf(']'))
            : hostPort.lastIndexOf(':');
    host = colon < 0 ? hostPort : hostPort.substring(0, colon);
    if (colon >= 0) {
      try {
        port = Integer.parseInt(hostPort.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new PostgresUnavailableException("external URL has a bad port: " + maskUrl(url), e);
      }
    }
    if (parameters.isEmpty() && isLoopback(host)) {
      parameters = "?sslmode=disable";
    }
    return new ExternalPostgresServer(
        name, user, password, host, port, database.isEmpty() ? "postgres" : database, parameters);
  }

  private void verify(String url) {
    String sql =
        "SELECT rolsuper OR (rolcreaterole AND rolcreatedb) FROM pg_roles"
            + " WHERE rolname = current_user";
    try (Connection c = adminConnection(maintenanceDatabase);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      if (!rs.next() || !rs.getBoolean(1)) {
        throw new PostgresUnavailableException(
            "role "
                + adminUser()
                + " on the external server "
                + maskUrl(url)
                + " must be a superuser (or have CREATEROLE and CREATEDB)");
      }
    } catch (SQLException e) {
      throw new PostgresUnavailableException(
          "cannot log in to the external server "
              + maskUrl(url)
              + " as "
              + adminUser()
              + ": "
              + e.getMessage()
              + " [SQLSTATE "
              + e.getSQLState()
              + "]; check "
              + Env.describe(Env.URL)
              + ", "
              + Env.describe(Env.USER)
              + " and "
              + Env.describe(Env.PASSWORD),
          e);
    }
  }

  static String maskUrl(String url) {
    return url.replaceAll("(?i)(password=)[^&]*", "$1***");
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
    return maintenanceDatabase;
  }

  @Override
  String urlParameters() {
    return parameters;
  }

  @Override
  String kind() {
    return "external";
  }

  @Override
  String noLifecycleReason() {
    return "it is an external server";
  }

  @Override
  public boolean isRunning() {
    return !closed;
  }

  /** Marks the server closed; the external server itself keeps running. */
  @Override
  public void close() {
    closed = true;
  }
}
