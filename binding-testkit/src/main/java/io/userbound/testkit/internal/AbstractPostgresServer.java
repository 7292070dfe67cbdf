package io.userbound.testkit.internal;

import io.userbound.testkit.Backend;
import io.userbound.testkit.PostgresServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.postgresql.Driver;
import org.postgresql.PGConnection;

/*
 * The superuser operations, shared by every source. Each operation opens its own connection:
 * a SCRAM login costs a few milliseconds, which tests can afford, and a cached connection would
 * need to survive restarts and would show up in backends() from other threads.
 *
 * Identifiers are always quoted with Sql.quote; values go through bind parameters. The
 * password of a login is set with PGConnection.alterUserPassword, which sends a SCRAM verifier
 * computed on the client, so no plaintext password reaches SQL text or the server log.
 */
abstract class AbstractPostgresServer implements PostgresServer {
  static final String APPLICATION_NAME = "userbound-testkit";
  private static final Driver DRIVER = new Driver();

  private final String name;
  private final String adminUser;
  private final char[] adminPassword;

  AbstractPostgresServer(String name, String adminUser, char[] adminPassword) {
    this.name = name;
    this.adminUser = adminUser;
    this.adminPassword = adminPassword.clone();
  }

  /** The database used for server-wide operations; {@code postgres} unless given otherwise. */
  abstract String maintenanceDatabase();

  /** Query parameters appended to every URL, starting with {@code ?}, or empty. */
  abstract String urlParameters();

  /** A short label for toString: local, external, docker. */
  abstract String kind();

