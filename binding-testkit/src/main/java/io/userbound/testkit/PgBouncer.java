package io.userbound.testkit;

import io.userbound.testkit.internal.LocalPgBouncer;
import io.userbound.testkit.internal.PgBouncers;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A real PgBouncer, started by the test kit in front of a {@link PostgresServer}, configured
 * the way a careful operator configures it for per-person logins.
 *
 * <ul>
 *   <li>Clients authenticate to PgBouncer with SCRAM-SHA-256; PgBouncer looks the role's SCRAM
 *       verifier up with {@code auth_query}, through a dedicated lookup role that may only call
 *       one {@code SECURITY DEFINER} function ({@code pgbouncer_auth.lookup}, installed in every
 *       database and in {@code template1}; superusers, roles without {@code LOGIN} or without
 *       a password, and roles whose {@code VALID UNTIL} has passed are never returned, since
 *       PgBouncer may hand a client a server connection it holds without the server checking
 *       the login again). PgBouncer then logs in to the server as the person with SCRAM pass-through:
 *       the server checks the same verifier, and PgBouncer never holds a password.
 *   <li>{@link PoolMode#SESSION}: a client keeps one server connection from login to close;
 *       {@code server_reset_query = DISCARD ALL} when it is handed to the next client.
 *   <li>{@link PoolMode#TRANSACTION}: a server connection per transaction, with {@code
 *       server_reset_query_always = 1} so that no session state outlives a transaction, and
 *       {@link #jdbcUrl(String)} adds {@code prepareThreshold=0} (PgBouncer below 1.21 does
 *       not track named prepared statements).
 * </ul>
 *
 * <p>It listens on {@code 127.0.0.1} only, on a free port kept across {@link #restart()}.
 * {@link #close()} stops it, drops its lookup role and deletes its files; a JVM shutdown hook
 * does the same for one left open, so no {@code pgbouncer} process outlives the JVM. The
 * binary is {@code USERBOUND_PGBOUNCER_BIN} (or {@code -Duserbound.pgbouncer.bin}), else
 * {@code pgbouncer} in {@code /usr/sbin}, {@code /usr/bin} or on the {@code PATH}
 * ({@code apt-get install pgbouncer}). Thread-safe; lifecycle methods are serialized.
 */
public interface PgBouncer extends AutoCloseable {

  /** How PgBouncer hands server connections to clients. */
  enum PoolMode {
    /** A server connection per client connection, for the client's whole session. */
    SESSION,
    /** A server connection per transaction. */
    TRANSACTION
  }

  /**
   * Tells whether a {@code pgbouncer} binary is found.
   *
   * @return true if {@link #start(PostgresServer, PoolMode)} can run one
   */
  static boolean isInstalled() {
    return LocalPgBouncer.binary().isPresent();
  }

  /**
   * Starts a PgBouncer in front of a server.
   *
   * @param server the server behind it; stays open and owned by the caller
   * @param mode the pool mode
   * @return a running PgBouncer; the caller closes it
   * @throws PostgresUnavailableException if no {@code pgbouncer} binary is found or it does
   *     not start
   */
  static PgBouncer start(PostgresServer server, PoolMode mode) {
    return LocalPgBouncer.create(server, mode);
  }

  /**
   * Starts a PgBouncer in front of a server, as {@link #start(PostgresServer, PoolMode)}, that
   * keeps an idle server connection open for {@code serverIdleTimeout} (its {@code
   * server_idle_timeout}; 1 s otherwise). In session mode the next client of the same role
   * and database gets that connection without a server login: a test of what PgBouncer alone
   * decides needs it held for longer than the test takes.
   *
   * @param server the server behind it; stays open and owned by the caller
   * @param mode the pool mode
   * @param serverIdleTimeout how long an idle server connection stays, whole seconds from 1
   * @return a running PgBouncer; the caller closes it
   * @throws IllegalArgumentException if the timeout is not a whole number of seconds from 1
   * @throws PostgresUnavailableException if no {@code pgbouncer} binary is found or it does
   *     not start
   */
  static PgBouncer start(PostgresServer server, PoolMode mode, Duration serverIdleTimeout) {
    return LocalPgBouncer.create(server, mode, serverIdleTimeout);
  }

  /**
   * Tells whether the suites run through PgBouncer: {@code USERBOUND_TEST_PGBOUNCER} (or
   * {@code -Duserbound.test.pgbouncer}) is {@code session} or {@code transaction}. Then every
   * server from {@link PostgresServer#start(PostgresOptions)} is seen through a PgBouncer of
   * that mode: its {@code jdbcUrl}, {@code host} and {@code port} are PgBouncer's, its
   * superuser operations still go to the server, and its {@code backends()} are PgBouncer's
   * client connections.
   *
   * @return the mode, or empty when servers are used directly
   * @throws PostgresUnavailableException if the setting has another value
   */
  static Optional<PoolMode> suiteMode() {
    return PgBouncers.suiteMode();
  }

  /**
   * Returns the PgBouncer a server from the test kit is seen through (see {@link
   * #suiteMode()}).
   *
   * @param server a server from {@link PostgresServer#start(PostgresOptions)}
   * @return its PgBouncer, or empty for a server used directly
   */
  static Optional<PgBouncer> in(PostgresServer server) {
    return PgBouncers.bouncerOf(server);
  }

  /**
   * Returns the server behind this PgBouncer.
   *
   * @return the server
   */
  PostgresServer server();

  /**
   * Returns the pool mode.
   *
   * @return session or transaction
   */
  PoolMode poolMode();

  /**
   * Returns the host PgBouncer listens on.
   *
   * @return {@code "127.0.0.1"}
   */
  String host();

  /**
   * Returns PgBouncer's TCP port; the same after {@link #restart()}.
   *
   * @return the port
   */
  int port();

  /**
   * Returns the JDBC URL of a database through this PgBouncer, without credentials.
   *
   * @param database the database name
   * @return e.g. {@code jdbc:postgresql://127.0.0.1:6432/finance?sslmode=disable}, with
   *     {@code &prepareThreshold=0} in transaction mode
   */
  String jdbcUrl(String database);

  /**
   * Grants PgBouncer's lookup role {@code CONNECT} on a database. PgBouncer 1.18 runs its
   * {@code auth_query} in the database a client asks for, so a database that revokes {@code
   * CONNECT} from {@code PUBLIC} must let the lookup role in, or every login to it fails.
   * Databases that existed when PgBouncer started, and those created through a server seen
   * through PgBouncer ({@link #suiteMode()}), have it already.
   *
   * @param database the database
   * @throws IllegalStateException if PostgreSQL refuses
   */
  void admitLookup(String database);

  /**
   * Lists PgBouncer's client connections (its {@code SHOW CLIENTS}), except those of its
   * admin console. The {@link Backend#pid()} of each is 0: a client has no server process
   * of its own.
   *
   * @return a snapshot
   * @throws IllegalStateException if PgBouncer cannot be asked
   */
  List<Backend> clients();

  /**
   * Counts the client connections logged in as a role.
   *
   * @param role the role name
   * @return how many of {@link #clients()} have that user
   * @throws IllegalStateException if PgBouncer cannot be asked
   */
  long clientCount(String role);

  /**
   * Counts the server connections PgBouncer holds for a role, in use or idle (its {@code SHOW
   * SERVERS}). In session mode they outlive their clients until {@code server_idle_timeout}.
   *
   * @param role the role name
   * @return how many server connections PgBouncer has open as that role
   * @throws IllegalStateException if PgBouncer cannot be asked
   */
  long serverCount(String role);

  /**
   * Stops PgBouncer at once (SIGTERM: every client and server connection is closed), keeping
   * its port and configuration. Does nothing if it is stopped.
   *
   * @throws IllegalStateException if it is closed
   */
  void stop();

  /**
   * Starts a stopped PgBouncer again on the same port and waits until it answers. Does
   * nothing if it runs.
   *
   * @throws IllegalStateException if it is closed or does not come up
   */
  void start();

  /**
   * Stops and starts PgBouncer; see {@link #stop()} and {@link #start()}.
   *
   * @throws IllegalStateException if it is closed or does not come up
   */
  void restart();

  /**
   * Tells whether the PgBouncer process runs.
   *
   * @return whether it runs
   */
  boolean isRunning();

  /**
   * Stops PgBouncer, drops its lookup role from the server (if the server runs) and deletes
   * its files. Never throws; idempotent.
   */
  @Override
  void close();
}
