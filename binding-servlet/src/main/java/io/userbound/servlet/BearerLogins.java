package io.userbound.servlet;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.userbound.core.Login;
import io.userbound.core.LoginFailedException;
import io.userbound.core.Userbound;
import io.userbound.core.VerifiedIdentity;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/*
 * Logins of bearer tokens (LoginService.bearer). A token is checked once, by
 * Userbound.loginWithToken, and its login kept, keyed by the token's SHA-256 (never the token
 * itself), until the token expires, at most MAX_KEEP; then the login is released (its person's
 * other logins are not touched). Concurrent first requests with one token share one check.
 * A refused token is not remembered: the next request is checked (and throttled) again.
 */
final class BearerLogins {

  static final Duration MAX_KEEP = Duration.ofHours(1);
  private static final long MAX_LOGINS = 100_000;
  private static final String SCHEME = "bearer ";

  private final Userbound userbound;
  private final Cache<String, Kept> logins;

  private record Kept(Login login, long nanos) {}

  BearerLogins(Userbound userbound) {
    this.userbound = userbound;
    this.logins =
        Caffeine.newBuilder()
            .maximumSize(MAX_LOGINS)
            .expireAfter(
                new Expiry<String, Kept>() {
                  @Override
                  public long expireAfterCreate(String key, Kept value, long currentTime) {
                    return value.nanos();
                  }

                  @Override
                  public long expireAfterUpdate(
                      String key, Kept value, long currentTime, long currentDuration) {
                    return currentDuration;
                  }

                  @Override
                  public long expireAfterRead(
                      String key, Kept value, long currentTime, long currentDuration) {
                    return currentDuration;
                  }
                })
            .removalListener(
                (@Nullable String key, @Nullable Kept value, RemovalCause cause) -> {
                  if (value != null) {
                    userbound.release(value.login());
                  }
                })
            .build();
  }

  Optional<Login> login(HttpServletRequest request, RequestChecks checks) {
    String token = token(request);
    if (token == null) {
      return Optional.empty();
    }
    String key = sha256(token);
    Kept kept =
        logins.get(
            key,
            k -> {
              Login login = userbound.loginWithToken(token, checks.clientKey(request));
              return new Kept(login, keepNanos(login));
            });
    if (kept.login().isLoggedOut()) {
      logins.asMap().remove(key, kept); // logged out elsewhere (logoutRole): check it again
      kept =
          logins.get(
              key,
              k -> {
                Login login = userbound.loginWithToken(token, checks.clientKey(request));
                return new Kept(login, keepNanos(login));
              });
    }
    return Optional.of(kept.login());
  }

  private static long keepNanos(Login login) {
    Instant exp = login.identity().map(VerifiedIdentity::expiresAt).orElse(null);
    Duration left = exp == null ? MAX_KEEP : Duration.between(Instant.now(), exp);
    if (left.compareTo(MAX_KEEP) > 0) {
      left = MAX_KEEP;
    }
    return Math.max(0, left.toNanos());
  }

  /* The one Authorization header's bearer token; two headers, or another scheme, refuse. */
  private static @Nullable String token(HttpServletRequest request) {
    Enumeration<String> all = request.getHeaders("Authorization");
    if (all == null || !all.hasMoreElements()) {
      return null;
    }
    String value = all.nextElement();
    if (all.hasMoreElements()) {
      throw refused("the request has more than one Authorization header");
    }
    if (value == null
        || value.length() <= SCHEME.length()
        || !value.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME)) {
      return null; // not a bearer token (Basic, say): not ours
    }
    String token = value.substring(SCHEME.length()).strip();
    if (token.isEmpty() || token.length() > JwtIdentityVerifier.MAX_TOKEN_CHARS) {
      throw refused("the bearer token is empty or too long");
    }
    return token;
  }

  private static LoginFailedException refused(String why) {
    return new LoginFailedException(null, "login refused: " + why, null, null);
  }

  private static String sha256(String token) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
