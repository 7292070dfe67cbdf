package io.userbound.core.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.userbound.core.DatabaseConfig;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * One person's HikariCP pool on one database, opened with one password.
 *
 * Retirement (idle eviction, size cap, logout, password change) must never close a
 * connection under a request, and HikariDataSource.close() aborts connections in use.
 * So the pool keeps one atomic `state`: the number of open leases, plus a RETIRED and a
 * CLOSING bit. A lease is taken before a borrow and ends when the PooledConnection
 * closes (or the borrow fails). The pool closes exactly when it is retired and the last
 * lease has ended: whoever moves the state from RETIRED to RETIRED|CLOSING by CAS closes
 * it. Leases are refused once CLOSING is set, and refused on a retired pool unless the
 * caller is the request that just opened it (it may be evicted by the size cap at once
 * and must still serve that request).
 *
 * A new pool starts with one lease held by whoever created it.
 *
 * Userbound.close() shuts every pool down at once, leased or not (shutDown): HikariCP
 * aborts the connections in use, and their next use gets a typed error.
 */
final class UserPool {

  private static final Logger log = LoggerFactory.getLogger(UserPool.class);
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  final Database database;
  final String role;
  final HandBack handBack;
  private final byte[] fingerprint;
  private final BudgetedDataSource source;
  private final HikariDataSource hikari;
  private final long failFastNanos;
  private final long touchNanos;
  private final int maxConnections;
  private volatile long touchedAt = System.nanoTime();
  private volatile boolean shutDown;
  private static final int RETIRED = 1 << 30;
  private static final int CLOSING = 1 << 29;
  private static final int LEASES = CLOSING - 1;

  private final AtomicInteger state = new AtomicInteger(1);
  private final AtomicBoolean closed = new AtomicBoolean();

  UserPool(Database database, String role, byte[] fingerprint, char[] password, Connection first,
      ScheduledExecutorService scheduler, ThreadFactory threads) {
    this.database = database;
    this.role = role;
    this.fingerprint = fingerprint;
    this.source = new BudgetedDataSource(this, database, role, password, first);
    DatabaseConfig config = database.config;
    this.handBack = database.handBack;
    this.failFastNanos = Math.min(1_000_000_000L, config.connectionTimeout().toNanos() / 2);
    // Idle expiry and the LRU order of reclaim need access times, but recording one on
    // every borrow costs a Caffeine read; a few per idle timeout are plenty.
    this.touchNanos = Math.min(1_000_000_000L, config.idleTimeout().toNanos() / 8);
    this.maxConnections = config.maxConnectionsPerUser();

    HikariConfig hc = new HikariConfig();
    hc.setPoolName("userbound-" + config.name() + "-" + Names.forPoolName(role) + "-" + SEQUENCE.incrementAndGet());
    hc.setDataSource(source);
    hc.setMaximumPoolSize(config.maxConnectionsPerUser());
    hc.setMinimumIdle(0);
    hc.setConnectionTimeout(config.connectionTimeout().toMillis());
    hc.setValidationTimeout(Math.min(5_000, config.connectionTimeout().toMillis()));
    hc.setMaxLifetime(config.maxLifetime().toMillis());
    hc.setIdleTimeout(Math.max(10_000, Math.min(config.idleTimeout().toMillis(), config.maxLifetime().toMillis() - 1_000)));
    hc.setKeepaliveTime(0);
    // Do not connect while building the pool: the caller already opened (and so verified)
    // the first connection, which waits in the data source's hand-off.
    hc.setInitializationFailTimeout(-1);
    hc.setAutoCommit(true);
    hc.setScheduledExecutor(scheduler);
    hc.setThreadFactory(threads);
    try {
      this.hikari = new HikariDataSource(hc);
    } catch (RuntimeException e) {
      source.close();
      throw e;
    }
  }

  boolean accepts(LoginImpl login) {
    return MessageDigest.isEqual(fingerprint, login.fingerprint);
  }

  boolean sameFingerprint(UserPool other) {
    return MessageDigest.isEqual(fingerprint, other.fingerprint);
  }

  boolean isRetired() {
    return (state.get() & RETIRED) != 0;
  }

  /**
   * Takes a lease. Refused once the pool is closing, and on a retired pool unless
   * {@code evenIfRetired}.
   */
  boolean tryLease(boolean evenIfRetired) {
    while (true) {
      int s = state.get();
      if ((s & CLOSING) != 0 || (s & RETIRED) != 0 && !evenIfRetired) {
        return false;
      }
      if (state.compareAndSet(s, s + 1)) {
        return true;
      }
    }
  }

