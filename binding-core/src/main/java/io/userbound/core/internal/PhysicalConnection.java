package io.userbound.core.internal;

import io.userbound.core.LoginPolicy;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/*
 * One physical pgjdbc connection, as HikariCP sees it. It gives its budget permit back
 * exactly once when it closes, and it knows a few things about its session that cost no
 * round trip to find out:
 *   - whether a transaction is open (pgjdbc tracks it from the server's ReadyForQuery);
 *   - whether the server's reported parameters (ParameterStatus: application_name,
 *     TimeZone, DateStyle, session_authorization, ...) changed since the last reset;
 *   - whether it looks alive: an idle connection to a backend that was terminated or
 *     shut down has that backend's FATAL message, and then end of stream, waiting on its
 *     socket. isValid() answers from that local check, so HikariCP's alive check on
 *     borrow costs no round trip; only when something did arrive unasked does it ask the
 *     server. A network cut without any packet cannot be seen locally; pgjdbc's
 *     socketTimeout bounds what a request waits on such a connection.
 *
 * ONE ANSWER PER BORROW (aliveForUse). HikariCP's alive check (isValid, when the
 * connection sat in its pool longer than aliveBypassWindowMs) and the check before a
 * borrow's first use (PooledConnection.firstUse) ask the same question microseconds apart;
 * a local check that found the connection alive counts as a use, so the second asks
 * nothing. What one check costs depends on how long the connection sat idle since a
 * request last used it:
 *   - under CHECK_AFTER_IDLE (100 µs): nothing; it was just handed back;
 *   - under EOF_CHECK_AFTER_IDLE (5 s): bytes that arrived (ChannelSocket.arrivedBytes:
 *     one FIONREAD when pgjdbc's last read ended at a ReadyForQuery, so no message of the
 *     server's can hide in pgjdbc's buffer). A terminated backend, a server shutting down
 *     or restarting, idle_session_timeout and PgBouncer all send a FATAL before they close,
 *     and it shows here;
 *   - from EOF_CHECK_AFTER_IDLE on, also an end of stream with nothing before it (a peek:
 *     two blocking-mode switches and a read, five system calls). Only a peer that closes
 *     without a word leaves that: a backend killed by SIGKILL (the OOM killer), or a
 *     proxy or load balancer that drops idle connections, which they do after tens of
 *     seconds. Checking it on every borrow after 250 ms (as before) cost a person who
 *     comes back every second 4 system calls per request for that rare case; within 5 s
 *     such a connection fails its request with a typed error (08006) and is evicted, as a
 *     network cut does.
 */
final class PhysicalConnection extends ForwardingConnection {

  private final AtomicBoolean released = new AtomicBoolean();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final BaseConnection pg;
  private final ExitAwareSocketFactory.Peek socket;
  private final LoginPolicy.Role role;
  private volatile Permit permit;
  private String[] baseline;
  private final ParameterCompare compare = new ParameterCompare();
  private int isolationAtOpen;

  /** Below this idle time a connection is not checked before use: it was just handed back. */
  static final long CHECK_AFTER_IDLE_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

  /** From this idle time on the check also looks for an end of stream with nothing before it. */
  static final long EOF_CHECK_AFTER_IDLE_NANOS = TimeUnit.SECONDS.toNanos(5);

  /** When a borrow last used it (System.nanoTime); written and read by borrowing threads. */
  long lastUsed = System.nanoTime();

  /** When a local check last found it alive (System.nanoTime); as lastUsed. */
  private long aliveAt = lastUsed - CHECK_AFTER_IDLE_NANOS;

  PhysicalConnection(
      Connection delegate,
      Permit permit,
      ExitAwareSocketFactory.Peek socket,
      LoginPolicy.Role role,
      int isolation)
      throws SQLException {
    super(delegate);
    this.permit = permit;
    this.pg = delegate.unwrap(BaseConnection.class);
    this.socket = socket;
    this.role = role;
    this.isolationAtOpen = isolation;
    this.baseline = snapshot(pg.getParameterStatuses());
  }

  /** The role's attributes, as read when a login being verified opened it (else all false). */
  LoginPolicy.Role role() {
    return role;
  }

  /**
   * Moves the connection under the database's budget, if it has a free permit right now
   * (no reclaim, no wait); a verified login's connection becomes a pool's that way.
   */
  boolean moveTo(Budget budget) {
    if (!budget.tryAcquire()) {
      return false;
    }
    Permit old = permit;
    permit = budget;
    old.release();
    return true;
  }

  /** A request borrowed it: what was read at open time may be stale from now on. */
  void borrowed() {
    isolationAtOpen = -1;
  }

  /** The first call (HikariCP's probe on a pool's first connection) is answered from the open. */
  @Override
  public int getTransactionIsolation() throws SQLException {
    int known = isolationAtOpen;
    if (known >= 0) {
      isolationAtOpen = -1;
      return known;
    }
    return delegate.getTransactionIsolation();
  }

