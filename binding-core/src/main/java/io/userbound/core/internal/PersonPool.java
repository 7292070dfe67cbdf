package io.userbound.core.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.userbound.core.DatabaseConfig;
import io.userbound.core.Ticker;
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
 * One person's HikariCP pool on one database, opened with one password. Its lifecycle
 * (leases, retirement, the one close) is PoolState's; the whole story is in Database's
 * header. It knows its database only through PoolEvents and its data source's Opener.
 */
final class PersonPool implements Lender {

  private static final Logger log = LoggerFactory.getLogger(PersonPool.class);
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  /** What every pool of one database shares. */
  record Context(
      DatabaseConfig config,
      HandBack handBack,
      Ticker ticker,
      PoolEvents events,
      Opener opener,
      ScheduledExecutorService scheduler,
      ThreadFactory threads) {}

  final String role;
  private final Context context;
  private final byte[] fingerprint;
  private final BudgetedDataSource source;
  private final HikariDataSource hikari;
  private final PoolState state = new PoolState();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final long failFastNanos;
  private final long touchNanos;
  private volatile long touchedAt;
  private volatile boolean shutDown;

  PersonPool(Context context, String role, byte[] fingerprint, char[] password, Connection first) {
    this.context = context;
    this.role = role;
    this.fingerprint = fingerprint;
    DatabaseConfig config = context.config();
    this.source =
        new BudgetedDataSource(
            context.opener(),
            role,
            password,
            first,
            this::hasConnections,
            config.connectionTimeout());
    this.failFastNanos = Math.min(1_000_000_000L, config.connectionTimeout().toNanos() / 2);
    // Idle expiry and the LRU order of reclaim need access times, but recording one on
    // every borrow costs a Caffeine read; a few per idle timeout are plenty.
    this.touchNanos = Math.min(1_000_000_000L, config.idleTimeout().toNanos() / 8);
    this.touchedAt = context.ticker().read();

    HikariConfig hc = new HikariConfig();
    hc.setPoolName(
        "userbound-"
            + config.name()
            + "-"
            + Names.forPoolName(role)
            + "-"
            + SEQUENCE.incrementAndGet());
    hc.setDataSource(source);
    hc.setMaximumPoolSize(config.maxConnectionsPerPerson());
    // The first connection goes into HikariCP's pool while it is built, on this thread: with
    // a minimum of one idle connection and an initialization check, HikariCP's constructor
    // takes the hand-off itself. Otherwise the first borrow would wait for HikariCP's adder
    // thread to be started and scheduled, which on a busy machine costs milliseconds. The
    // minimum goes back to 0 right after (no connection is kept open for its own sake).
    boolean firstNow = first != null && isAlive(first);
    hc.setMinimumIdle(firstNow ? 1 : 0);
    hc.setConnectionTimeout(config.connectionTimeout().toMillis());
    hc.setValidationTimeout(Math.min(5_000, config.connectionTimeout().toMillis()));
    hc.setMaxLifetime(config.maxLifetime().toMillis());
    long idleMillis =
        Math.max(
            10_000,
            Math.min(config.idleTimeout().toMillis(), config.maxLifetime().toMillis() - 1_000));
    // With one connection at most and a minimum of one, HikariCP would warn that the idle
    // timeout has no effect; it is set once the minimum is back to 0.
    boolean idleLater = firstNow && config.maxConnectionsPerPerson() == 1;
    hc.setIdleTimeout(idleLater ? 0 : idleMillis);
    hc.setKeepaliveTime(0);
    // Connect while building the pool only to take the hand-off (see above); never fail it.
    hc.setInitializationFailTimeout(firstNow ? 0 : -1);
    hc.setAutoCommit(true);
    hc.setScheduledExecutor(context.scheduler());
    hc.setThreadFactory(context.threads());
    try {
      this.hikari = new HikariDataSource(hc);
      if (firstNow) {
        HikariConfigMXBean live = hikari.getHikariConfigMXBean();
        live.setMinimumIdle(0);
        if (idleLater) {
          live.setIdleTimeout(idleMillis);
        }
      }
    } catch (RuntimeException e) {
      source.close();
      throw e;
    }
  }

  private static boolean isAlive(Connection c) {
    try {
      return c.isValid(2); // local: PhysicalConnection looks at its socket
    } catch (SQLException e) {
      return false;
    }
  }

  boolean accepts(DefaultLogin login) {
    return MessageDigest.isEqual(fingerprint, login.fingerprint);
  }

  boolean sameFingerprint(PersonPool other) {
    return MessageDigest.isEqual(fingerprint, other.fingerprint);
  }

  boolean isRetired() {
    return state.isRetired();
  }

  /** Takes a lease; see PoolState. */
  boolean tryLease(boolean evenIfRetired) {
    PoolState.Lease lease = state.tryLease(evenIfRetired);
    if (lease == PoolState.Lease.REFUSED_CLOSE) {
      context.events().closeLater(this);
    }
    return lease.leased();
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

  @Override
  public void endLease() {
    if (state.endLease().close()) {
      context.events().closeLater(this);
    }
  }

  @Override
  public HandBack handBack() {
    return context.handBack();
  }

  @Override
  public void evict(Connection hikariConnection) {
    try {
      hikari.evictConnection(hikariConnection);
    } catch (RuntimeException e) {
      log.debug("evicting a connection of pool {} failed: {}", hikari.getPoolName(), e.toString());
    }
  }

  @Override
  public Connection another() throws SQLException {
    return hikari.getConnection();
  }

  @Override
  public int maxConnections() {
    return context.config().maxConnectionsPerPerson();
  }

  @Override
  public void touch() {
    long now = context.ticker().read();
    if (now - touchedAt > touchNanos) {
      touchedAt = now;
      context.events().used(role);
    }
  }

  /** {@return when the pool was last touched (ticker), give or take touchNanos} */
  long touchedAt() {
    return touchedAt;
  }

  @Override
  public boolean isShutDown() {
    return shutDown;
  }

  /** Userbound.close(): closes the pool now, connections in use included. */
  void shutDown() {
    shutDown = true;
    PoolState.Change c = state.shutDown();
    if (c.retired()) {
      context.events().retired(this, "shutdown");
    }
    if (c.close()) {
      closeNow();
    }
  }

  /** Stops new leases; closes the pool now, or when the last lease ends. Idempotent. */
  void retire(String why) {
    PoolState.Change c = state.retire();
    if (c.retired()) {
      log.debug("retiring pool {} ({})", hikari.getPoolName(), why);
      context.events().retired(this, why);
    }
    if (c.close()) {
      context.events().closeLater(this);
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
      context.events().closed(this);
    }
  }

  int leases() {
    return state.leases();
  }

  boolean hasConnections() {
    return totalConnections() > 0;
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
    return "PersonPool["
        + context.config().name()
        + ", role="
        + Names.forMessage(role)
        + ", "
        + state
        + "]";
  }
}
