package io.userbound.core.internal;

import io.userbound.core.DatabaseConfig;
import io.userbound.core.LoginPolicy;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.postgresql.Driver;

/*
 * Opens physical pgjdbc connections for one database. Thread-safe.
 *
 * Every new connection makes one round trip before it is used, which asserts that the
 * session runs as the role that logged in (session_user and current_user: an ALTER ROLE
 * ... SET role, or a proxy that maps users, would otherwise run a person's requests as
 * someone else) and reads the default isolation level, so that HikariCP's own probe of it
 * on a pool's first connection is answered without another round trip. A login being
 * verified (open(..., forPolicy = true)) also reads what the login policy needs, the
 * role's attributes and memberships (IDENTITY); every other connection asks only what
 * needs no catalog (IDENTITY_ONLY): on a brand-new backend, loading the catalogs for the
 * policy query costs more than the rest of the connection's first round trip.
 */
final class PhysicalConnector {

  /*
   * These run in the person's new session, where their own ALTER ROLE ... SET search_path
   * may already put a schema of theirs before pg_catalog: every function and operator is
   * schema-qualified, so the login policy's answer is PostgreSQL's, not theirs.
   */
  private static final String IDENTITY_ONLY =
      "select session_user, current_user, pg_catalog.current_setting('transaction_isolation')";

  private static final String IDENTITY =
      "select session_user, current_user, pg_catalog.current_setting('transaction_isolation'),"
          + " r.rolsuper, r.rolbypassrls, r.rolreplication, array(with recursive m(id) as"
          + " (select roleid from pg_catalog.pg_auth_members where member operator(pg_catalog.=)"
          + " r.oid union select a.roleid from pg_catalog.pg_auth_members a join m on a.member"
          + " operator(pg_catalog.=) m.id) select g.rolname from pg_catalog.pg_roles g join m on"
          + " g.oid operator(pg_catalog.=) m.id) from pg_catalog.pg_roles r where r.rolname"
          + " operator(pg_catalog.=) session_user";

  /** The connection runs as another role than the one that logged in. */
  static final class IdentityMismatch extends SQLException {
    private static final long serialVersionUID = 1L;

    IdentityMismatch(String message) {
      super(message, "28000");
    }
  }

  /** The pause before the one retry of a login that PgBouncer failed from memory. */
  private static final long STALE_LOGIN_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /*
   * A server that answers 53300 (no free connection slot) may be full only for a moment: a
   * backend whose connection was just closed (by this instance, after its exit wait gave up
   * on a busy machine, or by another instance or client) holds its slot until it has
   * exited. So a connect that meets a full server tries again, with a growing pause, for a
   * short while (at most FULL_WAIT_MAX, and half the connection timeout) before it fails.
   */
  private static final long FULL_FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  private static final long FULL_MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final long FULL_WAIT_MAX_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final String url;
  private final Properties base;
  private final boolean ownSocketFactory;
  private final int socketTimeoutMillis; // what the connection keeps after its login, or -1
  private final Driver driver = new Driver();
  private final Signals signals;
  private final String database;
  private final long fullWaitNanos;

  PhysicalConnector(DatabaseConfig config) {
    this(config, "userbound", Signals.none());
  }

