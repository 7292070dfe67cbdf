package io.userbound.core.internal;

import java.util.concurrent.atomic.AtomicInteger;

/*
 * The life of one person's pool in one atomic int: the number of leases held, plus a
 * RETIRED and a CLOSING bit. See Database's header for the whole lifecycle; this class is
 * the part that must be exactly right under any interleaving, so it has no I/O and its
 * own concurrent tests (PoolStateTest).
 *
 *   leased  (n > 0, no bits) --retire--> retired (RETIRED, n > 0) --last endLease--> closing
 *   idle    (0, no bits)     --retire--> closing (RETIRED | CLOSING) at once
 *   any                      --shutDown-> closing
 *
 * Exactly one caller is told to close: the one whose CAS sets CLOSING. A lease is refused
 * once CLOSING is set, and refused on a retired pool unless the caller asks evenIfRetired
 * (the request that opened the pool must be served by it, even if the size cap evicted it
 * at once). A new state starts with one lease, held by whoever created the pool.
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

  private static final int RETIRED = 1 << 30;
  private static final int CLOSING = 1 << 29;
  private static final int LEASES = CLOSING - 1;

  private final AtomicInteger state = new AtomicInteger(1);

  /** Takes a lease; refused once closing, and on a retired pool unless {@code evenIfRetired}. */
  boolean tryLease(boolean evenIfRetired) {
    while (true) {
      int s = state.get();
      if ((s & CLOSING) != 0 || ((s & RETIRED) != 0 && !evenIfRetired)) {
        return false;
      }
      if ((s & LEASES) == LEASES) {
        throw new IllegalStateException("too many leases on one pool");
      }
      if (state.compareAndSet(s, s + 1)) {
        return true;
      }
    }
  }

  /** Ends a lease taken before; once per lease. NONE or CLOSE. */
  Change endLease() {
    int s = state.decrementAndGet();
    if ((s & LEASES) == LEASES) {
      throw new IllegalStateException("a lease was ended twice");
    }
    return s == RETIRED && state.compareAndSet(RETIRED, RETIRED | CLOSING)
        ? Change.CLOSE
        : Change.NONE;
  }

  /** Retires: no new lease unless asked evenIfRetired. NONE, RETIRED or RETIRED_AND_CLOSE. */
  Change retire() {
    int s;
    do {
      s = state.get();
      if ((s & RETIRED) != 0) {
        return Change.NONE;
      }
    } while (!state.compareAndSet(s, s | RETIRED));
    return s == 0 && state.compareAndSet(RETIRED, RETIRED | CLOSING)
        ? Change.RETIRED_AND_CLOSE
        : Change.RETIRED;
  }

  /**
   * Shutdown: closing at once, whatever the leases (their connections are aborted). NONE
   * (closing already), CLOSE or RETIRED_AND_CLOSE.
   */
  Change shutDown() {
    int s;
    do {
      s = state.get();
      if ((s & CLOSING) != 0) {
        return Change.NONE;
      }
    } while (!state.compareAndSet(s, s | RETIRED | CLOSING));
    return (s & RETIRED) == 0 ? Change.RETIRED_AND_CLOSE : Change.CLOSE;
  }

  boolean isRetired() {
    return (state.get() & RETIRED) != 0;
  }

  /** Not retired and no lease: a candidate for reclaim. */
  boolean isIdle() {
    return state.get() == 0;
  }

  int leases() {
    return state.get() & LEASES;
  }

  @Override
  public String toString() {
    int s = state.get();
    return (s & CLOSING) != 0
        ? "closing"
        : (s & RETIRED) != 0 ? "retired, " + leases() + " lease(s)" : leases() + " lease(s)";
  }
}
