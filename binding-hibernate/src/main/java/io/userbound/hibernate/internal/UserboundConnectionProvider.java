package io.userbound.hibernate.internal;

import io.userbound.core.Login;
import io.userbound.core.NotBoundException;
import io.userbound.core.Userbound;
import java.sql.Connection;
import java.sql.SQLException;
import org.hibernate.engine.jdbc.connections.spi.MultiTenantConnectionProvider;

/*
 * Hibernate asks for a connection by tenant; the tenant is a role name, and a role name is
 * not a credential. So the tenant is only ever checked against the login bound to the calling
 * thread, whose password Userbound verified, and the connection comes from that login's pool.
 * A session of one person touched on a thread where someone else (or no one) is bound gets an
 * exception, never a connection.
 *
 * Exceptions are Userbound's own unchecked ones (NotBoundException, AccessDeniedException,
 * BudgetExhaustedException, ...). Hibernate passes unchecked exceptions from here through to
 * the caller unchanged.
 */
final class UserboundConnectionProvider implements MultiTenantConnectionProvider<String> {

  private static final long serialVersionUID = 1L;

  private final transient Userbound userbound;
  private final String database;

  UserboundConnectionProvider(Userbound userbound, String database) {
    this.userbound = userbound;
    this.database = database;
  }

  @Override
  public Connection getAnyConnection() {
    return userbound.connection(bound("a connection"), database);
  }

  @Override
  public void releaseAnyConnection(Connection connection) throws SQLException {
    connection.close();
  }

  @Override
  public Connection getConnection(String tenantIdentifier) {
    if (BoundTenantResolver.UNBOUND.equals(tenantIdentifier)) {
      throw new NotBoundException(
          "a Hibernate session on database '"
              + database
              + "' was opened without a tenant while no login is bound to this thread, and gets"
              + " no connection; bind the person first (userbound.bind(login)), then open the"
              + " session, or use a UnitOfWork");
    }
    Login login = bound("a connection for tenant '" + tenantIdentifier + "'");
    if (!login.role().equals(tenantIdentifier)) {
      throw new IllegalStateException(
          "Hibernate asked for a connection to database '"
              + database
              + "' for tenant '"
              + tenantIdentifier
              + "', but the login bound to this thread is '"
              + login.role()
              + "'; a session may only be used while its own person is bound");
    }
    return userbound.connection(login, database);
  }

  @Override
  public void releaseConnection(String tenantIdentifier, Connection connection)
      throws SQLException {
    connection.close();
  }

  @Override
  public boolean supportsAggressiveRelease() {
    return false;
  }

  @Override
  public boolean isUnwrappableAs(Class<?> unwrapType) {
    return unwrapType.isInstance(this);
  }

  @Override
  public <T> T unwrap(Class<T> unwrapType) {
    if (unwrapType.isInstance(this)) {
      return unwrapType.cast(this);
    }
    throw new IllegalArgumentException(
        "cannot unwrap " + getClass().getName() + " as " + unwrapType.getName());
  }

  private Login bound(String what) {
    return userbound
        .current()
        .orElseThrow(
            () ->
                new NotBoundException(
                    "Hibernate asked for "
                        + what
                        + " to database '"
                        + database
                        + "', but no login is bound to this thread; bind the person first"
                        + " (userbound.bind(login)), e.g. in the request filter"));
  }

  @Override
  public String toString() {
    return "UserboundConnectionProvider[" + database + "]";
  }
}