  /**
   * The postgres command-line settings of every server the test kit starts: throw-away data
   * (no fsync, no synchronous commit, no full-page writes), SCRAM passwords, the given
   * connection limit, then the caller's own settings.
   */
  static List<String> serverSettings(int maxConnections, Map<String, String> settings) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "password_encryption=scram-sha-256",
                "-c",
                "max_connections=" + maxConnections));
    settings.forEach(
        (key, value) -> {
          args.add("-c");
          args.add(key + "=" + value);
        });
    return args;
  }

  /** Whether {@link #close()} ran; set by the subclasses' close. */
  volatile boolean closed;

  /** Throws if closed. */
  final void checkOpen() {
    if (closed) {
      throw new IllegalStateException("PostgreSQL server '" + name + "' is closed");
    }
  }

  /**
   * Why this server cannot be stopped and started by the test kit (only a local one can),
   * for the message of {@link #stop()}, {@link #start()} and {@link #restart()}.
   */
  String noLifecycleReason() {
    return "the test kit does not own its process";
  }

  @Override
  public boolean supportsLifecycle() {
    return false;
  }

  @Override
  public void stop() {
    throw noLifecycle("stop");
  }

  @Override
  public void start() {
    throw noLifecycle("start");
  }

  @Override
  public void restart() {
    throw noLifecycle("restart");
  }

  @Override
  public void crashAndRestart() {
    throw noLifecycle("crash and restart");
  }

  private UnsupportedOperationException noLifecycle(String what) {
    return new UnsupportedOperationException(
        "cannot "
            + what
            + " PostgreSQL server '"
            + name
            + "': "
            + noLifecycleReason()
            + "; set USERBOUND_TEST_PG=local to run fault tests");
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final String adminUser() {
    return adminUser;
  }

  @Override
  public final char[] adminPassword() {
    return adminPassword.clone();
  }

  @Override
  public String jdbcUrl(String database) {
    Sql.requireName(database, "database");
    String host = host();
    String urlHost = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    return "jdbc:postgresql://"
        + urlHost
        + ":"
        + port()
        + "/"
        + URLEncoder.encode(database, StandardCharsets.UTF_8)
        + urlParameters();
  }

  @Override
  public Connection adminConnection(String database) throws SQLException {
    return connect(database, false, 10);
  }

  private volatile int majorVersion; // 0: not asked yet

  @Override
  public int majorVersion() {
    int major = majorVersion;
    if (major == 0) {
      try (Connection c = adminConnection(maintenanceDatabase());
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SHOW server_version_num")) {
        rs.next();
        major = Integer.parseInt(rs.getString(1).trim()) / 10000;
      } catch (SQLException e) {
        throw Sql.failure("asking " + this + " for its version", e);
      }
      majorVersion = major;
    }
    return major;
  }

  @Override
  public void grantToGateway(String gateway, String... persons) {
    if (persons == null || persons.length == 0) {
      throw new IllegalArgumentException("persons must name at least one role");
    }
    List<String> quoted = new ArrayList<>();
    for (String person : persons) {
      quoted.add(Sql.quote(person, "role"));
    }
    String sql =
        "GRANT "
            + String.join(", ", quoted)
            + " TO "
            + Sql.quote(gateway, "role")
            + (majorVersion() >= 16 ? " WITH INHERIT FALSE, SET TRUE" : "");
    run("granting " + persons.length + " roles to gateway " + Sql.printable(gateway), sql);
  }

  Connection connect(String database, boolean simpleQueries, int connectTimeoutSeconds)
      throws SQLException {
    checkOpen();
    Properties props = new Properties();
    props.setProperty("user", adminUser);
    props.setProperty("password", new String(adminPassword));
    props.setProperty("ApplicationName", APPLICATION_NAME);
    props.setProperty("connectTimeout", Integer.toString(connectTimeoutSeconds));
    if (simpleQueries) {
      props.setProperty("preferQueryMode", "simple");
    }
    // The driver directly, not DriverManager: that one hides drivers loaded by another class
    // loader than the caller's (servlet containers, some build-tool class paths).
    return DRIVER.connect(jdbcUrl(database), props);
  }

  @Override
  public void createDatabase(String database) {
    String sql = "CREATE DATABASE " + Sql.quote(database, "database");
    run("creating database " + Sql.printable(database), sql);
  }

  @Override
  public void dropDatabase(String database) {
    String sql = "DROP DATABASE IF EXISTS " + Sql.quote(database, "database") + " WITH (FORCE)";
    run("dropping database " + Sql.printable(database), sql);
  }

  @Override
  public void createLogin(String role, char[] password) {
    String quoted = Sql.quote(role, "role");
    if (password == null) {
      throw new IllegalArgumentException(
          "password of role " + Sql.printable(role) + " must not be null");
    }
    String doing = "creating login role " + Sql.printable(role) + " on " + this;
    try (Connection c = adminConnection(maintenanceDatabase());
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("CREATE ROLE " + quoted + " LOGIN");
      // The driver wipes the array it is given; the caller's must stay intact.
      char[] copy = password.clone();
      try {
        c.unwrap(PGConnection.class).alterUserPassword(role, copy, "scram-sha-256");
      } finally {
        Arrays.fill(copy, '\0');
      }
      c.commit();
    } catch (SQLException e) {
      throw Sql.failure(doing, e);
    }
  }

  @Override
  public void createGroupRole(String role) {
    String sql = "CREATE ROLE " + Sql.quote(role, "role") + " NOLOGIN";
    run("creating group role " + Sql.printable(role), sql);
  }

  @Override
  public void dropRole(String role) {
    String quoted = Sql.quote(role, "role");
    String doing = "dropping role " + Sql.printable(role) + " on " + this;
    try (Connection c = adminConnection(maintenanceDatabase())) {
      Set<String> databases = new LinkedHashSet<>();
      boolean sharedObjects = false;
      try (PreparedStatement exists =
          c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
        exists.setString(1, role);
        try (ResultSet rs = exists.executeQuery()) {
          if (!rs.next()) {
            return;
          }
        }
      }
      int major = c.getMetaData().getDatabaseMajorVersion();
      try (PreparedStatement terminate =
          c.prepareStatement(
              major >= 14
                  ? "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
                      + " WHERE usename = ? AND pid <> pg_backend_pid()"
                  : "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                      + " WHERE usename = ? AND pid <> pg_backend_pid()")) {
        terminate.setString(1, role);
        terminate.executeQuery().close();
      }
      // Where the role owns objects or holds privileges; dbid 0 means shared objects
      // (databases it owns, grants on databases), handled from any database.
      try (PreparedStatement deps =
          c.prepareStatement(
              "SELECT DISTINCT d.datname, s.dbid = 0 AS shared FROM pg_shdepend s"
                  + " LEFT JOIN pg_database d ON d.oid = s.dbid"
                  + " WHERE s.refclassid = 'pg_authid'::regclass"
                  + " AND s.refobjid = (SELECT oid FROM pg_roles WHERE rolname = ?)"
                  + " AND (s.dbid = 0 OR d.datallowconn)")) {
        deps.setString(1, role);
        try (ResultSet rs = deps.executeQuery()) {
          while (rs.next()) {
            if (rs.getBoolean(2)) {
              sharedObjects = true;
            } else {
              databases.add(rs.getString(1));
            }
          }
        }
      }
      if (sharedObjects) {
        databases.add(maintenanceDatabase());
      }
      String reassign =
          "REASSIGN OWNED BY "
              + quoted
              + " TO "
              + Sql.quote(adminUser, "role")
              + "; DROP OWNED BY "
              + quoted;
      for (String database : databases) {
        if (database.equals(maintenanceDatabase())) {
          try (Statement s = c.createStatement()) {
            s.execute(reassign);
          }
        } else {
          try (Connection other = adminConnection(database);
              Statement s = other.createStatement()) {
            s.execute(reassign);
          }
        }
      }
      try (Statement s = c.createStatement()) {
        s.execute("DROP ROLE IF EXISTS " + quoted);
      }
    } catch (SQLException e) {
      throw Sql.failure(doing, e);
    }
  }

  @Override
  public void execute(String database, String sql) {
    if (sql == null) {
      throw new IllegalArgumentException("sql must not be null");
    }
    String doing = "executing SQL in database " + Sql.printable(database) + " on " + this;
    try (Connection c = connect(database, true, 10);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw Sql.failure(doing, e);
    }
  }

  @Override
  public void runScript(String database, Path script) {
    String sql;
    try {
      sql = Files.readString(script, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read SQL script " + script + ": " + e, e);
    }
    String doing =
        "running script " + script + " in database " + Sql.printable(database) + " on " + this;
    try (Connection c = connect(database, true, 10);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw Sql.failure(doing, e);
    }
  }

  @Override
  public List<Backend> backends() {
    String sql =
        "SELECT pid, usename, datname, state, application_name FROM pg_stat_activity"
            + " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() ORDER BY pid";
    List<Backend> backends = new ArrayList<>();
    try (Connection c = adminConnection(maintenanceDatabase());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        backends.add(
            new Backend(
                rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
      }
    } catch (SQLException e) {
      throw Sql.failure("listing backends of " + this, e);
    }
    return List.copyOf(backends);
  }

  @Override
  public long backendCount(String role) {
    Sql.requireName(role, "role");
    return backends().stream().filter(b -> role.equals(b.user())).count();
  }

  /** Finds the databases and roles whose names start with a prefix (for test clean-up). */
  void dropByPrefix(String prefix) {
    List<String> databases = new ArrayList<>();
    List<String> roles = new ArrayList<>();
    try (Connection c = adminConnection(maintenanceDatabase())) {
      collect(
          c,
          "SELECT datname FROM pg_database WHERE left(datname, ?) = ? ORDER BY 1",
          prefix,
          databases);
      collect(
          c, "SELECT rolname FROM pg_roles WHERE left(rolname, ?) = ? ORDER BY 1", prefix, roles);
    } catch (SQLException e) {
      throw Sql.failure("finding databases and roles named " + prefix + "* on " + this, e);
    }
    RuntimeException failure = null;
    for (String database : databases) {
      try {
        dropDatabase(database);
      } catch (RuntimeException e) {
        failure = addTo(failure, e);
      }
    }
    for (String role : roles) {
      try {
        dropRole(role);
      } catch (RuntimeException e) {
        failure = addTo(failure, e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static void collect(Connection c, String sql, String prefix, List<String> into)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setInt(1, prefix.length());
      ps.setString(2, prefix);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          into.add(rs.getString(1));
        }
      }
    }
  }

  private static RuntimeException addTo(RuntimeException first, RuntimeException next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }

  private void run(String doing, String sql) {
    try (Connection c = adminConnection(maintenanceDatabase());
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw Sql.failure(doing + " on " + this, e);
    }
  }

  static boolean isLoopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    String bare =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (!bare.matches("[0-9.]+|[0-9a-fA-F:]+")) {
      return false; // a name: do not resolve it just to decide on sslmode
    }
    try {
      return InetAddress.getByName(bare).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "PostgresServer["
        + name
        + ", "
        + kind()
        + ", "
        + host()
        + ":"
        + port()
        + (isRunning() ? "" : ", stopped")
        + "]";
  }
}
