package io.userbound.core.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import io.userbound.core.AccessDeniedException;
import io.userbound.core.DatabaseConfig;
import io.userbound.core.DatabaseHealth;
import io.userbound.core.DatabaseStats;
import io.userbound.core.DatabaseUnavailableException;
import io.userbound.core.IsolationStrategy;
import io.userbound.core.LogText;
import io.userbound.core.LoginFailedException;
import io.userbound.core.LoginPolicy;
import io.userbound.core.Ticker;
import io.userbound.core.TrustedLoginUnsupportedException;
import io.userbound.core.UserboundEvent;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * One declared database at run time: its budget and the per-person pools, keyed by role.
 * This header is the maintainer's note on the pool lifecycle; the code of each part says
 * only what is local to it.
 *
 * LAYERS. Calls go one way: DefaultUserbound (the registry) -> Database -> PersonPool or
 * GatewayPool (the pools) -> PooledConnection and the JDBC views (the surface) ->
 * PhysicalConnection (physical) -> Budget. A lower layer reaches a higher one only through a
 * narrow callback: PoolEvents (pool -> database: retired, close, closed, used), Opener (a
 * pool's data source -> database: open a physical connection under the budget) and Lender
 * (connection -> pool: end the lease, evict, replace, touch; PersonPool, and GatewayPool's
 * Person). The surface asks the SQL guard what a text may do: the one layer with a subpackage
 * (internal.sql), since it knows nothing of the rest and is asked through one call
 * (SqlClassifier.classify and its flags, its only public members). The rest is one package:
 * package-info lists every file under its layer, with its role, and LayoutTest fails when a
 * file is missing there, listed twice, or gone. A subpackage per layer would make public what
 * the layers share package-privately now (the callbacks above, PoolState, the physical
 * connection's socket).
 *
 * STATES OF A POOL (PoolState: a lease count, striped once two threads collide on it, and
 * the RETIRED and CLOSING flags).
 *   opening  A verified first connection exists, the pool does not yet. Concurrent first
 *            requests of one login share the open through `opening` (entries live only
 *            while it is in flight). The open does network I/O, so it never runs inside
 *            the map's compute: the caller connects on its own thread, then install()
 *            puts the pool in with a quick compute. No lock across roles.
 *   leased   In the map. Every borrow holds a lease from before HikariCP is asked until
 *            PooledConnection.close() (or the failed borrow) ends it. A new pool starts
 *            with one lease, its creator's.
 *   retired  Out of the map (idle expiry, the size cap, logout, a password change, a
 *            concurrent open that lost, shutdown): the removal listener or the caller
 *            retires it. No new lease, except for the request that opened it (the size
 *            cap may evict a brand-new pool at once; that request is still served). It
 *            stays in `retired` until closed, so stats and shutdown see what it lends.
 *   closing  Set by exactly one CAS: retire() of a pool without leases, or the endLease()
 *            of the last lease after retirement, or shutDown(). That caller (or the closer
 *            thread it hands to) closes it.
 *   closed   HikariCP's pool is closed, the password wiped, the pool dropped from
 *            `retired`. A pool closes exactly once, and never under a request (except at
 *            Userbound.close(), which aborts connections in use and says so to their users).
 *
 * PERMITS. The budget holds one permit per open physical connection of requests, and
 * only PhysicalConnection gives it back, exactly once, when that connection closes
 * (after its backend exited: ChannelSocket waits for it). Who holds a permit:
 *   - Opener.open takes it before connecting and returns it if the connect fails;
 *   - the connection then holds it, through HikariCP, the hand-off slot, a lent
 *     PooledConnection, until it closes;
 *   - a login being verified holds no permit (Permit.NONE, under LoginGuard's own cap);
 *     its connection moves under the budget (moveTo) only if a permit is free right now.
 * So permits in use equal open physical connections of requests, always.
 *
 * THE HAND-OFF. A pool's first connection is opened by the caller itself (a refusal is
 * typed and immediate) and left in BudgetedDataSource's hand-off; HikariCP's first request
 * for a connection takes it, after a local liveness check. Reclaim may drop it instead.
 *
 * THE RECLAIM RULE. When the budget is spent, a person's FIRST connection may close the
 * pool of the least recently used other person whose connections are all idle (Caffeine's
 * access order), then waits in short slices up to the connection timeout. A FURTHER
 * connection of a person who has one only takes free budget: otherwise two requests of one
 * person would close another person's only connection, who would reclaim someone else's,
 * and so on. A login never reclaims (see PERMITS). Victims are chosen under Caffeine's lock
 * and closed outside it, on the closer thread: closing waits for the backend to exit. The
 * whole pool goes, not just its connections, so the map holds only pools with connections
 * (and the search for a victim stays short however many people are logged in).
 *
 * RECLAIM AHEAD. Waiting for a victim's backend to exit would cost the request that needs
 * the permit. So when someone found no permit free (a miss, see Budget) and fewer than
 * reclaimAhead permits are free or on their way back (Budget.reserveDeficit), the closer
 * thread closes least recently used idle pools until the deficit is covered, at most
 * reclaimAhead per miss; the next person to need a connection finds a free permit. It
 * costs warm connections only when demand met a spent budget, never in a steady state.
 *
 * WHERE THE RESET RUNS. On the request thread, inside PooledConnection.close(), before
 * HikariCP sees the connection again and under a deadline (HandBack): a connection is
 * never lent with the last request's state on it, and a stalled server costs the request
 * at most the deadline. An asynchronous reset was measured slower on these 2-core machines.
 *
 * TWO STRATEGIES, ONE SEAM. What differs between them sits behind Lending (the end of
 * this file): Dedicated (the per-person pools above) and Switching, which replaces them by
 * one GatewayPool (see its header and InBand's): no PersonPool, no Caffeine entries, no
 * hand-off. A login is verified as above and its connection closed; a database that is not
 * a login database verifies a login once, on its first request, with a real login under
 * the budget (reclaim then closes the least recently returned idle gateway connection).
 * Budget, logout (the person's connections reset on their next use), stats and shutdown go
 * to the gateway pool. Nothing else in this class asks which strategy it serves.
 *
 * THE REQUEST PATH avoids the map: a login remembers the pool that served it last
 * (DefaultLogin), and a pool records its access in the map only now and then (touch).
 *
 * INVARIANTS, checked by tests: permits in use == open physical connections of requests
 * (BudgetTest, HandBackTest); a pool closes exactly once, after its last lease
 * (PoolStateTest, EvictionTest); the map only ever holds verified logins' pools, so it
 * cannot grow with the role names an attacker tries (LoginAttackTest).
 */
final class Database {

  private static final Logger log = LoggerFactory.getLogger(Database.class);
  private final ServerLimits.Server server;

  final DatabaseConfig config;
  final int index;
  final Budget budget;
  final HandBack handBack;
  private final PhysicalConnector connector;
  private final Lending lending; // how requests get connections: Dedicated or Switching
  private final Cache<String, PersonPool> pools;
  private final ConcurrentHashMap<String, Opening> opening = new ConcurrentHashMap<>();
  private final Set<PersonPool> retired = ConcurrentHashMap.newKeySet();
  private final ExecutorService closer;
  private final PersonPool.Context poolContext;
  private final ErrorMapper errors;
  private final long timeoutNanos;
  private final Signals signals;
  private final HealthProbe probe;

  private final LongAdder loginsAccepted = new LongAdder();
  private final LongAdder loginsRefused = new LongAdder();
  private final LongAdder poolsEvicted = new LongAdder();
  private final LongAdder reclaimed = new LongAdder();
  private final LongAdder opened = new LongAdder();
  private final AtomicBoolean reclaimAheadQueued = new AtomicBoolean();
  private volatile LongSupplier throttled = () -> 0;

  /* The login policy, for a token login's first request on a database not asked at login. */
  private final LoginPolicy policy;

  Database(
      DatabaseConfig config,
      int index,
      Ticker ticker,
      ScheduledExecutorService scheduler,
      ExecutorService closer,
      ThreadFactory hikariThreads,
      String applicationName,
      Signals signals,
      ServerLimits.Server server,
      LoginPolicy policy) {
    this.config = config;
    this.policy = policy;
    this.server = server;
    this.index = index;
    this.signals = signals;
    this.probe =
        new HealthProbe(config.jdbcUrl(), applicationName, config.connectionTimeout().toMillis());

    boolean switching = config.strategy() == IsolationStrategy.ROLE_SWITCHING;
    this.budget =
        new Budget(
            config.name(),
            config.budget(),
            switching ? 0 : config.reclaimAhead(),
            this::reclaimAheadSoon);
    budget.onExhausted(
        role ->
            signals.event(
                UserboundEvent.Type.BUDGET_EXHAUSTED,
                config.name(),
                role,
                null,
                "no connection within " + config.connectionTimeout().toMillis() + " ms"));
    this.handBack = new HandBack(config, signals);
    TlsCheck.warnIfUnverified(config);
    this.connector = new PhysicalConnector(config, applicationName, signals);
    this.closer = closer;
    if (switching) {
      GatewayPool gateway = new GatewayPool(config, budget, connector, handBack, closer, ticker);
      long every = Math.max(1_000, Math.min(30_000, config.idleTimeout().toMillis() / 4));
      var unused =
          scheduler.scheduleWithFixedDelay(
              gateway::housekeep, every, every, TimeUnit.MILLISECONDS); // ends at shutdown
      this.lending = new Switching(gateway);
    } else {
      this.lending = new Dedicated(scheduler);
    }
    this.poolContext =
        new PersonPool.Context(
            config, handBack, ticker, new Events(), this::openPhysical, scheduler, hikariThreads);
    this.errors = new ErrorMapper(this);
    this.timeoutNanos = config.connectionTimeout().toNanos();
    this.pools =
        Caffeine.newBuilder()
            .expireAfterAccess(config.idleTimeout())
            .maximumSize(config.maxPools())
            .ticker(ticker::read)
            .executor(Runnable::run)
            .scheduler(Scheduler.forScheduledExecutorService(scheduler))
            .removalListener(
                (String role, PersonPool pool, RemovalCause cause) -> {
                  if (pool != null) {
                    pool.retire(why(cause));
                  }
                })
            .build();
  }

  String name() {
    return config.name();
  }

  /** Why Caffeine dropped a pool, in an operator's words (explicit removals retire first). */
  private static String why(RemovalCause cause) {
    return switch (cause) {
      case EXPIRED -> "idle timeout";
      case SIZE -> "size cap (maxPools)";
      case REPLACED -> "replaced by a newer login";
      default -> cause.name().toLowerCase(Locale.ROOT);
    };
  }

  /** What asking this database to verify a password came to. */
  enum Verdict {
    /** PostgreSQL accepted the password, the identity and the policy held. */
    ACCEPTED,
    /** PostgreSQL accepted the password but refused CONNECT (42501): proven, no connection. */
    PROVEN,
    /** Refused: wrong password, the login policy, or the wrong identity. Ask no further. */
    REFUSED,
    /** No answer about the password: unreachable, or refused before authentication (28000). */
    NO_ANSWER
  }

  record Verification(Verdict verdict, RuntimeException failure) {}

  /*
   * What a token login's policy needs, read as the person (current_user) on a gateway
   * connection, schema-qualified as every text Userbound runs in a person's session. The
   * last column says whom it read: the role the prefix set.
   */
  private static final String TOKEN_ROLE =
      "select r.rolsuper, r.rolbypassrls, r.rolreplication, r.rolcreaterole,"
          + " array(with recursive m(id) as (select roleid from pg_catalog.pg_auth_members"
          + " where member operator(pg_catalog.=) r.oid union select a.roleid from"
          + " pg_catalog.pg_auth_members a join m on a.member operator(pg_catalog.=) m.id)"
          + " select g.rolname::pg_catalog.text from pg_catalog.pg_roles g join m on g.oid"
          + " operator(pg_catalog.=) m.id), current_user::pg_catalog.text, r.rolcanlogin"
          + " and (r.rolvaliduntil is null or r.rolvaliduntil operator(pg_catalog.>)"
          + " pg_catalog.now()), pg_catalog.has_database_privilege(r.oid,"
          + " pg_catalog.current_database(), 'CONNECT')"
          + " from pg_catalog.pg_roles r where r.rolname operator(pg_catalog.=) current_user";

  /**
   * Verifies a login: a new physical connection with its password, outside the budget (the
   * caller holds a LoginGuard slot), so a login neither waits for nor reclaims anybody's
   * connection. If PostgreSQL accepts and the policy allows, the connection becomes the
   * first of the person's pool when the budget has a free permit right now, and is closed
   * otherwise (the pool then opens on the person's first request).
   */
  Verification verify(DefaultLogin login, LoginPolicy policy) {
    PhysicalConnection c;
    char[] password = login.passwordCopyForOpen();
    if (Names.preparesToNothing(password)) {
      Arrays.fill(password, '\0');
      loginsRefused.increment();
      log.info(
          "database '{}' refused the login of {}: the password is empty after SASLprep",
          name(),
          Names.forMessage(login.role));
      return new Verification(Verdict.REFUSED, errors.refusedLogin(login.role, "28P01", null));
    }
    try {
      c = connector.open(login.role, password, Permit.NONE, true);
    } catch (SQLException e) {
      return refused(login, e);
    } finally {
      Arrays.fill(password, '\0');
    }
    String refusal = policy.refusal(c.role());
    if (refusal != null) {
      closeQuietly(c);
      loginsRefused.increment();
      log.debug(
          "database '{}': the login policy refused {}: {}",
          name(),
          Names.forMessage(login.role),
          refusal);
      return new Verification(Verdict.REFUSED, errors.refusedLogin(login.role, "28000", null));
    }
    if (lending.refuses(login.role)) {
      closeQuietly(c);
      loginsRefused.increment();
      log.info(
          "database '{}': refused a login as its ROLE_SWITCHING gateway {}",
          name(),
          Names.forMessage(login.role));
      return new Verification(Verdict.REFUSED, errors.refusedLogin(login.role, "28000", null));
    }
    loginsAccepted.increment();
    log.debug("database '{}' accepted the login of {}", name(), Names.forMessage(login.role));
    server.checkOnce(c); // one query, on the first verified connection to this server
    lending.verified(login, c);
    return new Verification(Verdict.ACCEPTED, null);
  }

  /**
   * Verifies a token login's role (Userbound.loginWithToken): only a ROLE_SWITCHING database
   * can, through its gateway, in one round trip; see Switching.verifyToken.
   */
  Verification verifyToken(DefaultLogin login) {
    return lending.verifyToken(login, policy);
  }

  /*
   * What a token login must not be, over the login policy: a role that can make or change
   * roles (CREATEROLE), a predefined pg_* role or a member of one (they read or write every
   * table, files, other sessions), or the gateway. Null if none.
   */
  static @Nullable String tokenRefusal(LoginPolicy.Role role, boolean createRole) {
    if (createRole) {
      return "the role has CREATEROLE";
    }
    if (role.name().startsWith("pg_")) {
      return "the role is a predefined pg_ role";
    }
    for (String group : role.memberOf()) {
      if (group.startsWith("pg_")) {
        return "the role is a member of a predefined pg_ role";
      }
    }
    return null;
  }

  private Verification refused(DefaultLogin login, SQLException e) {
    RuntimeException mapped = errors.onLogin(login.role, e);
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (state.equals("42501")) {
      // CONNECT is checked only after authentication: the password is right.
      loginsAccepted.increment();
      login.denied(index);
      log.debug(
          "database '{}' accepted the password of {} but refused CONNECT",
          name(),
          Names.forMessage(login.role));
      return new Verification(Verdict.PROVEN, null);
    }
    if (mapped instanceof LoginFailedException) {
      loginsRefused.increment();
      log.info(
          "database '{}' refused the login of {} (SQLSTATE {})",
          name(),
          Names.forMessage(login.role),
          state.isEmpty() ? "none" : state);
      // 28000 comes before authentication (a pg_hba reject, NOLOGIN): it proves nothing
      // about the password, so another login database may still decide.
      return new Verification(
          state.equals("28000") && !(e instanceof PhysicalConnector.IdentityMismatch)
              ? Verdict.NO_ANSWER
              : Verdict.REFUSED,
          mapped);
    }
    return new Verification(Verdict.NO_ANSWER, mapped);
  }

  /** A connection for this login, opening (and verifying) its pool on first use. */
  Connection connection(DefaultLogin login) {
    if (login.isDenied(index)) {
      throw errors.noConnect(login.role);
    }
    return lending.connection(login);
  }

  /** DEDICATED_POOLS: a connection of the login's own pool, opened with a real login. */
  private Connection dedicated(DefaultLogin login) {
    PersonPool pool = login.pool(index);
    if (pool == null || !pool.tryLease(false)) {
      pool = lease(login);
    }
    try {
      return pool.borrowLeased();
    } catch (SQLException e) {
      if (pool.totalConnections() > 0 || errors.isBudget(e)) {
        throw errors.onBorrow(login.role, e);
      }
      // A pool that holds no connection and cannot open one (server down or restarted,
      // password changed, LOGIN revoked) is dropped, and this request tries once more
      // with a real login on its own thread: it fails at once while the cause lasts and
      // succeeds at once when it is gone, instead of waiting out HikariCP's back-off.
      pools.asMap().remove(login.role, pool);
      PersonPool fresh = lease(login);
      try {
        return fresh.borrowLeased();
      } catch (SQLException again) {
        throw errors.onBorrow(login.role, again);
      }
    }
  }

  /** ROLE_SWITCHING: opens and checks the first gateway connection (see Switching). */
  void warmUp() {
    lending.warmUp();
  }

  /** The login's pool with a lease taken, opened with a real login if there is none. */
  private PersonPool lease(DefaultLogin login) {
    PersonPool pool = pools.getIfPresent(login.role);
    if (pool == null || !pool.accepts(login) || !pool.tryLease(false)) {
      // No pool, one opened with another password, or one being retired: only a real
      // login may open a new one. A refusal leaves an old pool untouched.
      pool = open(login, false);
    }
    login.remember(index, pool);
    return pool;
  }

  /*
   * Returns a pool for this login with a lease held for the caller. Unless forced, a
   * live pool opened with the same password is reused; otherwise a real login opens the
   * first connection. Concurrent real logins of the same role and password share one
   * attempt.
   */
  private PersonPool open(DefaultLogin login, boolean forceRealLogin) {
    for (int attempt = 0; ; attempt++) {
      if (!forceRealLogin) {
        PersonPool existing = pools.getIfPresent(login.role);
        if (existing != null && existing.accepts(login) && existing.tryLease(false)) {
          return existing;
        }
      }
      Opening mine = new Opening(login.fingerprint);
      Opening theirs = opening.putIfAbsent(login.role, mine);
      if (theirs != null && login.matches(theirs.fingerprint)) {
        PersonPool shared = theirs.join(this, login.role);
        if (shared.tryLease(true)) {
          return shared;
        }
        if (attempt < 3) {
          continue; // closed before we could use it; try again
        }
      }
      if (theirs != null) {
        mine = null; // another password is being tried for this role; do not share
      }
      try {
        Connection first = openVerified(login, login.passwordCopyForOpen());
        PersonPool pool = install(login, first);
        complete(mine, pool, null);
        return pool;
      } catch (RuntimeException e) {
        if (e instanceof AccessDeniedException) {
          login.denied(index);
        }
        complete(mine, null, e);
        throw e;
      } finally {
        if (mine != null) {
          opening.remove(login.role, mine);
        }
      }
    }
  }

  private static void complete(Opening o, PersonPool pool, RuntimeException failure) {
    if (o != null) {
      if (failure != null) {
        o.future.completeExceptionally(failure);
      } else {
        o.future.complete(pool);
      }
    }
  }

  /** Opens one physical connection as this role, on the caller's thread, typed errors. */
  private Connection openVerified(DefaultLogin login, char[] password) {
    String role = login.role;
    try {
      Connection c = openPhysical(role, password, false, login);
      loginsAccepted.increment();
      log.debug("database '{}' accepted the login of {}", name(), Names.forMessage(role));
      return c;
    } catch (SQLException e) {
      RuntimeException mapped = errors.onLogin(role, e);
      if (mapped instanceof LoginFailedException || mapped instanceof AccessDeniedException) {
        loginsRefused.increment();
        signals.event(
            UserboundEvent.Type.LOGIN_REFUSED,
            name(),
            role,
            null,
            "SQLSTATE " + e.getSQLState() + " opening a connection for a request");
        log.info(
            "database '{}' refused the login of {} (SQLSTATE {})",
            name(),
            Names.forMessage(role),
            e.getSQLState());
      }
      throw mapped;
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  /** Opens a physical connection under the budget (the Opener of every pool). */
  PhysicalConnection openPhysical(String role, char[] password, boolean further)
      throws SQLException {
    return openPhysical(role, password, further, null);
  }

  /*
   * The same, for a request of this login: while it waits for budget, a logout ends the wait
   * (LoginFailedException) before it reclaims anybody's connection for a person who is gone.
   */
  private PhysicalConnection openPhysical(
      String role, char[] password, boolean further, DefaultLogin forLogin) throws SQLException {
    if (further) {
      // A further connection for someone who has one already only takes free budget. If
      // it reclaimed, two requests of one person at once would close another person's
      // only connection, who would then reclaim someone else's, and so on; without it,
      // the request waits for the person's own connection to come back.
      if (!budget.tryAcquire()) {
        throw new Budget.BudgetSQLException(name());
      }
    } else {
      budget.acquire(
          () -> {
            if (forLogin != null && forLogin.isLoggedOut()) {
              throw loggedOutWhileOpening(role);
            }
            // Looked at again once a victim is chosen: a logout that came before that
            // person's connection went idle (held.close() after logout(), say) is seen.
            return reclaimIdle(role, () -> forLogin == null || !forLogin.isLoggedOut()) > 0;
          },
          timeoutNanos,
          role);
    }
    try {
      PhysicalConnection c = connector.open(role, password, budget);
      opened.increment();
      return c;
    } catch (SQLException | RuntimeException e) {
      budget.release();
      throw e;
    }
  }

  /** Installs a new pool around a verified connection; returns it with the caller's lease. */
  private PersonPool install(DefaultLogin login, Connection first) {
    PersonPool existing = pools.getIfPresent(login.role);
    if (existing != null && existing.accepts(login) && existing.tryLease(false)) {
      // A login again with the same password: the verification was the point; the
      // person's pool stays as it is.
      closeQuietly(first);
      return existing;
    }
    PersonPool fresh;
    try {
      fresh =
          new PersonPool(
              poolContext, login.role, login.fingerprint, login.passwordCopyForOpen(), first);
    } catch (RuntimeException e) {
      closeQuietly(first);
      throw e;
    }
    PersonPool winner =
        pools
            .asMap()
            .compute(
                login.role,
                (role, old) ->
                    old != null && old.sameFingerprint(fresh) && old.tryLease(false) ? old : fresh);
    if (winner != fresh) {
      fresh.retire("a concurrent login of the same person won");
      fresh.endLease();
    } else {
      signals.event(UserboundEvent.Type.POOL_OPENED, name(), login.role, null, "");
    }
    if (login.isLoggedOut()) {
      // Logged out while this was being opened (a wait for budget, say). logout() marks
      // the login before it evicts, so either it evicts this pool or this sees the mark.
      if (winner == fresh) {
        pools.asMap().remove(login.role, fresh);
        fresh.retire("logged out while it opened");
      }
      winner.endLease();
      throw loggedOutWhileOpening(login.role);
    }
    return winner;
  }

  private LoginFailedException loggedOutWhileOpening(String role) {
    return new LoginFailedException(
        name(),
        "the login of "
            + Names.forMessage(role)
            + " was logged out while its connection was being opened; log in again",
        null,
        null);
  }

  /** The budget ran low: close idle connections ahead of demand, on the closer thread. */
  private void reclaimAheadSoon() {
    if (reclaimAheadQueued.compareAndSet(false, true)) {
      try {
        closer.execute(this::reclaimAhead);
      } catch (RejectedExecutionException e) {
        reclaimAheadQueued.set(false); // shutting down
      }
    }
  }

  /**
   * Closes the least recently used idle pools until the reserve is free or coming back, within
   * the credit that misses gave (Budget). The
   * deficit is taken once: permits of the pools closed here count as coming back only once
   * their connections start closing, so looking again would close too many.
   */
  private void reclaimAhead() {
    reclaimAheadQueued.set(false);
    int deficit = budget.reclaimAheadAllowance();
    while (deficit > 0) {
      int closed = reclaimIdle(null, () -> true);
      if (closed == 0) {
        return; // nobody idle: everything open is in use
      }
      budget.reclaimedAhead(closed);
      deficit -= closed;
    }
  }

  /**
   * Closes the pool of the least recently used other person whose connections are all idle:
   * their permits come back when the backends have exited. The pool goes too (its person's
   * next request opens a new one with a real login), so the pools kept are those that hold
   * connections, and the search for the next victim stays short.
   *
   * @param requester the role asking, never chosen; null for the reclaim ahead of demand
   * @param stillWanted asked once a victim is chosen, before it is closed: false leaves it
   * @return how many connections are closing for it (0: nobody idle to reclaim)
   */
  int reclaimIdle(String requester, BooleanSupplier stillWanted) {
    return lending.reclaimIdle(requester, stillWanted);
  }

  private int reclaimIdlePool(String requester, BooleanSupplier stillWanted) {
    Optional<Policy.FixedExpiration<String, PersonPool>> byAccess =
        pools.policy().expireAfterAccess();
    if (byAccess.isEmpty()) {
      return 0;
    }
    // Pick under Caffeine's lock, close outside it: closing waits for the backend to exit.
    PersonPool victim =
        byAccess
            .get()
            .oldest(
                stream ->
                    stream
                        .map(Policy.CacheEntry::getValue)
                        .filter(
                            p ->
                                !p.role.equals(requester)
                                    && !p.isRetired()
                                    && p.leases() == 0
                                    && p.idle() > 0)
                        .findFirst()
                        .orElse(null));
    if (victim == null || !stillWanted.getAsBoolean()) {
      return 0;
    }
    int connections = victim.idle();
    victim.retire(requester == null ? "reclaimed ahead of demand" : "reclaimed for another person");
    if (!pools.asMap().remove(victim.role, victim)) {
      return 0; // replaced or removed meanwhile; the caller looks again
    }
    // Retired above; with no lease it closes now, on the closer thread.
    reclaimed.add(connections);
    signals.event(
        UserboundEvent.Type.RECLAIM,
        name(),
        victim.role,
        null,
        connections
            + " idle connection(s) closed "
            + (requester == null
                ? "ahead of demand"
                : "for a request of " + Names.forMessage(requester)));
    return connections;
  }

  /** Logout: retires this role's pool at once; true if it had one (or idle connections). */
  boolean evict(String role) {
    return lending.evict(role);
  }

  private boolean evictPool(String role) {
    PersonPool pool = pools.getIfPresent(role);
    if (pool == null) {
      return false;
    }
    pool.retire("logout"); // first, so that the reason is the logout
    pools.asMap().remove(role, pool);
    PersonPool other = pools.asMap().remove(role); // a pool opened meanwhile goes too
    if (other != null) {
      other.retire("logout");
    }
    return true;
  }

  /** Closes every idle connection now: pools without a request in flight close whole. */
  int closeIdle() {
    return lending.closeIdle();
  }

  private int closeIdlePools() {
    int closing = 0;
    for (var e : pools.asMap().entrySet()) {
      PersonPool p = e.getValue();
      if (p.leases() == 0 && !p.isRetired()) {
        int idle = p.idle();
        p.retire("closeIdle (an operator)");
        if (pools.asMap().remove(e.getKey(), p)) {
          closing += idle;
        }
      }
    }
    return closing;
  }

  /** Whether the server answers, and how full the budget is. */
  DatabaseHealth health() {
    HealthProbe.Result r = probe.probe();
    int used = budget.used();
    int waitingNow = budget.waiting() + lending.waiting();
    DatabaseHealth.Status status;
    String detail = r.detail();
    if (!r.reachable()) {
      status = DatabaseHealth.Status.DOWN;
    } else if ("53300".equals(r.sqlState())) {
      status = DatabaseHealth.Status.SATURATED;
      detail = "the server has no free connection slot: " + detail;
    } else if (waitingNow > 0 || used >= budget.size) {
      status = DatabaseHealth.Status.SATURATED;
      detail = "the budget is spent (" + waitingNow + " waiting); " + detail;
    } else {
      status = DatabaseHealth.Status.UP;
    }
    return new DatabaseHealth(
        name(), status, r.reachable(), budget.size, used, waitingNow, detail, r.millis());
  }

  /** The first login database reports the instance's throttled logins. */
  void reportThrottled(LongSupplier count) {
    this.throttled = count;
  }

  /** What the pools of this database tell it. */
  private final class Events implements PoolEvents {

    @Override
    public void retired(PersonPool pool, String why) {
      retired.add(pool);
      poolsEvicted.increment();
      signals.event(UserboundEvent.Type.POOL_RETIRED, name(), pool.role, null, why);
    }

    @Override
    public void closeLater(PersonPool pool) {
      try {
        closer.execute(pool::closeNow);
      } catch (RejectedExecutionException e) {
        pool.closeNow();
      }
    }

    @Override
    public void closed(PersonPool pool) {
      retired.remove(pool);
      signals.event(UserboundEvent.Type.POOL_CLOSED, name(), pool.role, null, "");
    }

    @Override
    public void used(String role) {
      var unused = pools.getIfPresent(role); // a read: refreshes its place in the LRU order
    }
  }

  DatabaseStats stats() {
    pools.cleanUp(); // expiry due now is applied, so the figures are current
    Figures f = lending.figures();
    return new DatabaseStats(
        name(),
        f.pools(),
        f.active(),
        f.idle(),
        budget.size,
        budget.used(),
        budget.waiting() + lending.waiting(),
        loginsAccepted.sum(),
        loginsRefused.sum(),
        throttled.getAsLong(),
        poolsEvicted.sum(),
        reclaimed.sum(),
        opened.sum(),
        f.switches(),
        handBack.performed.sum(),
        handBack.skipped.sum(),
        budget.waits.sum(),
        budget.exhausted.sum());
  }

  /** Shutdown: every pool closes now, connections in use included. */
  void close() {
    lending.close();
    for (PersonPool p : pools.asMap().values()) {
      p.shutDown();
    }
    pools.invalidateAll();
    pools.cleanUp();
    for (PersonPool p : Set.copyOf(retired)) {
      p.shutDown();
    }
  }

  /*
   * THE SEAM between the two strategies: what differs between DEDICATED_POOLS (a pool per
   * person, Caffeine's map, reclaim of whole pools) and ROLE_SWITCHING (one GatewayPool).
   * Everything else in this class (verifying logins, the budget, health, figures) is shared.
   */
  private interface Lending {
    /** A connection for a login this database may serve. */
    Connection connection(DefaultLogin login);

    /** A verified login's connection: kept for the person's pool, or closed. */
    void verified(DefaultLogin login, PhysicalConnection c);

    /** Checks a token login's role here (Userbound.loginWithToken). */
    Verification verifyToken(DefaultLogin login, LoginPolicy policy);

    /** Whether a login as this role is refused here whatever the password (the gateway). */
    boolean refuses(String role);

    /**
     * Frees idle connections of somebody other than the requester, if {@code stillWanted}
     * says so once they are chosen; how many are closing.
     */
    int reclaimIdle(String requester, BooleanSupplier stillWanted);

    /** Logout: nothing of this person's stays usable; true if something was held. */
    boolean evict(String role);

    /** Closes every idle connection now. */
    int closeIdle();

    /** Requests waiting inside the lender (beyond the budget's own waiters). */
    int waiting();

    /** Opens what start-up should open (the gateway is checked on its first connection). */
    void warmUp();

    /** Pools, connections in use and idle, and backend moves, for stats(). */
    Figures figures();

    /** Shutdown. */
    void close();
  }

  private record Figures(int pools, int active, int idle, long switches) {}

  /** DEDICATED_POOLS: the person's own pool, opened with a real login. */
  private final class Dedicated implements Lending {
    private static final int RECHECK_TRIES = 3;
    private final AtomicBoolean recheckQueued = new AtomicBoolean();
    private final AtomicBoolean recheckWarned = new AtomicBoolean();

    Dedicated(ScheduledExecutorService scheduler) {
      long every = config.loginRecheck().toMillis();
      if (every > 0) {
        var unused =
            scheduler.scheduleWithFixedDelay(
                this::recheckSoon, every, every, TimeUnit.MILLISECONDS); // ends at shutdown
      }
    }

    /* The housekeeper only queues it: the check may wait for a connection. */
    private void recheckSoon() {
      if (recheckQueued.compareAndSet(false, true)) {
        try {
          closer.execute(this::recheck);
        } catch (RejectedExecutionException e) {
          recheckQueued.set(false); // shutting down
        }
      }
    }

    /** The login recheck (LoginRecheck): retires the pools of people refused now. */
    private void recheck() {
      recheckQueued.set(false);
      Map<String, PersonPool> open = new HashMap<>();
      List<Candidate> candidates = new ArrayList<>();
      for (var e : pools.asMap().entrySet()) {
        PersonPool p = e.getValue();
        if (!p.isRetired()) {
          open.put(e.getKey(), p);
          candidates.add(new Candidate(p, p.idle() > 0, p.touchedAt()));
        }
      }
      // An idle connection first (no wait), then the most recently used person's (no
      // connection kept from its idle timeout that would not be in use soon anyway).
      candidates.sort(
          Comparator.comparing(Candidate::idle).thenComparingLong(Candidate::touchedAt).reversed());
      List<String> refused = null;
      Exception failure = null;
      // A few people's sessions, not one: a person can make the query fail in their own
      // session (a role-level statement_timeout, say), never in anybody else's.
      for (int i = 0; i < candidates.size() && i < RECHECK_TRIES && refused == null; i++) {
        PersonPool via = candidates.get(i).pool();
        if (!via.tryLease(false)) {
          continue; // going
        }
        try (Connection c = via.borrowLeased()) {
          refused =
              LoginRecheck.refused(
                  c, open.keySet(), (int) Math.max(1, config.connectionTimeout().toSeconds()));
        } catch (SQLException | RuntimeException e) {
          failure = e;
        }
      }
      if (refused == null) {
        if (failure != null && recheckWarned.compareAndSet(false, true)) {
          log.warn(
              "database '{}': the login recheck failed ({}); expired passwords are bounded by"
                  + " maxLifetime until it succeeds",
              config.name(),
              LogText.escape(failure.toString(), 300));
        }
        return; // nobody open, or nobody could be asked: next time
      }
      recheckWarned.set(false);
      for (String role : refused) {
        PersonPool p = open.get(role);
        if (p != null && pools.asMap().remove(role, p)) {
          p.retire("PostgreSQL would refuse this login now");
          signals.event(
              UserboundEvent.Type.LOGIN_REVOKED,
              config.name(),
              role,
              null,
              "PostgreSQL would refuse this login now (VALID UNTIL passed, NOLOGIN, CONNECT"
                  + " revoked or the role dropped); its pool closes after the requests in"
                  + " flight");
        }
      }
    }

    private record Candidate(PersonPool pool, boolean idle, long touchedAt) {}

    @Override
    public void warmUp() {}

    @Override
    public Figures figures() {
      int active = 0;
      int idle = 0;
      int count = 0;
      for (PersonPool p : pools.asMap().values()) {
        active += p.active();
        idle += p.idle();
        count++;
      }
      for (PersonPool p : retired) {
        active += p.active();
        idle += p.idle();
        count++;
      }
      return new Figures(count, active, idle, 0);
    }

    @Override
    public Connection connection(DefaultLogin login) {
      if (login.identity != null) {
        throw tokenUnsupported();
      }
      return dedicated(login);
    }

    /* A person with no password cannot open a pool of their own. */
    @Override
    public Verification verifyToken(DefaultLogin login, LoginPolicy policy) {
      return new Verification(Verdict.REFUSED, tokenUnsupported());
    }

    private TrustedLoginUnsupportedException tokenUnsupported() {
      return new TrustedLoginUnsupportedException(
          name(),
          "database '"
              + name()
              + "' is served with DEDICATED_POOLS, where each person's pool opens with their"
              + " own password; a login from a token has none. Serve it with ROLE_SWITCHING"
              + " through a gateway role (DatabaseConfig.Builder.isolation(ROLE_SWITCHING)"
              + ".gateway(...)), or log in with a password");
    }

    @Override
    public void verified(DefaultLogin login, PhysicalConnection c) {
      PersonPool existing = pools.getIfPresent(login.role);
      if (existing != null && existing.accepts(login) && !existing.isRetired()) {
        closeQuietly(c); // a login again with the same password: the pool stays as it is
      } else if (c.moveTo(budget)) {
        opened.increment();
        install(login, c).endLease();
      } else {
        closeQuietly(c); // no free budget without reclaim: the pool opens at the first request
      }
    }

    @Override
    public boolean refuses(String role) {
      return false;
    }

    @Override
    public int reclaimIdle(String requester, BooleanSupplier stillWanted) {
      return reclaimIdlePool(requester, stillWanted);
    }

    @Override
    public boolean evict(String role) {
      return evictPool(role);
    }

    @Override
    public int closeIdle() {
      return closeIdlePools();
    }

    @Override
    public int waiting() {
      return 0;
    }

    @Override
    public void close() {}
  }

  /** ROLE_SWITCHING: gateway connections, the role travelling with each statement. */
  private final class Switching implements Lending {
    private final GatewayPool gateway;

    Switching(GatewayPool gateway) {
      this.gateway = gateway;
    }

    /*
     * Opens the first gateway connection now, which checks the gateway. An unsafe gateway
     * fails the start; an unreachable server does not (the check then runs on the first
     * connection that can be opened).
     */
    @Override
    public void warmUp() {
      try {
        gateway.warmUp();
      } catch (SQLException e) {
        log.warn(
            "database '{}': no gateway connection at start-up ({}); the gateway is checked on"
                + " its first connection",
            name(),
            e.toString());
      }
    }

    @Override
    public Figures figures() {
      int active = gateway.active();
      int idle = gateway.idle();
      return new Figures(active + idle > 0 ? 1 : 0, active, idle, gateway.switches());
    }

    /*
     * A gateway connection for the person. A login that this database has not verified yet
     * (it is not a login database, or the login was made before it) logs in here once, with
     * a real login under the budget: PostgreSQL decides here too.
     */
    @Override
    public Connection connection(DefaultLogin login) {
      if (!login.isVerified(index)) {
        if (login.identity != null) {
          Verification v = verifyToken(login, policy);
          if (v.verdict() != Verdict.ACCEPTED) {
            throw v.failure(); // PROVEN: AccessDeniedException, as for a password
          }
        } else {
          try {
            closeQuietly(openVerified(login, login.passwordCopyForOpen()));
          } catch (AccessDeniedException e) {
            login.denied(index);
            throw e;
          }
        }
        login.verified(index);
      }
      try {
        return gateway.borrow(login.role);
      } catch (SQLException e) {
        throw errors.onBorrow(login.role, e);
      }
    }

    @Override
    public void verified(DefaultLogin login, PhysicalConnection c) {
      closeQuietly(c); // requests run on gateway connections; this one proved the password
      login.verified(index);
    }

    /*
     * A token login: the person has no password, so PostgreSQL's word comes from the gateway
     * instead. One statement on a gateway connection set to the role: the role prefix fails
     * if the gateway may not set it (not a member, no such role), the login check (always
     * due for a role not checked in the last recheck interval) if it may no longer log in or
     * connect; the statement itself reads what the policy needs, as the person. Any refusal
     * gives the one message of a refused login, and leaves nothing set to the role.
     */
    @Override
    public Verification verifyToken(DefaultLogin login, LoginPolicy policy) {
      String role = login.role;
      if (refuses(role)) {
        return tokenRefused(login, "the role is the gateway", null);
      }
      LoginPolicy.Role info;
      boolean createRole;
      boolean mayLogIn;
      boolean mayConnect;
      Connection c;
      try {
        c = gateway.borrow(role, true); // the statement asks LOGIN, VALID UNTIL, CONNECT
      } catch (SQLException e) {
        gateway.forget(role);
        return new Verification(Verdict.NO_ANSWER, errors.onBorrow(role, e));
      }
      try (c;
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery(TOKEN_ROLE)) {
        if (!rs.next() || !role.equals(rs.getString(6))) {
          return tokenRefused(login, "the role is not on the server", null);
        }
        Array groups = rs.getArray(5);
        Set<String> memberOf = Set.of((String[]) groups.getArray());
        info =
            new LoginPolicy.Role(
                role, rs.getBoolean(1), rs.getBoolean(2), rs.getBoolean(3), memberOf);
        createRole = rs.getBoolean(4);
        mayLogIn = rs.getBoolean(7);
        mayConnect = rs.getBoolean(8);
      } catch (SQLException e) {
        // The prefix refused (the gateway may not set the role, no such role, it may no
        // longer log in or connect): a refusal. The server or the connection failing is not.
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.startsWith("08") || state.startsWith("57") || state.startsWith("53")) {
          gateway.forget(role);
          return new Verification(Verdict.NO_ANSWER, errors.onBorrow(role, e));
        }
        return tokenRefused(login, "SQLSTATE " + (state.isEmpty() ? "none" : state), e);
      }
      String refusal = mayLogIn ? policy.refusal(info) : "NOLOGIN, or VALID UNTIL passed";
      if (refusal == null) {
        refusal = tokenRefusal(info, createRole);
      }
      if (refusal != null) {
        return tokenRefused(login, refusal, null);
      }
      if (!mayConnect) {
        // As for a password: the person is who they say, but may not use this database.
        gateway.forget(role);
        loginsAccepted.increment();
        login.denied(index);
        log.debug(
            "database '{}' accepted the token login of {} but it may not CONNECT",
            name(),
            Names.forMessage(role));
        return new Verification(Verdict.PROVEN, errors.noConnect(role));
      }
      loginsAccepted.increment();
      log.debug("database '{}' accepted the token login of {}", name(), Names.forMessage(role));
      login.verified(index);
      return new Verification(Verdict.ACCEPTED, null);
    }

    private Verification tokenRefused(DefaultLogin login, String why, @Nullable Throwable cause) {
      gateway.forget(login.role); // nothing stays set to, or checked for, the role
      loginsRefused.increment();
      log.info(
          "database '{}' refused the token login of {}: {}",
          name(),
          Names.forMessage(login.role),
          why);
      return new Verification(Verdict.REFUSED, errors.refusedLogin(login.role, "28000", cause));
    }

    @Override
    public boolean refuses(String role) {
      return role.equals(gateway.gatewayRole());
    }

    @Override
    public int reclaimIdle(String requester, BooleanSupplier stillWanted) {
      if (stillWanted.getAsBoolean() && gateway.closeOldestIdle()) {
        reclaimed.increment();
        signals.event(
            UserboundEvent.Type.RECLAIM, name(), "", null, "1 idle gateway connection closed");
        return 1;
      }
      return 0;
    }

    @Override
    public boolean evict(String role) {
      return gateway.forget(role);
    }

    @Override
    public int closeIdle() {
      int closing = 0;
      while (gateway.closeOldestIdle()) {
        closing++;
      }
      return closing;
    }

    @Override
    public int waiting() {
      return gateway.waiting();
    }

    @Override
    public void close() {
      gateway.shutDown();
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // The connection was never used; its budget permit is released regardless.
    }
  }

  /** An open in flight for one role and password, shared by concurrent first requests. */
  private static final class Opening {
    final byte[] fingerprint;
    final CompletableFuture<PersonPool> future = new CompletableFuture<>();

    Opening(byte[] fingerprint) {
      this.fingerprint = fingerprint;
    }

    PersonPool join(Database db, String role) {
      try {
        return future.get(db.timeoutNanos * 2 + TimeUnit.SECONDS.toNanos(30), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException re) {
          throw db.errors.again(re);
        }
        throw new IllegalStateException(e.getCause());
      } catch (TimeoutException e) {
        throw new DatabaseUnavailableException(
            db.name(),
            "a concurrent login of "
                + Names.forMessage(role)
                + " on database '"
                + db.name()
                + "' did not finish in time",
            null,
            e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DatabaseUnavailableException(
            db.name(), "interrupted while waiting for a login", null, e);
      }
    }
  }
}
