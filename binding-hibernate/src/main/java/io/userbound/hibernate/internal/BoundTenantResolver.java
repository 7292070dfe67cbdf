package io.userbound.hibernate.internal;

import io.userbound.core.Login;
import io.userbound.core.NotBoundException;
import io.userbound.core.Userbound;
import org.hibernate.context.spi.CurrentTenantIdentifierResolver;

/** The current tenant is the role of the login bound to the thread; there is no default tenant. */
final class BoundTenantResolver implements CurrentTenantIdentifierResolver<String> {

  private final Userbound userbound;
  private final String database;

  BoundTenantResolver(Userbound userbound, String database) {
    this.userbound = userbound;
    this.database = database;
  }

  @Override
  public String resolveCurrentTenantIdentifier() {
    return userbound
        .current()
        .map(Login::role)
        .orElseThrow(
            () ->
                new NotBoundException(
                    "a Hibernate session on database '"
                        + database
                        + "' was opened without a tenant while no login is bound to this thread;"
                        + " bind the person first (userbound.bind(login)) or use a UnitOfWork"));
  }

  @Override
  public boolean validateExistingCurrentSessions() {
    return true;
  }

  @Override
  public boolean isRoot(String tenantId) {
    return false;
  }
}
