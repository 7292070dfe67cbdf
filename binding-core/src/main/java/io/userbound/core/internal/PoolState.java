package io.userbound.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jspecify.annotations.Nullable;

/*
 * The life of one person's pool: the leases held, and a RETIRED and a CLOSING flag. See
 * Database's header for the whole lifecycle; this class is the part that must be exactly
 * right under any interleaving, so it has no I/O and its own concurrent tests
 * (PoolStateTest).
 *
 *   leased  (n > 0, no flags) --retire--> retired (RETIRED, n > 0) --last endLease--> closing
 *   idle    (0, no flags)     --retire--> closing (RETIRED | CLOSING) at once
 *   any                       --shutDown-> closing
 *
 * Exactly one caller is told to close: the one that sets CLOSING. A lease is refused once
 * CLOSING is set, and refused on a retired pool unless the caller asks evenIfRetired (the
 * request that opened the pool must be served by it, even if the size cap evicted it at
 * once). A new state starts with one lease, held by whoever created the pool.
 *
 * WHY THE COUNT IS STRIPED. Every borrow takes a lease and every hand-back ends one, so two
 * threads serving one person would write one shared word twice per request; that contention
 * was most of the one-person borrow's cost (JMH borrow, 1 person, 2 threads: 1.94x a map of
 * HikariCP pools, 1.25x without the lease write). The count starts as one word, `base`;
 * the first time two threads collide on it (a failed CAS), it spreads over STRIPES padded
 * cells, and a thread counts in the cell its id picks. A lease may end on another thread and
 * so in another cell: a cell may go negative, only the sum means anything.
 *
 * WHY THE SUM IS EXACT ENOUGH. The common path is an atomic add (a full fence), then a
 * volatile read of `flags`: a lease counts before it looks. A sum is read only after seeing
 * RETIRED, and only under the lock. So:
 *   - a lease that saw no flags was counted before RETIRED was written, and so before any
 *     sum that saw RETIRED began: that sum includes it (no close under a lease);
 *   - after RETIRED, a lease without evenIfRetired counts, sees the flag and takes itself
 *     back; it never uses the pool, and it checks for the close itself after taking itself
 *     back, so a sum that counted it in passing does not leave the pool open;
 *   - an evenIfRetired lease on a retired pool counts, then looks under the lock: a sum
 *     taken before it under the lock either saw it, or set CLOSING and the lease is refused
 *     (and takes itself back);
 *   - after RETIRED the real leases only end, so each cell only falls (passing leases aside)
 *     and a sum read cell by cell is never below the true count at its end: when it reads
 *     0, no lease is left. The last ending, in any order, reads 0 and sets CLOSING once.
 * Everything that touches a retired or closing pool takes the lock; those paths are rare.
 */
final class PoolState {

  /** What a transition did, and so what its caller must do. */
  enum Change {
    /** Nothing changed (retired or closing already, or leases remain). */
    NONE(false, false),
    /** Retired now; leases remain, the last one to end will close. */
    RETIRED(true, false),
    /** Closing now (it was retired before): close the pool. */
    CLOSE(false, true),
    /** Retired and closing now: close the pool. */
    RETIRED_AND_CLOSE(true, true);

    private final boolean retired;
    private final boolean close;

    Change(boolean retired, boolean close) {
      this.retired = retired;
      this.close = close;
    }

    /** Whether this call retired the pool (count it once). */
    boolean retired() {
      return retired;
    }

    /** Whether the caller must close the pool now; exactly one caller is ever told so. */
    boolean close() {
      return close;
    }
  }

  /** What a lease attempt did: leased, refused, or refused and the caller must close. */
  enum Lease {
    LEASED,
    REFUSED,
    /** Refused, and this attempt was the last to leave a retired pool: close it. */
    REFUSED_CLOSE;

    boolean leased() {
      return this == LEASED;
    }
  }

  private static final int RETIRED = 1;
  private static final int CLOSING = 2;

  /**
   * Cells once spread: a power of two, four per processor, 8 to 32. Only threads running at
   * the same moment collide, and thread ids are mostly consecutive.
   */
  static final int STRIPES =
      Integer.highestOneBit(
          Math.max(8, Math.min(32, 4 * Runtime.getRuntime().availableProcessors())));

  /** Longs between two cells: 128 bytes, two cache lines (adjacent-line prefetch). */
  private static final int PAD = 16;