  /** Borrows a connection on a lease the caller holds; the lease passes to the connection. */
  PooledConnection borrowLeased() throws SQLException {
    boolean ok = false;
    try {
      SQLException recent = source.recentFailure(failFastNanos);
      if (recent != null && hikari.getHikariPoolMXBean().getIdleConnections() == 0) {
        throw recent;
      }
      Connection c = hikari.getConnection();
      ok = true;
      return new PooledConnection(c, this);
    } finally {
      if (!ok) {
        endLease();
      }
    }
  }

  /** Ends a lease: called once per lease, by PooledConnection.close() or a failed borrow. */
  void endLease() {
    if (state.decrementAndGet() == RETIRED) {
      tryClose();
    }
  }

  /** Closes a HikariCP connection instead of reusing it (HikariCP closes it off this thread). */
  void evict(Connection hikariConnection) {
    try {
      hikari.evictConnection(hikariConnection);
    } catch (RuntimeException e) {
      log.debug("evicting a connection of pool {} failed: {}", hikari.getPoolName(), e.toString());
    }
  }

  /** Another connection for a lease already held (the first one was found dead). */
  Connection hikariConnection() throws SQLException {
    return hikari.getConnection();
  }

  int maxConnections() {
    return maxConnections;
  }

  /** Records an access for idle expiry and reclaim order, at most every touchNanos. */
  void touch(long now) {
    if (now - touchedAt > touchNanos) {
      touchedAt = now;
      database.touch(role);
    }
  }

  boolean isShutDown() {
    return shutDown;
  }

  /** Userbound.close(): closes the pool now, connections in use included. */
  void shutDown() {
    shutDown = true;
    int s;
    do {
      s = state.get();
      if ((s & CLOSING) != 0) {
        return;  // closing already, on the closer
      }
    } while (!state.compareAndSet(s, s | RETIRED | CLOSING));
    if ((s & RETIRED) == 0) {
      database.poolRetired(this);
    }
    closeNow();
  }

  /** Stops new leases; closes the pool now, or when the last lease ends. Idempotent. */
  void retire(String why) {
    int s;
    do {
      s = state.get();
      if ((s & RETIRED) != 0) {
        return;
      }
    } while (!state.compareAndSet(s, s | RETIRED));
    log.debug("retiring pool {} ({})", hikari.getPoolName(), why);
    database.poolRetired(this);
    if ((s | RETIRED) == RETIRED) {
      tryClose();
    }
  }

  private void tryClose() {
    if (state.compareAndSet(RETIRED, RETIRED | CLOSING)) {
      database.closeLater(this);
    }
  }

  /** Closes HikariCP's pool (aborting anything still in use) and wipes the password. Once. */
  void closeNow() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      hikari.close();
    } catch (RuntimeException e) {
      log.warn("closing pool {} failed: {}", hikari.getPoolName(), e.toString());
    } finally {
      source.close();
      database.poolClosed(this);
    }
  }

  int leases() {
    return state.get() & LEASES;
  }

  /** Closes this pool's idle connections to make room under the budget. */
  boolean releaseIdle() {
    if (state.get() != 0) {
      return false;  // retired, closing or leased
    }
    if (source.dropHandoff()) {
      return true;
    }
    HikariPoolMXBean mx = hikari.getHikariPoolMXBean();
    if (mx == null || mx.getIdleConnections() == 0) {
      return false;
    }
    mx.softEvictConnections();
    return true;
  }

  int totalConnections() {
    HikariPoolMXBean mx = hikari.getHikariPoolMXBean();
    return (mx == null ? 0 : mx.getTotalConnections()) + (source.hasHandoff() ? 1 : 0);
  }

  int active() {
    HikariPoolMXBean mx = hikari.getHikariPoolMXBean();
    return mx == null ? 0 : mx.getActiveConnections();
  }

  int idle() {
    HikariPoolMXBean mx = hikari.getHikariPoolMXBean();
    return (mx == null ? 0 : mx.getIdleConnections()) + (source.hasHandoff() ? 1 : 0);
  }

  @Override
  public String toString() {
    return "UserPool[" + database.name() + ", role=" + Names.forMessage(role)
        + (isRetired() ? ", retired" : "") + ", leases=" + leases() + "]";
  }
}
