package io.userbound.spring;

import io.userbound.spring.internal.TokenPrincipal;
import java.io.Serial;
import java.io.Serializable;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * A person signed in with SSO through Spring Security's OAuth2 login whose ID token
 * Userbound accepted: the provider's {@link OidcUser}, named by the PostgreSQL role
 * ({@link #getName()}), with the authorities of {@code userbound.security.authorities}.
 *
 * <p>The token login itself stays in this JVM, in the HTTP session; a session that was
 * serialized comes back without it, and the binding filter then clears the security context
 * (the person signs in again). Immutable and thread-safe.
 */
public final class UserboundOidcUser implements OidcUser, TokenPrincipal, Serializable {

  @Serial private static final long serialVersionUID = 1L;

  /** What the provider said (Spring Security's user, with the ID token's claims). */
  private final OidcUser user;

  /** The PostgreSQL role Userbound logged in. */
  private final String role;

  /** What the person may do in the application. */
  private final List<GrantedAuthority> authorities;

  /**
   * Creates the principal.
   *
   * @param user what the provider said
   * @param role the PostgreSQL role Userbound logged in
   * @param authorities what the person may do in the application
   */
  public UserboundOidcUser(
      OidcUser user, String role, Collection<? extends GrantedAuthority> authorities) {
    this.user = Objects.requireNonNull(user, "user");
    this.role = Objects.requireNonNull(role, "role");
    this.authorities = List.copyOf(authorities);
  }

  /** {@return the PostgreSQL role} */
  @Override
  public String role() {
    return role;
  }

  /** {@return the PostgreSQL role, as for a password login} */
  @Override
  public String getName() {
    return role;
  }

  @Override
  public Map<String, Object> getClaims() {
    return user.getClaims();
  }

  @Override
  public @Nullable OidcUserInfo getUserInfo() {
    return user.getUserInfo();
  }

  @Override
  public OidcIdToken getIdToken() {
    return user.getIdToken();
  }

  @Override
  public Map<String, Object> getAttributes() {
    return user.getAttributes();
  }

  @Override
  public Collection<? extends GrantedAuthority> getAuthorities() {
    return authorities;
  }

  /** {@return the role and the subject; never a token} */
  @Override
  public String toString() {
    return "UserboundOidcUser[role=" + role + ", subject=" + user.getSubject() + "]";
  }
}
