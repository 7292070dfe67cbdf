package io.userbound.spring.internal;

/**
 * A principal signed in with SSO whose token login the session keeps (binding-servlet's
 * LoginService.loginWithToken): the binding filter finds the login by it. Not API.
 */
public interface TokenPrincipal {

  /**
   * Returns the PostgreSQL role of the login.
   *
   * @return the role name
   */
  String role();
}
