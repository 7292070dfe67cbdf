package io.userbound.core;

import io.userbound.core.internal.DefaultUserbound;
import java.sql.Connection;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The entry point: per-person PostgreSQL connection pools for a set of named databases.
 *
 * <p>Create one per application with {@link #create(UserboundConfig)} and close it at
 * shutdown. Then, for each person:
 *
 * <pre>{@code
 * Login login = userbound.login("alice", password);      // PostgreSQL checks the password
 * try (Binding b = userbound.bind(login);                 // per request
 *      Connection c = userbound.connection("finance")) {  // alice's own pool
 *   ...
 * }
 * userbound.logout(login);                                // closes alice's pools
 * }</pre>
 *
 * <p>Each person's connections come from pools opened with their own role and password,
 * one per (database, role). A pool is found by role name but only serves a login whose
 * password matches the one it was opened with. Physical connections per database are
 * capped by a budget across all people; idle pools close after the idle timeout.
 *
 * <p>All methods are thread-safe. Instances are independent: two in one JVM share nothing.
 */
public interface Userbound extends AutoCloseable {

  /**
   * Creates an instance. Opens no connection: nothing happens on a database until the
   * first login.
   *
   * @param config the databases and their settings
   * @return a new instance; close it at shutdown
   */
  static Userbound create(UserboundConfig config) {
    return new DefaultUserbound(config);
  }

  /**
   * Logs a person in; the same as {@link #login(String, char[], String)} without a client
   * key (so only the per-role and in-flight limits apply).
   *
   * @param role the PostgreSQL role name, exactly as the server knows it (no case folding)
   * @param password the password; Userbound keeps its own copy, so the caller may wipe
   *     the array afterwards
   * @return the verified login, to keep server-side between requests
   * @throws LoginFailedException if PostgreSQL refuses, or the login policy does
   * @throws LoginThrottledException if too many attempts failed recently
   * @throws DatabaseUnavailableException if no login database can be reached
   */
  default Login login(String role, char[] password) {
    return login(role, password, null);
  }

  /**
   * Logs a person in: opens one real connection with this role and password to the first
   * login database that answers (see {@link UserboundConfig.Builder#verifyLoginsOn}), so
   * PostgreSQL decides. That connection is opened outside the databases' budgets (under
   * {@link LoginThrottling#maxConcurrentLogins()}), so a login never takes a connection
   * from, or closes one of, anybody already logged in; it becomes the person's first
   * pooled connection only if the budget has room without reclaiming, and is closed
   * otherwise. The same query that checks the connection's identity
   * ({@code session_user} and {@code current_user} must equal the role) feeds the
   * {@link LoginPolicy}. A pool opened earlier with another password is retired.
   *
   * <p>Before anything is sent, the attempt is checked against {@link LoginThrottling}.
   *
   * @param role the PostgreSQL role name, exactly as the server knows it (no case folding)
   * @param password the password; Userbound keeps its own copy, so the caller may wipe
   *     the array afterwards
   * @param client who is trying, for per-client throttling (a web layer passes the remote
   *     address); {@code null} if unknown
   * @return the verified login, to keep server-side between requests
   * @throws LoginFailedException if PostgreSQL refuses (wrong password and unknown role
   *     alike), the login policy refuses the role, the role name or password can never be
   *     valid, or the connection runs as another role; nothing is left behind
   * @throws LoginThrottledException if too many attempts failed recently for this role or
   *     client, or too many logins are being verified at once; nothing was sent
   * @throws DatabaseUnavailableException if no login database can be reached
   */
  Login login(String role, char[] password, @Nullable String client);

  /**
   * Logs a person in with a credential from a trusted sign-on (an OpenID Connect token, say)
   * instead of a database password. The configured {@link IdentityVerifier} checks the
   * credential and names the person's role; then the first login database checks the role,
   * through its gateway, in one round trip: PostgreSQL must let the gateway set it, and the
   * role must still log in ({@code LOGIN}, {@code VALID UNTIL}, {@code CONNECT}). The
   * {@link LoginPolicy} applies, and a token login is also refused for a role with {@code
   * CREATEROLE}, a {@code pg_*} role or a member of one, and the gateway itself. A refusal
   * does not say which of these it was. Every other database checks the role the same way
   * on its first request.
   *
   * <p>Only databases served with {@link IsolationStrategy#ROLE_SWITCHING} can serve such a
   * login (the person has no password to open a pool of their own with). The login is
   * audited with the issuer and the subject; the credential is never logged or kept.
   * Throttled as password logins are.
   *
   * @param credential the token as received; never logged, never kept
   * @param client who is trying, for per-client throttling; {@code null} if unknown
   * @return the verified login, to keep server-side as a password login is
   * @throws LoginFailedException if no verifier is configured, the verifier refuses the
   *     credential, or the database or the policy refuses the role; nothing is left behind
   * @throws TrustedLoginUnsupportedException if the login database is served with {@link
   *     IsolationStrategy#DEDICATED_POOLS}
   * @throws LoginThrottledException if too many attempts failed recently for this role or
   *     client, or too many logins are being verified at once
   * @throws DatabaseUnavailableException if no login database can be reached
   */
  Login loginWithToken(String credential, @Nullable String client);

  /**
   * Closes this person's pools on every database at once (connections in use close when
   * they are handed back) and wipes the login's password. Using the login afterwards gives
   * {@link LoginFailedException}. Idempotent.
   *
   * @param login a login made by this instance
   */
  void logout(Login login);

  /**
   * Wipes this login's password and refuses the login from now on, but leaves the
   * person's pools open: for when one of several sessions of the same person ends and
   * the others go on with their own logins. Idempotent.
   *
   * @param login a login made by this instance
   */
  void release(Login login);

  /**
   * Binds a login to the current thread until the returned binding is closed. Bindings
   * nest: while this one is open it is what the thread sees; once it is closed, the
   * thread sees the newest binding opened before it that is still open, or nothing.
   *
   * @param login a login made by this instance
   * @return the binding; close it when the work is done (on any thread)
   * @throws IllegalArgumentException if the login was made by another instance
   */
  Binding bind(Login login);

  /**
   * Returns the login bound to the current thread, if any: that of the newest binding
   * opened on this thread that is not closed.
   *
   * @return the bound login, or empty
   */
  Optional<Login> current();

  /**
   * Closes every binding still open on the current thread, whoever opened it. A web
   * filter calls this where a request starts and ends on a pooled thread, so that a
   * binding some code forgot to close can never serve another request.
   *
   * @return how many bindings were still open (0 on a clean thread)
   */
  int unbindAll();

  /**
   * Returns a connection of the bound person to a database. The first call for a database
   * opens that person's pool there with the same login. Close the connection to hand it
   * back.
   *
   * @param database a declared database's name
   * @return a connection authenticated as the bound person's role
   * @throws NotBoundException if no login is bound to this thread
   * @throws UnknownDatabaseException if the database was not declared
   * @throws LoginFailedException if the database refuses the password
   * @throws AccessDeniedException if the role may not connect to the database
   * @throws BudgetExhaustedException if the budget is spent and nothing came free in time
   * @throws DatabaseUnavailableException if the database cannot be reached
   */
  Connection connection(String database);

  /**
   * Returns a connection of the given person to a database, without looking at the
   * thread's binding: for work that is not request-scoped. Same rules and exceptions as
   * {@link #connection(String)}, except that nothing needs to be bound.
   *
   * @param login a login made by this instance
   * @param database a declared database's name
   * @return a connection authenticated as the login's role
   */
  Connection connection(Login login, String database);

  /**
   * Returns a {@link DataSource} for one database that hands out connections of whoever
   * is bound to the calling thread, for libraries that want a {@code DataSource}.
   * {@code getConnection(user, password)} is not supported. The same name always gives
   * the same instance, so transaction managers keyed by data source (Spring's, for
   * example) find their transaction again.
   *
   * @param database a declared database's name
   * @return the data source of that database, which follows the binding
   * @throws UnknownDatabaseException if the database was not declared
   */
  DataSource dataSource(String database);

  /**
   * Returns a snapshot of one database's pools and budget.
   *
   * @param database a declared database's name
   * @return the snapshot
   * @throws UnknownDatabaseException if the database was not declared
   */
  DatabaseStats stats(String database);

  /**
   * Returns a snapshot for every declared database, in declaration order.
   *
   * @return the snapshots
   */
  List<DatabaseStats> stats();

  /**
   * Tells whether a database can serve requests, for readiness checks: whether its server
   * answers (a startup message that is never authenticated, as {@code pg_isready} sends,
   * within the connection timeout, at most 2 s; one probe per database at a time, and a
   * result less than a second old is reused, so a flood of health checks costs the server
   * at most one connection attempt per second) and how much of the budget is in use.
   *
   * @param database a declared database's name
   * @return the verdict
   * @throws UnknownDatabaseException if the database was not declared
   */
  DatabaseHealth health(String database);

  /**
   * Tells whether each declared database can serve requests, in declaration order; see
   * {@link #health(String)}.
   *
   * @return the verdicts
   */
  List<DatabaseHealth> health();

  /**
   * Logs out every login of this role made by this instance, on every database: the pools
   * close, and requests made with any of those logins are refused (as after {@link
   * #logout}) until the person logs in again. For incidents: a compromised account, a
   * person who must lose access now. Logins made after the call are not affected.
   *
   * @param role the role name, exactly as PostgreSQL knows it
   * @return how many databases had a pool or connections of the role
   */
  int logoutRole(String role);

  /**
   * Closes every idle connection of a database now: per-person pools with no request in
   * flight close whole (their people's next requests log in again), and under
   * ROLE_SWITCHING the idle gateway connections close. Connections in use are not touched.
   *
   * @param database a declared database's name
   * @return how many connections are closing
   * @throws UnknownDatabaseException if the database was not declared
   */
  int closeIdle(String database);

  /**
   * Adds a receiver of borrow, open and use durations for metrics (binding-micrometer's
   * {@code UserboundMetrics} adds one when bound to a registry).
   *
   * @param listener the receiver; see {@link TimingListener} for its contract
   */
  void addTimingListener(TimingListener listener);

  /**
   * Removes a receiver added with {@link #addTimingListener}.
   *
   * @param listener the receiver
   */
  void removeTimingListener(TimingListener listener);

  /**
   * Returns the configuration this instance was created with.
   *
   * @return the configuration
   */
  UserboundConfig config();

  /**
   * Closes every pool and physical connection, also those lent to requests right now,
   * and stops the shared housekeeping thread. The next use of a connection that was lent
   * gets an {@link java.sql.SQLException} with SQLSTATE {@code 08003}. Never throws;
   * idempotent.
   */
  @Override
  void close();
}
