package io.userbound.core.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.userbound.core.LoginThrottledException;
import io.userbound.core.LoginThrottling;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/*
 * Throttling of password verification (see LoginThrottling for the rules). Everything
 * here runs before the database is asked, costs no I/O, and keeps bounded state:
 * two Caffeine caches with a size cap and expiry after the last failure, keyed by role
 * name (already checked to be at most 63 bytes) and by client key (cut to 128 chars).
 *
 * A record counts failures in a row and the time until which attempts are refused. An
 * attempt during the back-off does not count and does not extend it: a throttled attacker
 * cannot keep a person locked out beyond the maximum back-off.
 */
final class LoginGuard {

  private static final int MAX_CLIENT_KEY = 128;

  private final LoginThrottling settings;
  private final Ticker ticker;
  private final Cache<String, Failures> roles;
  private final Cache<String, Failures> clients;
  private final Semaphore inFlight;
  final LongAdder throttled = new LongAdder();

  LoginGuard(LoginThrottling settings, Ticker ticker) {
    this.settings = settings;
    this.ticker = ticker;
    this.roles = cache(settings, ticker);
    this.clients = cache(settings, ticker);
    this.inFlight = new Semaphore(settings.maxConcurrentLogins());
  }

  private static Cache<String, Failures> cache(LoginThrottling settings, Ticker ticker) {
    return Caffeine.newBuilder()
        .maximumSize(settings.maxTracked())
        .expireAfterWrite(settings.forgetAfter())
        .ticker(ticker)
        .executor(Runnable::run)
        .build();
  }

  /**
   * Lets an attempt through or refuses it; on success the caller holds an in-flight slot
   * and must call {@link #done} exactly once.
   */
  void admit(String role, String client) {
    long now = ticker.read();
    long wait =
        Math.max(waitNanos(roles.getIfPresent(role), now), waitNanos(clientRecord(client), now));
    if (wait > 0) {
      throttled.increment();
      throw new LoginThrottledException(
          "too many failed logins recently for this role or from this client;" + " try again later",
          retryAfter(wait));
    }
    if (!inFlight.tryAcquire()) {
      throttled.increment();
      throw new LoginThrottledException(
          "too many logins are being verified at once ("
              + settings.maxConcurrentLogins()
              + "); try again in a moment",
          Duration.ofSeconds(1));
    }
  }

  /** Ends an admitted attempt: failed (wrong password, refused role) or not. */
  void done(String role, String client, boolean failed) {
    inFlight.release();
    long now = ticker.read();
    if (failed) {
      roles
          .asMap()
          .compute(
              role,
              (k, f) ->
                  (f == null ? new Failures() : f)
                      .fail(now, settings.failuresPerRole(), settings.maxBackoffPerRole()));
      String key = clientKey(client);
      if (key != null) {
        clients
            .asMap()
            .compute(
                key,
                (k, f) ->
                    (f == null ? new Failures() : f)
                        .fail(now, settings.failuresPerClient(), settings.maxBackoffPerClient()));
      }
    } else {
      roles.invalidate(role);
    }
  }

  /**
   * A failure refused before admission (an impossible role name or password): counted for
   * the client only, since the role name may be anything.
   */
  void refusedEarly(String client) {
    String key = clientKey(client);
    if (key != null) {
      long now = ticker.read();
      clients
          .asMap()
          .compute(
              key,
              (k, f) ->
                  (f == null ? new Failures() : f)
                      .fail(now, settings.failuresPerClient(), settings.maxBackoffPerClient()));
    }
  }

  /** Refuses at once if this client is in its back-off (nothing else is known yet). */
  void admitClient(String client) {
    long wait = waitNanos(clientRecord(client), ticker.read());
    if (wait > 0) {
      throttled.increment();
      throw new LoginThrottledException(
          "too many failed logins recently from this client; try again later", retryAfter(wait));
    }
  }

  long trackedRoles() {
    roles.cleanUp();
    return roles.estimatedSize();
  }

  long trackedClients() {
    clients.cleanUp();
    return clients.estimatedSize();
  }

  private Failures clientRecord(String client) {
    String key = clientKey(client);
    return key == null ? null : clients.getIfPresent(key);
  }

  private static String clientKey(String client) {
    if (client == null || client.isEmpty()) {
      return null;
    }
    return client.length() > MAX_CLIENT_KEY ? client.substring(0, MAX_CLIENT_KEY) : client;
  }

  private static long waitNanos(Failures f, long now) {
    return f == null || !f.blocked ? 0 : f.blockedUntil - now;
  }

  /** Failures in a row and the back-off they earned; replaced under the cache's compute. */
  private final class Failures {
    private int count;
    private boolean blocked;
    private long blockedUntil;

    Failures fail(long now, int free, Duration max) {
      if (blocked && blockedUntil - now > 0) {
        return this; // an attempt that overlapped the back-off: not counted, not extending it
      }
      count++;
      if (count >= free) {
        int doublings = Math.min(30, count - free);
        long backoff = Math.min(max.toNanos(), settings.backoff().toNanos() << doublings);
        blocked = true;
        blockedUntil = now + backoff;
      }
      return this;
    }
  }

  /** The wait, rounded up to whole seconds (what a Retry-After header carries). */
  private static Duration retryAfter(long waitNanos) {
    return Duration.ofSeconds(
        TimeUnit.NANOSECONDS.toSeconds(waitNanos + TimeUnit.SECONDS.toNanos(1) - 1));
  }
}
