package io.userbound.core;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Who a verified credential names: what an {@link IdentityVerifier} returns once it has
 * checked a token's signature, issuer, audience and lifetime. It holds no token.
 *
 * <p>Only {@link Userbound#loginWithToken} turns one into a {@link Login}, and only through
 * the verifier configured with {@link UserboundConfig.Builder#identityVerifier}: an instance
 * made anywhere else opens nothing.
 *
 * @param issuer who vouches for the identity (an OpenID Connect issuer URL, say)
 * @param subject the identity at that issuer (its {@code sub} claim)
 * @param role the PostgreSQL role the application's mapping chose, exactly as the server
 *     knows it (no case folding, no quoting)
 * @param expiresAt when the credential stops being valid, or {@code null} if it does not say
 */
public record VerifiedIdentity(
    String issuer, String subject, String role, @Nullable Instant expiresAt) {

  /**
   * Creates the description.
   *
   * @param issuer who vouches for the identity; not blank
   * @param subject the identity at that issuer; not blank
   * @param role the PostgreSQL role; not empty
   * @param expiresAt when the credential expires, or {@code null}
   * @throws IllegalArgumentException if a part is blank
   */
  public VerifiedIdentity {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(role, "role");
    if (issuer.isBlank() || subject.isBlank() || role.isEmpty()) {
      throw new IllegalArgumentException(
          "a verified identity needs an issuer, a subject and a role");
    }
  }

  /** {@return the parts, each escaped as log text ({@link LogText}): they come from a token} */
  @Override
  public String toString() {
    return "VerifiedIdentity[issuer="
        + LogText.escape(issuer, 200)
        + ", subject="
        + LogText.escape(subject, 200)
        + ", role="
        + LogText.escape(role, 100)
        + (expiresAt == null ? "" : ", expiresAt=" + expiresAt)
        + "]";
  }
}
