package io.userbound.core;

/**
 * A source of nanosecond time for Userbound's timers: idle expiry of pools, login
 * throttling, the memory of a refused {@code CONNECT}. The default is
 * {@link System#nanoTime()}; tests give {@link UserboundConfig.Builder#ticker(Ticker)} a
 * clock of their own, so that expiry does not depend on waiting. Timeouts of network
 * operations always use real time.
 *
 * <p>Implementations must be thread-safe and cheap.
 */
@FunctionalInterface
public interface Ticker {

  /**
   * Returns the current time in nanoseconds, from an arbitrary origin; only differences
   * mean anything.
   *
   * @return nanoseconds
   */
  long read();

  /**
   * Returns the system's clock, {@link System#nanoTime()}.
   *
   * @return the system ticker
   */
  static Ticker system() {
    return System::nanoTime;
  }
}
