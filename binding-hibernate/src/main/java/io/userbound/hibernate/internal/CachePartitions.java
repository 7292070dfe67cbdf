package io.userbound.hibernate.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.userbound.core.Login;
import io.userbound.core.Userbound;
import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/*
 * The rule for shared caches and revoked grants.
 *
 * A cached row was read by PostgreSQL for a role at some moment; a later REVOKE does not
 * reach it. So every cache key (entity, collection, natural id and query results) carries,
 * besides the tenant (the role), a partition: the login it was read under and the time
 * window it was read in (maxStaleness long, aligned to a clock). A lookup only finds
 * entries of its own login and window, so
 *   - a row is served from the cache at most maxStaleness after PostgreSQL last gave it
 *     to that person, and a REVOKE takes effect within that bound;
 *   - a new login of the person (re-login) and the end of a login (logout) start from an
 *     empty cache at once: no entry of another login is ever found again;
 *   - two people never share an entry (the tenant), as before.
 * Entries of past windows and ended logins are not found any more; the cache provider's
 * own expiry and size limit free their memory (configure an expiry of at least
 * maxStaleness).
 *
 * Logins are numbered as they first touch the cache, in a map with weak keys: a login
 * that is gone leaves nothing behind.
 */
final class CachePartitions {

  /** Where a cached entry belongs, besides its tenant. */
  record Partition(long login, long window) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  private final Userbound userbound;
  private final long windowNanos;
  private final Cache<Login, Long> numbers = Caffeine.newBuilder().weakKeys().build();
  private final AtomicLong next = new AtomicLong();

  CachePartitions(Userbound userbound, Duration maxStaleness) {
    this.userbound = userbound;
    this.windowNanos = maxStaleness.toNanos();
  }

  /** The partition of the calling thread's login, now. */
  Partition current() {
    Login login = userbound.current().orElse(null);
    long number = login == null ? -1 : numbers.get(login, l -> next.incrementAndGet());
    return new Partition(number, Math.floorDiv(System.nanoTime(), windowNanos));
  }
}
