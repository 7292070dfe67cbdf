package io.userbound.core.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.userbound.core.DatabaseConfig;
import io.userbound.core.SessionReset;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * One person's HikariCP pool on one database, opened with one password.
 *
 * Retirement (idle eviction, size cap, logout, password change) must never close a
 * connection under a request. HikariDataSource.close() aborts connections in use, so a
 * retired pool is only closed once no lease is open. A lease starts before the borrow
 * and ends when the PooledConnection is closed (or the borrow failed). Borrowers
 * increment `leases` and then read `retired`; retire() writes `retired` and then reads
 * `leases`. Both are sequentially consistent, so either the borrower sees the pool
 * retired and backs off (to look the pool up again), or retire() sees its lease and the
 * close is left to whoever ends the last lease.
 */
final class UserPool {

  private static final Logger log = LoggerFactory.getLogger(UserPool.class);
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  final Database database;
  final String role;
  private final byte[] fingerprint;
  private final BudgetedDataSource source;
  private final HikariDataSource hikari;
  private final SessionReset reset;
  private final long failFastNanos;
  private final AtomicInteger leases = new AtomicInteger();
  private final AtomicInteger closeState = new AtomicInteger();
  private volatile boolean retired;

  UserPool(Database database, String role, byte[] fingerprint, char[] password, Connection first,
      ScheduledExecutorService scheduler, ThreadFactory threads) {
    this.database = database;
    this.role = role;
    this.fingerprint = fingerprint;
    this.source = new BudgetedDataSource(this, database, role, password, first);
    DatabaseConfig config = database.config;
    this.reset = config.sessionReset();
    this.failFastNanos = Math.min(1_000_000_000L, config.connectionTimeout().toNanos() / 2);

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
    return retired;
  }

  /**
   * Borrows a connection, or returns {@code null} if the pool was retired meanwhile (the
   * caller looks the pool up again).
   */
  PooledConnection borrow() throws SQLException {
    leases.incrementAndGet();
    if (retired) {
      endLease();
      return null;
    }
    boolean ok = false;
    try {
      SQLException recent = source.recentFailure(failFastNanos);
      if (recent != null && hikari.getHikariPoolMXBean().getIdleConnections() == 0) {
        throw recent;
      }
      Connection c = hikari.getConnection();
      ok = true;
      return new PooledConnection(c, this, reset);
    } finally {
      if (!ok) {
        endLease();
      }
    }
  }

  /** Called exactly once per lease: by PooledConnection.close() or a failed borrow. */
  void endLease() {
    if (leases.decrementAndGet() == 0 && retired) {
      closeWhenDrained();
    }
  }

  void evict(Connection hikariConnection) {
    hikari.evictConnection(hikariConnection);
  }

  /** Stops new borrows; closes the pool now, or when the last lease ends. Idempotent. */
  void retire(String why) {
    if (retired) {
      return;
    }
    retired = true;
    log.debug("retiring pool {} ({})", hikari.getPoolName(), why);
    database.poolRetired();
    if (leases.get() == 0) {
      closeWhenDrained();
    }
  }

  private void closeWhenDrained() {
    if (closeState.compareAndSet(0, 1)) {
      database.closeLater(this);
    }
  }

  /** Closes HikariCP's pool (aborting anything still in use) and wipes the password. */
  void closeNow() {
    closeState.set(2);
    try {
      hikari.close();
    } catch (RuntimeException e) {
      log.warn("closing pool {} failed: {}", hikari.getPoolName(), e.toString());
    } finally {
      source.close();
      database.poolClosed(this);
    }
  }

  boolean isClosed() {
    return closeState.get() == 2;
  }

  int leases() {
    return leases.get();
  }

  /** Closes this pool's idle connections to make room under the budget. */
  boolean releaseIdle() {
    if (retired || leases.get() != 0) {
      return false;
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
        + (retired ? ", retired" : "") + ", leases=" + leases.get() + "]";
  }
}
