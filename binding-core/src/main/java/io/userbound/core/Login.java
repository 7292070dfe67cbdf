package io.userbound.core;

import java.util.Optional;

/**
 * A person's verified database login: what {@link Userbound#login(String, char[])}
 * returns once PostgreSQL accepted the password (or {@link Userbound#loginWithToken} once a
 * trusted sign-on's token was verified and the role checked on the database). The web layer keeps it server-side
 * between requests and {@linkplain Userbound#bind(Login) binds} it for each request.
 *
 * <p>It holds a copy of the password (as a {@code char[]}, so that pools can open
 * further connections and other databases lazily) and wipes it at
 * {@linkplain Userbound#logout(Login) logout}. It exposes only the role name; its
 * {@code toString()} never shows the password. It is not {@link java.io.Serializable}.
 *
 * <p>Only instances made by a {@link Userbound} are accepted by it. Thread-safe.
 */
public interface Login {

  /**
   * Returns the PostgreSQL role this login authenticates as.
   *
   * @return the role name, exactly as given at login
   */
  String role();

  /**
   * Tells whether this login was logged out; a logged-out login is refused everywhere.
   *
   * @return {@code true} after {@link Userbound#logout(Login)}, and for a login made before
   *     {@link Userbound#logoutRole(String)} for its role
   */
  boolean isLoggedOut();

  /**
   * Returns who vouched for this login, if it was made from a token ({@link
   * Userbound#loginWithToken}) rather than a password.
   *
   * @return the verified identity (issuer, subject, role), or empty for a password login
   */
  default Optional<VerifiedIdentity> identity() {
    return Optional.empty();
  }
}
