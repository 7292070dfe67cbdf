package io.userbound.core.internal;

import io.userbound.core.SessionReset;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/*
 * The connection a request gets: HikariCP's proxy, plus the hand-back rules. close()
 * ends the request's use at once; the reset (rollback if needed, DISCARD ALL) then runs
 * on Userbound's reset thread, as PgBouncer runs its server_reset_query after the client
 * let go, and only after it does the connection go back to HikariCP and the pool lease
 * end. So no one can borrow the connection before it is clean, and the request does not
 * wait for the extra round trip. If the reset fails the connection is evicted instead
 * of returned: a session in an unknown state is never reused.
 */
final class PooledConnection extends ForwardingConnection {

  private static final AtomicIntegerFieldUpdater<PooledConnection> CLOSED =
      AtomicIntegerFieldUpdater.newUpdater(PooledConnection.class, "closed");

  private final UserPool pool;
  private final SessionReset reset;
  private volatile int closed;

  PooledConnection(Connection delegate, UserPool pool, SessionReset reset) {
    super(delegate);
    this.pool = pool;
    this.reset = reset;
  }

  @Override
  public void close() {
    if (!CLOSED.compareAndSet(this, 0, 1)) {
      return;
    }
    if (reset == SessionReset.NONE) {
      handBack();
    } else {
      pool.handBackLater(this);
    }
  }

  /** Resets the session if configured, returns the connection to HikariCP, ends the lease. */
  void handBack() {
    try {
      if (reset == SessionReset.DISCARD_ALL && !resetSession()) {
        pool.evict(delegate);
      } else {
        delegate.close();
      }
    } catch (SQLException | RuntimeException e) {
      pool.evict(delegate);
    } finally {
      pool.endLease();
    }
  }

  @Override
  public boolean isClosed() throws SQLException {
    return closed != 0 || delegate.isClosed();
  }

  @Override
  public void abort(Executor executor) throws SQLException {
    if (!CLOSED.compareAndSet(this, 0, 1)) {
      return;
    }
    try {
      delegate.abort(executor);
    } finally {
      pool.endLease();
    }
  }

  private boolean resetSession() {
    try {
      if (delegate.isClosed()) {
        return false;
      }
      if (!delegate.getAutoCommit()) {
        delegate.rollback();
        delegate.setAutoCommit(true);
      }
      try (Statement s = delegate.createStatement()) {
        s.execute("DISCARD ALL");
      }
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "PooledConnection[" + pool + "]";
  }
}
