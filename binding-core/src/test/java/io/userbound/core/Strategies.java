package io.userbound.core;

import java.util.Arrays;
import java.util.stream.Stream;

/** The isolation strategies a suite runs with, for {@code @MethodSource}; shared with hibernate. */
public final class Strategies {
  private Strategies() {}

  /**
   * Every isolation strategy. ROLE_SWITCHING runs through a transaction-mode PgBouncer too:
   * its role is transaction-scoped and travels with every statement (README, "Running at
   * scale").
   *
   * @return the strategies to test
   */
  public static Stream<IsolationStrategy> supported() {
    return Arrays.stream(IsolationStrategy.values());
  }
}
