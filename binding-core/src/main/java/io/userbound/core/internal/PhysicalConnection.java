package io.userbound.core.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/** A physical connection that gives its budget permit back exactly once when it closes. */
final class PhysicalConnection extends ForwardingConnection {

  private final Budget budget;
  private final AtomicBoolean released = new AtomicBoolean();

  PhysicalConnection(Connection delegate, Budget budget) {
    super(delegate);
    this.budget = budget;
  }

  @Override
  public void close() throws SQLException {
    try {
      delegate.close();
    } finally {
      release();
    }
  }

  @Override
  public void abort(Executor executor) throws SQLException {
    try {
      delegate.abort(executor);
    } finally {
      release();
    }
  }

  private void release() {
    if (released.compareAndSet(false, true)) {
      budget.release();
    }
  }
}
