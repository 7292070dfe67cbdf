package io.userbound.spring;

import java.util.Collection;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/**
 * A person logged in through {@link UserboundAuthenticationProvider}: PostgreSQL accepted
 * their role and password.
 *
 * <p>It holds the role name and authorities only, never the password and never the {@link
 * io.userbound.core.Login}: the login stays in this JVM, in the HTTP session (see {@link
 * io.userbound.servlet.LoginService}). A security context that was serialized (a session
 * store, a fail-over) therefore comes back with this token but without a login; {@link
 * UserboundSecurityFilter} then clears it and the person logs in again.
 *
 * <p>Immutable and thread-safe.
 */
public final class UserboundAuthentication extends AbstractAuthenticationToken {

  private static final long serialVersionUID = 1L;

  /** The PostgreSQL role name that logged in. */
  private final String role;

  /**
   * Creates an authenticated token.
   *
   * @param role the PostgreSQL role name that logged in
   * @param authorities what the person may do in the application
   * @param details the request details Spring Security collected, or {@code null}
   */
  public UserboundAuthentication(
      String role, Collection<? extends GrantedAuthority> authorities, @Nullable Object details) {
    super(authorities);
    this.role = role;
    setDetails(details);
    setAuthenticated(true);
  }

  /** {@return the role name} */
  @Override
  public Object getPrincipal() {
    return role;
  }

  /** {@return always {@code null}: no password is kept} */
  @Override
  public @Nullable Object getCredentials() {
    return null;
  }

  /** {@return the role name} */
  @Override
  public String getName() {
    return role;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof UserboundAuthentication other && super.equals(other);
  }

  @Override
  public int hashCode() {
    return super.hashCode();
  }
}
