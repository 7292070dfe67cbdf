package io.userbound.core;

/**
 * Checks a credential that the application received from a trusted sign-on (a signed
 * OpenID Connect ID token, or a bearer access token) and says whose it is: the issuer, the
 * subject and the PostgreSQL role the application maps them to.
 *
 * <p>This is where the trust comes from: a person who logs in with a token logs in with no
 * database password, so PostgreSQL sees only that the application's gateway role sets their
 * role (see {@link IsolationStrategy#ROLE_SWITCHING}). A verifier must check the token's
 * signature against the issuer's keys with an asymmetric algorithm it expects (never
 * {@code none}, never a symmetric key derived from a public one), the issuer, the audience,
 * and the lifetime with a small clock skew, before it maps a claim to a role. Use a
 * well-kept JOSE library for that (binding-servlet's {@code JwtIdentityVerifier} uses Nimbus;
 * the Spring Boot starter uses Spring Security's {@code JwtDecoder}); don't parse tokens by
 * hand.
 *
 * <p>Configure one with {@link UserboundConfig.Builder#identityVerifier}; it is the only way
 * to a {@link Userbound#loginWithToken token login}. Implementations must be thread-safe.
 * They must never put the credential into an exception message or a log line.
 */
@FunctionalInterface
public interface IdentityVerifier {

  /**
   * Checks a credential and names its person.
   *
   * @param credential the token as the application received it; hostile until checked
   * @return who it names
   * @throws LoginFailedException if the credential is not valid (signature, algorithm,
   *     issuer, audience, lifetime) or names no role; its message never holds the credential
   */
  VerifiedIdentity verify(String credential);
}