  private static final VarHandle BASE;
  private static final VarHandle CELLS;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      BASE = l.findVarHandle(PoolState.class, "base", long.class);
      CELLS = l.findVarHandle(PoolState.class, "cells", AtomicLongArray.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private volatile int flags;

  @SuppressWarnings("UnusedVariable") // through BASE
  private volatile long base = 1;

  private volatile @Nullable AtomicLongArray cells;

  /**
   * Takes a lease; refused once closing, and on a retired pool unless {@code evenIfRetired}.
   * A refusal may carry the close (REFUSED_CLOSE): the caller then closes the pool.
   */
  Lease tryLease(boolean evenIfRetired) {
    if (flags != 0 && !evenIfRetired) {
      return Lease.REFUSED;
    }
    add(1);
    if (flags == 0) {
      return Lease.LEASED;
    }
    if (evenIfRetired) {
      synchronized (this) {
        if ((flags & CLOSING) == 0) {
          return Lease.LEASED;
        }
      }
      add(-1); // CLOSING is set: the close is someone else's
      return Lease.REFUSED;
    }
    add(-1);
    return leaveRetired() ? Lease.REFUSED_CLOSE : Lease.REFUSED;
  }

  /** Ends a lease taken before; once per lease. NONE or CLOSE. */
  Change endLease() {
    add(-1);
    return flags != 0 && leaveRetired() ? Change.CLOSE : Change.NONE;
  }

  /** Retires: no new lease unless asked evenIfRetired. NONE, RETIRED or RETIRED_AND_CLOSE. */
  synchronized Change retire() {
    if (flags != 0) {
      return Change.NONE;
    }
    flags = RETIRED;
    if (sum() == 0) {
      flags = RETIRED | CLOSING;
      return Change.RETIRED_AND_CLOSE;
    }
    return Change.RETIRED;
  }

  /**
   * Shutdown: closing at once, whatever the leases (their connections are aborted). NONE
   * (closing already), CLOSE or RETIRED_AND_CLOSE.
   */
  synchronized Change shutDown() {
    int f = flags;
    if ((f & CLOSING) != 0) {
      return Change.NONE;
    }
    flags = RETIRED | CLOSING;
    return f == 0 ? Change.RETIRED_AND_CLOSE : Change.CLOSE;
  }

  boolean isRetired() {
    return flags != 0;
  }

  /** Not retired and no lease: a candidate for reclaim. */
  boolean isIdle() {
    return flags == 0 && sum() == 0;
  }

  /** Leases held now (a passing refused attempt may show for an instant). */
  int leases() {
    return (int) Math.max(0, sum());
  }

  /** After an uncount on a retired pool: whether this caller sets CLOSING (once, ever). */
  private synchronized boolean leaveRetired() {
    long n = sum();
    if (n < 0) {
      throw new IllegalStateException("a lease was ended twice");
    }
    if ((flags & CLOSING) != 0 || n != 0) {
      return false;
    }
    flags = RETIRED | CLOSING;
    return true;
  }

  private void add(long delta) {
    AtomicLongArray c = cells;
    if (c == null) {
      long b = (long) BASE.getVolatile(this);
      if (BASE.compareAndSet(this, b, b + delta)) {
        return;
      }
      c = spread();
    }
    c.getAndAdd(cell(), delta);
  }

  /** The cells, made by the first thread to collide on base (base stays in the sum). */
  private AtomicLongArray spread() {
    AtomicLongArray c = cells;
    if (c == null) {
      AtomicLongArray fresh = new AtomicLongArray(STRIPES * PAD);
      c = CELLS.compareAndSet(this, null, fresh) ? fresh : cells;
    }
    return Objects.requireNonNull(c);
  }

  @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+; the id is the same
  private static int cell() {
    return ((int) Thread.currentThread().getId() & (STRIPES - 1)) * PAD;
  }

  private long sum() {
    long s = (long) BASE.getVolatile(this);
    AtomicLongArray c = cells;
    if (c != null) {
      for (int i = 0; i < STRIPES; i++) {
        s += c.get(i * PAD);
      }
    }
    return s;
  }

  @Override
  public String toString() {
    int f = flags;
    return (f & CLOSING) != 0
        ? "closing"
        : f != 0 ? "retired, " + leases() + " lease(s)" : leases() + " lease(s)";
  }
}
