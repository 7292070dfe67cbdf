package io.userbound.core.internal;

import io.userbound.core.SessionReset;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/*
 * The connection a request gets: HikariCP's proxy, plus the hand-back rules. On close it
 * resets the session (so the next request of the same person starts clean), returns the
 * connection to HikariCP and ends the pool lease. If the reset fails the connection is
 * evicted instead of returned: a session in an unknown state is never reused.
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
  public void close() throws SQLException {
    if (!CLOSED.compareAndSet(this, 0, 1)) {
      return;
    }
    try {
      if (reset == SessionReset.DISCARD_ALL && !resetSession()) {
        pool.evict(delegate);
        return;
      }
      delegate.close();
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