  /**
   * @param applicationName PostgreSQL's application_name, unless the driver properties (or
   *     the URL) set ApplicationName
   */
  PhysicalConnector(DatabaseConfig config, String applicationName, Signals signals) {
    this.signals = signals;
    this.database = config.name();
    this.fullWaitNanos = Math.min(FULL_WAIT_MAX_NANOS, config.connectionTimeout().toNanos() / 2);
    this.url = config.jdbcUrl();
    this.base = new Properties();
    base.putAll(config.driverProperties());
    // A server that accepts TCP and never answers must not hold the caller forever. pgjdbc's
    // loginTimeout runs each connect on another thread and waits for it: a thread hop per
    // connect, which on a busy machine costs milliseconds. Unless loginTimeout is set, the
    // login is bounded on the caller's thread instead: connectTimeout for the TCP connect,
    // and socketTimeout (which pgjdbc applies before the startup packet) for every read of
    // the login, put back to the configured value once the connection is open.
    long seconds = Math.max(1, (config.connectionTimeout().toMillis() + 999) / 1000);
    if (base.containsKey("loginTimeout")) {
      // pgjdbc runs such a connect on a pooled thread, not a new thread per connect.
      base.putIfAbsent("connectExecutor", ConnectExecutor.class.getName());
      this.socketTimeoutMillis = -1;
    } else {
      base.putIfAbsent("connectTimeout", Long.toString(seconds));
      long configured = seconds(base.getProperty("socketTimeout", "0"));
      this.socketTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, configured * 1000);
      if (configured == 0 || configured > seconds) {
        base.setProperty("socketTimeout", Long.toString(seconds)); // for the login only
      }
    }
    base.putIfAbsent("ApplicationName", applicationName);
    // PostgreSQL 10 or newer: pgjdbc then sends application_name in the startup packet
    // (so RESET ALL returns to it) instead of a SET after connecting, a round trip less.
    base.putIfAbsent("assumeMinServerVersion", "10");
    // Closing waits for the backend to exit, so the budget holds on the server's side
    // too; and the socket can be looked at for the local liveness check.
    this.ownSocketFactory = !base.containsKey("socketFactory");
    base.putIfAbsent("socketFactory", ExitAwareSocketFactory.class.getName());
  }

  private static long seconds(String value) {
    try {
      return Math.max(0, Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      return 0; // pgjdbc reports it
    }
  }

  /**
   * Opens a connection as this role and checks its identity; the connection gives the
   * permit back when it closes (the caller took it).
   */
  PhysicalConnection open(String role, char[] password, Permit permit) throws SQLException {
    return open(role, password, permit, false);
  }

  /**
   * Opens a connection as this role and checks its identity, reading the role's attributes
   * for the login policy too when asked.
   */
  PhysicalConnection open(String role, char[] password, Permit permit, boolean forPolicy)
      throws SQLException {
    if (!signals.timed()) {
      return openTimed(role, password, permit, forPolicy);
    }
    long started = System.nanoTime();
    PhysicalConnection c = openTimed(role, password, permit, forPolicy);
    signals.opened(database, System.nanoTime() - started);
    return c;
  }

  private PhysicalConnection openTimed(
      String role, char[] password, Permit permit, boolean forPolicy) throws SQLException {
    long deadline = System.nanoTime() + fullWaitNanos;
    long pause = FULL_FIRST_PAUSE_NANOS;
    while (true) {
      try {
        return openOnce(role, password, permit, forPolicy);
      } catch (SQLException e) {
        if (PoolerErrors.isStaleLoginFailure(e)) {
          // PgBouncer remembered an old failure of this person's pool; it is retrying now.
          LockSupport.parkNanos(STALE_LOGIN_PAUSE_NANOS);
          return openOnce(role, password, permit, forPolicy);
        }
        if (!"53300".equals(e.getSQLState()) || System.nanoTime() + pause - deadline > 0) {
          throw e;
        }
        LockSupport.parkNanos(pause); // a full server, maybe for a moment: see FULL_*
        pause = Math.min(2 * pause, FULL_MAX_PAUSE_NANOS);
      }
    }
  }

  private PhysicalConnection openOnce(
      String role, char[] password, Permit permit, boolean forPolicy) throws SQLException {
    Properties props = new Properties();
    props.putAll(base);
    props.setProperty("user", role);
    String token = ownSocketFactory ? ExitAwareSocketFactory.open() : null;
    if (token != null) {
      props.setProperty("socketFactoryArg", token);
    }
    Connection c;
    ExitAwareSocketFactory.Peek socket;
    try {
      // The one place a password becomes a String: java.util.Properties, and so pgjdbc's
      // Driver.connect, accept nothing else. The Properties object is dropped right after.
      props.setProperty("password", new String(password));
      c = driver.connect(url, props);
    } catch (SQLException e) {
      throw PoolerErrors.normalise(e);
    } finally {
      props.remove("password");
      socket = token == null ? null : ExitAwareSocketFactory.take(token);
    }
    if (c == null) {
      throw new SQLException(
          "pgjdbc does not accept the URL " + DatabaseConfig.maskUrl(url), "08001");
    }
    try {
      Identity id = identity(c, role, forPolicy);
      if (socketTimeoutMillis >= 0) {
        c.setNetworkTimeout(Runnable::run, socketTimeoutMillis); // the login is over
      }
      return new PhysicalConnection(c, permit, socket, id.role, id.isolation);
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  private record Identity(LoginPolicy.Role role, int isolation) {}

  private static Identity identity(Connection c, String role, boolean forPolicy)
      throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(forPolicy ? IDENTITY : IDENTITY_ONLY)) {
      if (!rs.next()) {
        throw new IdentityMismatch(
            "the session user of a new connection is not a role on the server");
      }
      String session = rs.getString(1);
      String current = rs.getString(2);
      if (!role.equals(session) || !role.equals(current)) {
        throw new IdentityMismatch(
            "a new connection that logged in as "
                + Names.forMessage(role)
                + " runs as session_user "
                + Names.forMessage(session)
                + ", current_user "
                + Names.forMessage(current)
                + ": check ALTER ROLE ... SET role on the server, or the user mapping of a proxy in"
                + " between");
      }
      if (!forPolicy) {
        return new Identity(
            new LoginPolicy.Role(session, false, false, false, Set.of()),
            isolation(rs.getString(3)));
      }
      Array groups = rs.getArray(7);
      Set<String> memberOf = Set.of((String[]) groups.getArray());
      groups.free();
      LoginPolicy.Role info =
          new LoginPolicy.Role(
              session, rs.getBoolean(4), rs.getBoolean(5), rs.getBoolean(6), memberOf);
      return new Identity(info, isolation(rs.getString(3)));
    }
  }

  private static int isolation(String level) {
    return switch (level) {
      case "serializable" -> Connection.TRANSACTION_SERIALIZABLE;
      case "repeatable read" -> Connection.TRANSACTION_REPEATABLE_READ;
      case "read uncommitted" -> Connection.TRANSACTION_READ_UNCOMMITTED;
      default -> Connection.TRANSACTION_READ_COMMITTED;
    };
  }
}
