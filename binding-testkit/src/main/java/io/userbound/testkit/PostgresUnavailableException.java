package io.userbound.testkit;

/**
 * Thrown when no PostgreSQL server can be had: no source is usable, or the chosen one failed to
 * start. The message says what was tried and what to install or set.
 *
 * <p>Instances are not shared between threads by this library.
 */
public final class PostgresUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was tried and how to fix it; never contains a password
   */
  public PostgresUnavailableException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what was tried and how to fix it; never contains a password
   * @param cause the underlying failure
   */
  public PostgresUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
