package io.userbound.core;

import io.userbound.testkit.PgBouncer;
import java.util.Arrays;
import java.util.stream.Stream;

/** The isolation strategies a suite runs with, for {@code @MethodSource}; shared with hibernate. */
public final class Strategies {
  private Strategies() {}

  /**
   * Every isolation strategy, except {@code ROLE_SWITCHING} when the suite runs through a
   * transaction-mode PgBouncer: a {@code SET ROLE} lives on a server connection that the next
   * transaction may not get, so that combination is unsupported (README, "Running at scale").
   *
   * @return the strategies to test
   */
  public static Stream<IsolationStrategy> supported() {
    boolean transactionPooling =
        PgBouncer.suiteMode().filter(m -> m == PgBouncer.PoolMode.TRANSACTION).isPresent();
    return Arrays.stream(IsolationStrategy.values())
        .filter(s -> !(transactionPooling && s == IsolationStrategy.ROLE_SWITCHING));
  }
}
