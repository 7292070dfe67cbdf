package io.userbound.hibernate.internal;

import io.userbound.core.Login;
import io.userbound.core.Userbound;
import org.hibernate.context.spi.CurrentTenantIdentifierResolver;

/*
 * The current tenant is the role of the login bound to the thread. With nothing bound, a
 * session may still be opened (frameworks open sessions at start-up to check queries against
 * the metamodel, Spring Data among them), but it gets the tenant UNBOUND, which no login can
 * have (Userbound refuses an empty role name), so UserboundConnectionProvider gives it no
 * connection, ever: not while nothing is bound, and not after someone is bound either. Its
 * second-level cache partition can never be filled, as filling it needs a connection.
 */
/** Resolves the tenant of a new session: the bound login's role, or {@link #UNBOUND}. */
final class BoundTenantResolver implements CurrentTenantIdentifierResolver<String> {

  /** The tenant of a session opened while no login was bound: never a role name. */
  static final String UNBOUND = "";

  private final Userbound userbound;

  BoundTenantResolver(Userbound userbound) {
    this.userbound = userbound;
  }

  @Override
  public String resolveCurrentTenantIdentifier() {
    return userbound.current().map(Login::role).orElse(UNBOUND);
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
