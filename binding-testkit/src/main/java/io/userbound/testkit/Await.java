package io.userbound.testkit;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Polls a condition until it holds or a deadline passes, for tests that wait for something
 * another thread or process does: never a fixed sleep. The pause between polls is short.
 */
public final class Await {

  private Await() {}

  /**
   * Waits until the condition holds.
   *
   * @param what the condition, for the failure message
   * @param timeout the deadline from now
   * @param condition the condition
   * @throws AssertionError if it does not hold in time
   */
  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + timeout + ": " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
    }
  }
}
