package io.userbound.core.internal;

import java.sql.SQLException;
import java.util.concurrent.Executor;

/*
 * One borrow of a gateway connection, as PooledConnection sees it: what HikariCP's proxy
 * is for a person's pool. It remembers what the request changed on the driver's side
 * (auto-commit, read-only, isolation, network timeout) and puts it back when it is closed,
 * before the connection goes back to GatewayPool. The session is not reset here: HandBack
 * rolls back a transaction left open and marks the borrow dirty if it may have left state,
 * and the next borrow's first statement carries the reset (InBand). unwrap(PhysicalConnection.class) sees through it, as through HikariCP's proxy.
 */
final class GatewayConnection extends ForwardingConnection {

  private final GatewayPool pool;
  final GatewayPool.Slot slot;

  /** How this borrow's statements carry the person's role. */
  final InBand inBand;

  private boolean dirty;
  private boolean autoCommitChanged;
  private boolean readOnlyChanged;
  private boolean isolationChanged;
  private int networkTimeout = -1; // the timeout before the request changed it, or -1
  private boolean returned;

  GatewayConnection(GatewayPool pool, GatewayPool.Slot slot, InBand inBand) {
    super(slot.physical);
    this.pool = pool;
    this.slot = slot;
    this.inBand = inBand;
  }

  /** HandBack: the request may have left session state; the next borrow resets it in-band. */
  void dirty() {
    dirty = true;
  }

  /** Whether the next borrow of this backend must reset the session, whoever it is for. */
  boolean leavesState() {
    return dirty || inBand.leavesState();
  }

  @Override
  public void setAutoCommit(boolean autoCommit) throws SQLException {
    autoCommitChanged = true;
    delegate.setAutoCommit(autoCommit);
  }

  @Override
  public void setReadOnly(boolean readOnly) throws SQLException {
    readOnlyChanged = true;
    delegate.setReadOnly(readOnly);
  }

  @Override
  public void setTransactionIsolation(int level) throws SQLException {
    isolationChanged = true;
    delegate.setTransactionIsolation(level);
  }

  @Override
  public void setNetworkTimeout(Executor executor, int millis) throws SQLException {
    if (networkTimeout < 0) {
      networkTimeout = delegate.getNetworkTimeout();
    }
    delegate.setNetworkTimeout(executor, millis);
  }

  /** Puts back what the request changed on the driver's side; the session was reset. */
  void restore() throws SQLException {
    if (autoCommitChanged && !delegate.getAutoCommit()) {
      delegate.setAutoCommit(true); // idle after the reset: no round trip
    }
    if (readOnlyChanged && delegate.isReadOnly()) {
      delegate.setReadOnly(false);
    }
    if (isolationChanged) {
      delegate.setTransactionIsolation(slot.isolation);
    }
    if (networkTimeout >= 0) {
      delegate.setNetworkTimeout(Runnable::run, networkTimeout);
    }
  }

  /** The hand-back: the connection goes back to the gateway pool. */
  @Override
  public void close() {
    if (!returned) {
      returned = true;
      pool.giveBack(this);
    }
  }

  @Override
  public boolean isClosed() throws SQLException {
    return returned || delegate.isClosed();
  }

  @Override
  public String toString() {
    return "GatewayConnection[" + slot + "]";
  }
}
