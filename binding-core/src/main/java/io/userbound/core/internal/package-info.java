/**
 * Userbound's implementation. Not API: anything here may change in any release.
 *
 * <p>Where each file belongs. The layers are those of {@code Database}'s header, top down:
 * calls go down, and a lower layer reaches a higher one only through the callbacks marked
 * "up". The SQL guard, which the surface asks what a text may do, is the subpackage {@code
 * sql}. The plain forwarding under the JDBC views ({@code Forwarding*}) is generated at build
 * time ({@code src/build/java/ForwardingGenerator.java}) and is not listed. {@code LayoutTest}
 * fails when a file of this package is missing here, is listed twice, or is listed but gone.
 *
 * <pre>
 * registry: one Userbound instance, and who is bound to which thread
 *   DefaultUserbound        the registry: databases by name, threads, login, bind, close
 *   DefaultLogin            a verified login; remembers the pool that served it last
 *   Fingerprints            keyed, constant-time fingerprints of (role, password)
 *   ThreadBinding           a login bound to a thread; nested bindings
 *   Jmx                     one DatabaseMXBean per database while the instance is open
 *   ServerLimits            whether the budgets fit each server's max_connections
 *
 * database: one declared database
 *   Database                budget, pools, lifecycle; the maintainer's map of this package
 *   LoginGuard              throttles password verification, with bounded state
 *   LoginRecheck            retires the pools of logins PostgreSQL would now refuse
 *   HealthProbe             is the server there: pg_isready, without a login
 *   TlsCheck                warns at start-up when passwords go to an unverified server
 *   ErrorMapper             driver and pool failures into typed exceptions
 *
 * pools: a person's connections (DEDICATED_POOLS) or the gateway's (ROLE_SWITCHING)
 *   PersonPool              one person's HikariCP pool on one database
 *   PoolState               a pool's lease count (striped once contended), RETIRED, CLOSING
 *   PoolEvents              up, pool to database: retired, close later, closed, used
 *   Opener                  up, a pool's data source to database: open under the budget
 *   BudgetedDataSource      what HikariCP opens connections with; holds the hand-off
 *   GatewayPool             ROLE_SWITCHING's one pool of gateway connections
 *   GatewayConnection       one borrow of a gateway connection, put back on close
 *   Lender                  up, connection to pool: end the lease, evict, another, touch
 *   HandBack                a database's hand-back rules: what is reset, and how
 *
 * surface: what the application holds; every object leads back to PooledConnection
 *   BaseDataSource          what Userbound's data sources answer alike
 *   BoundDataSource         the DataSource that serves whoever is bound
 *   PooledConnection        the connection a request gets; close() is the hand-back
 *   StatementView           a statement; its SQL passes the guard on the way
 *   PreparedStatementView   a prepared statement; owns its parameters under ROLE_SWITCHING
 *   CallableStatementView   a callable statement
 *   ResultSetView           a result set; nested JDBC objects come out as views
 *   ObjectView              metadata, arrays, LOBs, SQLXML, Struct, Ref, Savepoint
 *   Views                   the driver's own interfaces (unwrap), as dynamic proxies
 *   InBand                  ROLE_SWITCHING: the role travels with each statement
 *
 * physical: one pgjdbc connection and its socket
 *   PhysicalConnection      what HikariCP pools; gives its permit back exactly once
 *   ForwardingConnection    forwarding base of PhysicalConnection, GatewayConnection
 *   PhysicalConnector       opens connections; checks the role they run as
 *   ConnectExecutor         threads for pgjdbc's connect (pgjdbc loads it by name)
 *   ExitAwareSocketFactory  pgjdbc's socket factory (by name): close waits for the backend
 *   ChannelSocket           a Socket over a SocketChannel: peek, and the exit wait
 *   PoolerErrors            PgBouncer's 08P01 back to the SQLSTATE PostgreSQL would send
 *
 * budget: the cap on physical connections of one database
 *   Budget                  permits, waiting in slices, reclaim
 *   Permit                  what a physical connection gives back, once
 *
 * cross-cutting: used from several layers
 *   Names                   role names and passwords are hostile input
 *   Signals                 events and timings to the listeners
 *   Slf4jAuditLog           the default listener (public: UserboundListener.slf4j())
 *   ConfigSecrets           reads DatabaseConfig's gateway password (public: DatabaseConfig)
 * </pre>
 */
package io.userbound.core.internal;
