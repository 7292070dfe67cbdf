package io.userbound.testkit;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds or a deadline passes; the pause between polls is short. */
public final class Await {
  private Await() {}

  /**
   * Waits until the condition holds.
   *
   * @param timeout the deadline from now
   * @param what the condition, for the failure message
   * @param condition the condition
   * @throws AssertionError if it does not hold in time
   */
  public static void until(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not true within " + timeout.toMillis() + " ms: " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
  }
}
