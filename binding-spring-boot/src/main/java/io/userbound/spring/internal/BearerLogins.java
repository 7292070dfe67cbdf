package io.userbound.spring.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import io.userbound.core.LogText;
import io.userbound.core.Login;
import io.userbound.core.LoginFailedException;
import io.userbound.core.Userbound;
import io.userbound.core.VerifiedIdentity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * The login of each bearer token, so that a client that sends the same token with every
 * request pays for one verification (signature, claims, and the role checked on the
 * database), not one per request.
 *
 * - Keyed by the SHA-256 of the token: the cache never holds a token, and a lookup by a
 *   token that was never verified finds nothing (a 256-bit hash; no collision is feasible).
 * - Each entry lives until the token's exp (the verifier refuses tokens without one), then
 *   its login is logged out. Bounded by size: the least recently used entry goes first, and
 *   its login is logged out too; a request using that login at that moment is refused
 *   (401), and its client's next request verifies the token again.
 * - A login that was logged out meanwhile (Userbound.logoutRole for an incident) stays in
 *   the cache as refused until its token expires: resending the same token does not log the
 *   person in again. A new token does.
 * - Failures are not cached: core throttles them per client and per role.
 * - Two requests with the same new token at once may both verify it; the first to finish
 *   is kept, the other's login is logged out.
 */
/** Logins of bearer tokens, cached by the token's SHA-256 until it expires. Not API. Thread-safe. */
public final class BearerLogins {

  private static final Logger log = LoggerFactory.getLogger(BearerLogins.class);

  private final Userbound userbound;
  private final Cache<String, Login> logins;

  /**
   * Creates the cache.
   *
   * @param userbound who makes and ends the logins
   * @param maximumSize the most logins kept at once
   * @throws IllegalArgumentException if the size is below 1
   */
  public BearerLogins(Userbound userbound, int maximumSize) {
    this.userbound = Objects.requireNonNull(userbound, "userbound");
    if (maximumSize < 1) {
      throw new IllegalArgumentException(
          "the bearer-token login cache must hold at least 1 login, not " + maximumSize);
    }
    this.logins =
        Caffeine.newBuilder()
            .maximumSize(maximumSize)
            .expireAfter(Expiry.creating((String key, Login login) -> untilExpiry(login)))
            .scheduler(Scheduler.systemScheduler())
            .removalListener(
                (String key, @Nullable Login login, RemovalCause cause) -> {
                  if (login != null && cause != RemovalCause.REPLACED) {
                    end(login, cause);
                  }
                })
            .build();
  }

  /**
   * Returns the login of a bearer token: the cached one, or a new one verified now.
   *
   * @param token the token, as the request carried it; never logged, never kept
   * @param client the client, for throttling
   * @return the live login
   * @throws LoginFailedException if the token is refused, or its login was logged out
   * @throws io.userbound.core.UserboundException as {@link Userbound#loginWithToken} does
   */
  public Login login(String token, @Nullable String client) {
    String key = sha256(token);
    Login cached = logins.getIfPresent(key);
    if (cached == null) {
      Login fresh = userbound.loginWithToken(token, client);
      cached = logins.asMap().putIfAbsent(key, fresh);
      if (cached == null) {
        return fresh;
      }
      userbound.logout(fresh); // another request verified the same token first
    }
    if (cached.isLoggedOut()) {
      throw new LoginFailedException(
          null, "login refused: this token's login was logged out; sign in again", null, null);
    }
    return cached;
  }

  /**
   * Returns how many bearer-token logins are kept now, for tests and monitoring.
   *
   * @return the estimated count
   */
  public long size() {
    logins.cleanUp();
    return logins.estimatedSize();
  }

  /** Logs out every cached login now: when the context closes. */
  public void clear() {
    logins.invalidateAll();
    logins.cleanUp();
  }

  private static Duration untilExpiry(Login login) {
    Instant exp = login.identity().map(VerifiedIdentity::expiresAt).orElse(null);
    if (exp == null) {
      return Duration.ZERO; // never cached: a token without exp is refused by the verifier anyway
    }
    Duration left = Duration.between(Instant.now(), exp);
    return left.isNegative() ? Duration.ZERO : left;
  }

  private void end(Login login, RemovalCause cause) {
    try {
      userbound.logout(login);
      log.debug("bearer-token login of {} ended ({})", login, cause);
    } catch (RuntimeException e) {
      log.warn(
          "ending the bearer-token login of {} failed: {}",
          login,
          LogText.escape(e.toString(), 300));
    }
  }

  static String sha256(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "BearerLogins[" + logins.estimatedSize() + " login(s)]";
  }
}
