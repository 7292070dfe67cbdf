package io.userbound.core.internal;

import java.sql.Connection;
import java.sql.SQLException;

/*
 * A plain forwarding Connection under HikariCP: every method hands straight to the
 * delegate (DelegatingConnection, generated at build time), so the JIT sees one
 * monomorphic call and the wrapper costs next to nothing. It is not what a request holds:
 * HikariCP pools it and PooledConnection wraps what it returns, so it forwards JDBC objects
 * raw. Its subclasses: PhysicalConnection (what HikariCP pools) overrides close() and
 * abort() (the budget permit), isValid() (the local liveness check) and
 * getTransactionIsolation() (answered once from the open); GatewayConnection (one borrow of
 * a gateway connection) remembers the setters it must put back. unwrap()/isWrapperFor() see
 * through it: that is for Userbound's own use and HikariCP's; what requests get is
 * PooledConnection, whose unwrap() hands out views only.
 */
abstract class ForwardingConnection extends DelegatingConnection {

  ForwardingConnection(Connection delegate) {
    super(delegate);
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    return type.isInstance(this) ? type.cast(this) : delegate.unwrap(type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) throws SQLException {
    return type.isInstance(this) || delegate.isWrapperFor(type);
  }
}
