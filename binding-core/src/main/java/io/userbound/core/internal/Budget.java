package io.userbound.core.internal;

import java.sql.SQLException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/*
 * The cap on physical connections to one database across all people. A permit is taken
 * when a physical connection opens (BudgetedDataSource) and given back when it closes
 * (PhysicalConnection), so HikariCP's pools never see the budget: they just find that
 * opening a connection takes a while, or fails with BudgetSQLException.
 *
 * When no permit is free, the waiter asks the database to close the idle connections
 * of the least recently used other person (reclaimer), then waits in short slices: a
 * permit comes back asynchronously when HikariCP's closer thread has closed the
 * connection, and other people's connections only become idle over time, which no
 * semaphore signal announces.
 *
 * Reclaim ahead (the reserve) runs only on demand. A miss (someone wanted a permit and none
 * was free: a request that has to wait or reclaim, a further connection, a verified login
 * that could not move under the budget) grants a credit of `reserve` permits and asks for
 * them at once; a later take asks again only while credit is left. So a steady state below
 * the budget, where nobody misses, never closes anybody's connection, and a person whose
 * connection was closed ahead of demand, coming back and taking a permit from the reserve,
 * does not close the next person's (that chain was the churn: near the budget, in round
 * robin, the least recently used people are the next to come back). The hysteresis: on at
 * a miss (no permit free), off when the credit is spent, not when the free count dips below
 * the reserve. Each miss closes at most `reserve` connections ahead of demand.
 */
final class Budget implements Permit {

  /** How long a waiter sleeps between looks: permits held by verifying logins do not signal. */
  static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  final String database;
  final int size;
  private final Semaphore permits;
  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicInteger releasing = new AtomicInteger();
  private final int reserve;
  private final Runnable lowWater;
  private final AtomicInteger credit = new AtomicInteger();
  final LongAdder waits = new LongAdder();
  final LongAdder exhausted = new LongAdder();
  private volatile Exhaustion onExhausted = role -> {};

  /** Told when a request waited the whole timeout in vain (the event). */
  interface Exhaustion {
    void exhausted(String role);
  }

  /**
   * Creates a budget.
   *
   * @param reserve how many permits to keep free: when fewer are free (and not coming back
   *     from connections that are closing), lowWater runs, on the thread that took a permit
   * @param lowWater asks for idle connections to be closed ahead of demand; must not block
   */
  Budget(String database, int size, int reserve, Runnable lowWater) {
    this.database = database;
    this.size = size;
    this.permits = new Semaphore(size, true);
    this.reserve = reserve;
    this.lowWater = lowWater;
  }

  Budget(String database, int size) {
    this(database, size, 0, () -> {});
  }

  void onExhausted(Exhaustion hook) {
    this.onExhausted = hook;
  }

  /** A request waited the whole connection timeout for this budget: count it, tell, fail. */
  BudgetSQLException exhausted(String role) {
    exhausted.increment();
    onExhausted.exhausted(role);
    return new BudgetSQLException(database);
  }

  /** Whether fewer permits than the reserve are free or on their way back. */
  boolean belowReserve() {
    return reserveDeficit() > 0;
  }

  /** How many permits short of the reserve the budget is, counting those on their way back. */
  int reserveDeficit() {
    return reserve - permits.availablePermits() - releasing.get();
  }

  private void taken() {
    if (reserve > 0 && credit.get() > 0 && belowReserve()) {
      lowWater.run();
    }
  }

  /** Someone wanted a permit and none was free: demand, so reclaim ahead may refill the reserve. */
  private void missed() {
    if (reserve > 0) {
      credit.set(reserve);
      lowWater.run();
    }
  }

  /** How many permits reclaim ahead may free now: the deficit, within the credit misses gave. */
  int reclaimAheadAllowance() {
    return Math.min(reserveDeficit(), credit.get());
  }

  /** Reclaim ahead closed this many connections: they come out of the credit. */
  void reclaimedAhead(int connections) {
    credit.accumulateAndGet(connections, (left, n) -> Math.max(0, left - n));
  }

  @Override
  public void releasing() {
    releasing.incrementAndGet();
  }

  @Override
  public void released() {
    releasing.decrementAndGet();
  }

  /**
   * Takes a permit, reclaiming other people's idle connections if none is free.
   *
   * @param reclaimer closes some other person's idle connections; true if it closed any
   * @throws BudgetSQLException if no permit came free before the timeout
   */
  void acquire(BooleanSupplier reclaimer, long timeoutNanos) throws SQLException {
    acquire(reclaimer, timeoutNanos, "");
  }

  /**
   * Takes a permit for a role, reclaiming other people's idle connections if none is free.
   *
   * @param reclaimer closes some other person's idle connections; true if it closed any
   * @param role who asks (for the exhaustion event)
   * @throws BudgetSQLException if no permit came free before the timeout
   */
  void acquire(BooleanSupplier reclaimer, long timeoutNanos, String role) throws SQLException {
    if (permits.tryAcquire()) {
      taken();
      return;
    }
    missed();
    long deadline = System.nanoTime() + timeoutNanos;
    waits.increment();
    waiting.incrementAndGet();
    try {
      while (true) {
        if (permits.tryAcquire()) {
          taken();
          return;
        }
        boolean reclaimed = reclaimer.getAsBoolean();
        if (reclaimed && permits.tryAcquire()) {
          taken();
          return;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw exhausted(role);
        }
        if (permits.tryAcquire(Math.min(left, SLICE_NANOS), TimeUnit.NANOSECONDS)) {
          taken();
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException(
          "interrupted while waiting for the connection budget of database '" + database + "'",
          "57014",
          e);
    } finally {
      waiting.decrementAndGet();
    }
  }

  /** Takes a free permit if there is one, without reclaiming or waiting (a miss if none). */
  boolean tryAcquire() {
    if (permits.tryAcquire()) {
      taken();
      return true;
    }
    missed();
    return false;
  }

  @Override
  public void release() {
    permits.release();
  }

  int used() {
    return size - permits.availablePermits();
  }

  int waiting() {
    return waiting.get();
  }

  /** Permits of connections that are closing now (waiting for their backend to exit). */
  int closingNow() {
    return releasing.get();
  }

  /** Thrown on a HikariCP or caller thread when the budget stayed spent until the timeout. */
  static final class BudgetSQLException extends SQLException {

    private static final long serialVersionUID = 1L;

    BudgetSQLException(String database) {
      super("connection budget of database '" + database + "' is spent", "53300");
    }
  }
}