  @Override
  public void close() throws SQLException {
    markClosing();
    try {
      delegate.close();
    } finally {
      release();
    }
  }

  @Override
  public void abort(Executor executor) throws SQLException {
    markClosing();
    try {
      delegate.abort(executor);
    } finally {
      release();
    }
  }

  private void markClosing() {
    if (!released.get() && closing.compareAndSet(false, true)) {
      permit.releasing();
    }
  }

  private void release() {
    if (released.compareAndSet(false, true)) {
      if (closing.get()) {
        permit.released();
      }
      permit.release();
    }
  }

  /** HikariCP's alive check and the hand-off check: local unless something arrived. */
  @Override
  public boolean isValid(int timeoutSeconds) throws SQLException {
    return aliveForUse(System.nanoTime(), timeoutSeconds);
  }

  /**
   * The liveness answer for a borrow: the check before its first use, and HikariCP's alive
   * check, share it (see the class comment).
   *
   * @param now System.nanoTime()
   */
  boolean aliveForUse(long now) {
    return aliveForUse(now, 2);
  }

  private boolean aliveForUse(long now, int timeoutSeconds) {
    if (now - aliveAt < CHECK_AFTER_IDLE_NANOS) {
      return !isBroken(); // found alive a moment ago (HikariCP's check of this borrow)
    }
    long idle = now - lastUsed;
    if (idle < CHECK_AFTER_IDLE_NANOS) {
      return !isBroken();
    }
    if (!looksAlive(timeoutSeconds, idle >= EOF_CHECK_AFTER_IDLE_NANOS)) {
      return false;
    }
    aliveAt = System.nanoTime(); // after the system call: the answer holds from here
    return true;
  }

  private boolean looksAlive(int timeoutSeconds, boolean thorough) {
    if (isBroken()) {
      return false;
    }
    if (socket == null) {
      return true;
    }
    try {
      int pending = thorough ? socket.pendingBytes() : socket.arrivedBytes();
      if (pending == 0) {
        return true;
      }
      if (pending < 0) {
        return false; // the server closed its side: the backend is gone
      }
    } catch (IOException e) {
      return false;
    }
    // The server sent something while nobody asked: a FATAL (terminated, shutting down),
    // a notice or a notification. A round trip tells which.
    return isValidRemote(timeoutSeconds);
  }

  /** A real check with a round trip, as pgjdbc does it. */
  boolean isValidRemote(int timeoutSeconds) {
    try {
      return delegate.isValid(Math.max(1, timeoutSeconds));
    } catch (SQLException e) {
      return false;
    }
  }

  /** pgjdbc closes its side on a fatal error (I/O, FATAL from the server). */
  boolean isBroken() {
    try {
      return pg.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }

  boolean transactionOpen() {
    return pg.getTransactionState() != TransactionState.IDLE;
  }

  /** Runs SQL on the driver's connection directly: HikariCP's proxy does not see it. */
  void execute(String sql) throws SQLException {
    try (Statement s = pg.createStatement()) {
      s.execute(sql);
    }
  }

  /**
   * Whether the server reported a parameter (ParameterStatus) different from the baseline.
   * Walks pgjdbc's map with forEach, which its unmodifiable view hands to the TreeMap
   * underneath: no iterator, and no wrapper per entry (an entry-set walk made one each, most
   * of what a request allocated beyond the control). pgjdbc only ever adds to that map, and
   * keeps a key's String when a value is replaced, so same size means same keys, and a value
   * that is the very same String was not reported again.
   */
  boolean parametersChanged() {
    Map<String, String> now = pg.getParameterStatuses();
    String[] base = baseline;
    if (now.size() * 2 != base.length) {
      return true;
    }
    ParameterCompare compare = this.compare;
    compare.start(base);
    now.forEach(compare);
    return compare.differs;
  }

  /** Compares pgjdbc's parameters, in its (sorted) order, with a snapshot; one per connection. */
  private static final class ParameterCompare implements BiConsumer<String, String> {
    private String[] base;
    private int i;
    boolean differs;

    void start(String[] snapshot) {
      base = snapshot;
      i = 0;
      differs = false;
    }

    @Override
    public void accept(String key, String value) {
      if (differs || i + 1 >= base.length) {
        differs = true;
        return;
      }
      String k = base[i];
      String v = base[i + 1];
      i += 2;
      if (!same(k, key) || !same(v, value)) { // Objects.equals: identity first
        differs = true;
      }
    }
  }

  /** After a reset: notifications queued client-side are dropped, parameters re-read. */
  void afterReset() throws SQLException {
    pg.getQueryExecutor().getNotifications();
    baseline = snapshot(pg.getParameterStatuses());
  }

  private static boolean same(String a, String b) {
    return Objects.equals(a, b);
  }

  private static String[] snapshot(Map<String, String> statuses) {
    String[] s = new String[statuses.size() * 2];
    int i = 0;
    for (Map.Entry<String, String> e : statuses.entrySet()) {
      s[i++] = e.getKey();
      s[i++] = e.getValue();
    }
    return s;
  }
}
