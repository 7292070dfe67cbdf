package io.userbound.testkit;

import io.userbound.testkit.internal.PostgresServers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * A running PostgreSQL server with password (SCRAM) authentication, and the superuser
 * operations tests need: databases, login and group roles, SQL, and a view of open backends.
 *
 * <p>Obtain one with {@link #start(PostgresOptions)} and close it when done; a local server is
 * also closed by a JVM shutdown hook. All methods are thread-safe: administrative methods each
 * use their own connection, and the lifecycle methods ({@link #stop()}, {@link #start()},
 * {@link #restart()}, {@link #close()}) are serialized. Names of databases and roles are always
 * sent as quoted identifiers, so any name PostgreSQL accepts (at most 63 bytes, no NUL) is safe.
 * Operations that fail in PostgreSQL throw {@link IllegalStateException} with the
 * {@link SQLException} as cause. No method logs a password and {@code toString()} shows none.
 */
public interface PostgresServer extends AutoCloseable {

  /**
   * Starts a server with the default options ({@link PostgresOptions#defaults()}), choosing the
   * source automatically.
   *
   * <p>This is not named {@code start()} because Java does not allow a static and an instance
   * method with the same signature, and {@link #start()} restarts a stopped server.
   *
   * @return a running server; the caller closes it
   * @throws PostgresUnavailableException if no source can give a server
   */
  static PostgresServer startDefault() {
    return start(PostgresOptions.defaults());
  }

  /**
   * Starts a server as the options say.
   *
   * @param options name, size, source and settings
   * @return a running server; the caller closes it
   * @throws PostgresUnavailableException if no source can give a server, or it fails to start
   */
  static PostgresServer start(PostgresOptions options) {
    return PostgresServers.start(options);
  }

  /**
   * Returns the label from the options, used in log lines and temporary directory names.
   *
   * @return the server's name
   */
  String name();

  /**
   * Returns the host to connect to; {@code "127.0.0.1"} for a local server.
   *
   * @return the host name or address
   */
  String host();

  /**
   * Returns the TCP port; the same after {@link #restart()}.
   *
   * @return the port
   */
  int port();

  /**
   * Returns the JDBC URL of a database on this server, without credentials. Loopback servers
   * get {@code sslmode=disable}.
   *
   * @param database the database name; URL-encoded as needed
   * @return e.g. {@code jdbc:postgresql://127.0.0.1:5433/finance?sslmode=disable}
   */
  String jdbcUrl(String database);

  /**
   * Returns the certificate of the authority that signed this server's TLS certificate, for
   * clients that verify it ({@code sslmode=verify-full&sslrootcert=...}).
   *
   * @return the PEM file, or empty if the server serves no TLS
   */
  default Optional<Path> rootCertificate() {
    return Optional.empty();
  }

  /**
   * Returns the superuser's role name.
   *
   * @return the admin role
   */
  String adminUser();

  /**
   * Returns a copy of the superuser's password; the caller may wipe it.
   *
   * @return a fresh copy
   */
  char[] adminPassword();

  /**
   * Opens a new connection to a database as the superuser.
   *
   * @param database the database to connect to
   * @return a new connection in auto-commit mode; the caller closes it
   * @throws SQLException if the connection fails
   */
  Connection adminConnection(String database) throws SQLException;

  /**
   * Creates a database owned by the superuser.
   *
   * @param name the database name
   * @throws IllegalStateException if PostgreSQL refuses, e.g. because it exists
   */
  void createDatabase(String name);

  /**
   * Drops a database if it exists, disconnecting its sessions first
   * ({@code DROP DATABASE IF EXISTS ... WITH (FORCE)}).
   *
   * @param name the database name
   * @throws IllegalStateException if PostgreSQL refuses
   */
  void dropDatabase(String name);

  /**
   * Creates a role with {@code LOGIN} and sets its password as a SCRAM-SHA-256 verifier
   * computed by the driver, so the password never appears in SQL text or server logs.
   *
   * @param role the role name
   * @param password the password; neither kept nor changed
   * @throws IllegalStateException if PostgreSQL refuses, e.g. because the role exists
   */
  void createLogin(String role, char[] password);

  /**
   * Creates a role without {@code LOGIN}, to be granted to other roles.
   *
   * @param role the role name
   * @throws IllegalStateException if PostgreSQL refuses, e.g. because the role exists
   */
  void createGroupRole(String role);

  /**
   * Drops a role if it exists: terminates its backends, reassigns the objects it owns to the
   * superuser and drops its privileges in every database where it has any, then drops it.
   *
   * @param role the role name
   * @throws IllegalStateException if PostgreSQL refuses
   */
  void dropRole(String role);

  /**
   * The server's major version: 15, 16, 17, 18. Which one the test kit starts is chosen by
   * {@code USERBOUND_PG_VERSION} ({@code -Duserbound.pg.version}); see the package
   * documentation.
   *
   * @return the major version, as {@code server_version_num / 10000}
   * @throws IllegalStateException if the server cannot be asked
   */
  int majorVersion();

  /**
   * Grants persons' roles to a {@code ROLE_SWITCHING} gateway as the README says: on PostgreSQL
   * 16 or newer {@code GRANT person TO gateway WITH INHERIT FALSE, SET TRUE}, on 15 a plain
   * {@code GRANT} (the gateway's own {@code NOINHERIT} keeps it from inheriting there).
   *
   * @param gateway the gateway role
   * @param persons the roles it may switch to, at least one
   * @throws IllegalStateException if PostgreSQL refuses
   */
  void grantToGateway(String gateway, String... persons);

  /**
   * Runs SQL as the superuser in one database. Several statements separated by {@code ;} are
   * allowed; they are sent as one simple-protocol query, so, as in {@code psql -c}, they run in
   * one implicit transaction unless the text contains {@code BEGIN}/{@code COMMIT}.
   *
   * @param database the database to run in
   * @param sql the statements
   * @throws IllegalStateException if a statement fails; nothing of it is committed
   */
  void execute(String database, String sql);

  /**
   * Runs a UTF-8 {@code .sql} file as the superuser, like {@link #execute(String, String)}.
   * {@code psql} meta-commands ({@code \connect}, ...) are not supported.
   *
   * @param database the database to run in
   * @param script the file
   * @throws IllegalStateException if the file cannot be read or a statement fails
   */
  void runScript(String database, Path script);

  /**
   * Lists the client backends (open connections) of the whole server, except the one used to
   * ask.
   *
   * @return a snapshot, ordered by pid
   * @throws IllegalStateException if the server cannot be queried
   */
  List<Backend> backends();

  /**
   * Counts the client backends logged in as a role.
   *
   * @param role the role name
   * @return how many of {@link #backends()} have that user
   * @throws IllegalStateException if the server cannot be queried
   */
  long backendCount(String role);

  /**
   * Tells whether {@link #stop()}, {@link #start()} and {@link #restart()} work: true for a
   * local server, false for external and Docker ones.
   *
   * @return whether lifecycle methods are supported
   */
  boolean supportsLifecycle();

  /**
   * Stops the server (fast shutdown: open connections are broken), keeping its data and port.
   * Does nothing if it is already stopped.
   *
   * @throws UnsupportedOperationException if {@link #supportsLifecycle()} is false
   * @throws IllegalStateException if the server is closed
   */
  void stop();

  /**
   * Starts a stopped server again on the same port with the same data, and waits until it
   * accepts connections. Does nothing if it is running.
   *
   * @throws UnsupportedOperationException if {@link #supportsLifecycle()} is false
   * @throws IllegalStateException if the server is closed or does not come up
   */
  void start();

  /**
   * Stops and starts the server; see {@link #stop()} and {@link #start()}.
   *
   * @throws UnsupportedOperationException if {@link #supportsLifecycle()} is false
   * @throws IllegalStateException if the server is closed or does not come up
   */
  void restart();

  /**
   * Stops the server as a crash would ({@code pg_ctl stop -m immediate}: every process
   * killed, no checkpoint, crash recovery at the next start) and starts it again on the
   * same port, with the same data.
   *
   * @throws UnsupportedOperationException if {@link #supportsLifecycle()} is false
   * @throws IllegalStateException if the server is closed or does not come up
   */
  void crashAndRestart();

  /**
   * Stops the server as a crash would ({@code pg_ctl stop -m immediate}: every process killed,
   * no checkpoint), and leaves it stopped; {@link #start()} starts it again with crash recovery.
   * Does nothing if it is already stopped.
   *
   * @throws UnsupportedOperationException if {@link #supportsLifecycle()} is false
   * @throws IllegalStateException if the server is closed
   */
  default void crash() {
    throw new UnsupportedOperationException("crash() needs a local server");
  }

  /**
   * Starts a streaming-replication standby of this server: {@code pg_basebackup -R -X stream}
   * from this server (as its superuser, over TCP) into a fresh directory, then the copy on
   * another port, in hot standby, following this server. Same superuser and password, same
   * roles and databases, same settings. Wait for {@link #replayedEverythingOf(PostgresServer)}
   * before relying on what was written last.
   *
   * @return the running standby; the caller closes it (closing this server does not)
   * @throws UnsupportedOperationException if {@link #supportsLifecycle()} is false, or for a
   *     TLS server
   * @throws IllegalStateException if the server is closed or the copy does not come up
   */
  default PostgresServer startStandby() {
    throw new UnsupportedOperationException("startStandby() needs a local server");
  }

  /**
   * Promotes this standby to a primary ({@code SELECT pg_promote(true, 60)}) and returns once
   * it accepts writes.
   *
   * @throws IllegalStateException if this server is not a standby, or promotion fails
   */
  default void promote() {
    try (Connection c = adminConnection("postgres");
        var st = c.createStatement();
        var rs = st.executeQuery("SELECT pg_catalog.pg_promote(true, 60)")) {
      if (!rs.next() || !rs.getBoolean(1)) {
        throw new IllegalStateException("server '" + name() + "' was not promoted within 60 s");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not promote server '" + name() + "'", e);
    }
  }

  /**
   * Tells whether this server is a standby that has replayed all the WAL the other server has
   * written so far ({@code pg_last_wal_replay_lsn() >= pg_current_wal_lsn()} of the other):
   * roles and databases created there exist here too.
   *
   * @param primary the server this one follows
   * @return whether this standby has caught up
   * @throws IllegalStateException if either server cannot be asked
   */
  default boolean replayedEverythingOf(PostgresServer primary) {
    try (Connection p = primary.adminConnection("postgres");
        var ps = p.createStatement();
        var prs = ps.executeQuery("SELECT pg_catalog.pg_current_wal_lsn()::text");
        Connection s = adminConnection("postgres");
        var ss = s.prepareStatement("SELECT pg_catalog.pg_last_wal_replay_lsn() >= ?::pg_lsn")) {
      prs.next();
      ss.setString(1, prs.getString(1));
      try (var srs = ss.executeQuery()) {
        return srs.next() && srs.getBoolean(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not compare WAL positions", e);
    }
  }

  /**
   * Tells whether the server process is running; always true for servers without lifecycle
   * until closed.
   *
   * @return whether it is running
   */
  boolean isRunning();

  /**
   * Stops the server and deletes its data; for an external server only marks it closed. Never
   * throws (problems are logged) and may be called any number of times.
   */
  @Override
  void close();
}
