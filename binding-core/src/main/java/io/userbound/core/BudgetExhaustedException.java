package io.userbound.core;

import org.jspecify.annotations.Nullable;

/**
 * A new physical connection was needed, the database's budget was spent, no other
 * person had an idle connection to give back, and none came free within the connection
 * timeout. The message gives the budget's state: budget, in use, idle, waiting.
 *
 * <p>Usually transient: a web layer answers 503 with {@code Retry-After}.
 */
public final class BudgetExhaustedException extends UserboundException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param database the database whose budget is spent
   * @param message the message with the budget's state
   * @param cause the underlying exception, or {@code null}
   */
  public BudgetExhaustedException(String database, String message, @Nullable Throwable cause) {
    super(database, message, "53300", cause);
  }
}
