package io.userbound.core;

import org.jspecify.annotations.Nullable;

/**
 * The base of every exception Userbound throws on purpose. Unchecked, so that callers
 * handle the narrow cases they care about ({@link LoginFailedException},
 * {@link AccessDeniedException}, {@link BudgetExhaustedException}, ...) and let the rest
 * reach their error handler.
 *
 * <p>Messages never contain a password. Where a PostgreSQL error caused the exception,
 * {@link #sqlState()} keeps its SQLSTATE for logs and error mapping.
 */
public abstract class UserboundException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The logical name of the database concerned, or {@code null}. */
  private final @Nullable String database;

  /** The SQLSTATE of the PostgreSQL error behind this exception, or {@code null}. */
  private final @Nullable String sqlState;

  /**
   * Creates an exception that concerns no particular database.
   *
   * @param message what went wrong and, where it helps, the likely fix; never a password
   * @param sqlState the SQLSTATE of the PostgreSQL error behind it, or {@code null}
   * @param cause the underlying error, or {@code null}
   */
  protected UserboundException(
      String message, @Nullable String sqlState, @Nullable Throwable cause) {
    this(null, message, sqlState, cause);
  }

  /**
   * Creates an exception.
   *
   * @param database the database concerned, or {@code null}
   * @param message what went wrong and, where it helps, the likely fix; never a password
   * @param sqlState the SQLSTATE of the PostgreSQL error behind it, or {@code null}
   * @param cause the underlying error, or {@code null}
   */
  protected UserboundException(
      @Nullable String database,
      String message,
      @Nullable String sqlState,
      @Nullable Throwable cause) {
    super(message, cause);
    this.database = database;
    this.sqlState = sqlState;
  }

  /**
   * Returns the name of the database concerned.
   *
   * @return the database name, or {@code null} if no particular database was concerned
   *     (a login refused before any database was asked, say)
   */
  public @Nullable String database() {
    return database;
  }

  /**
   * Returns the SQLSTATE of the PostgreSQL error behind this exception.
   *
   * @return the five-character SQLSTATE, or {@code null} if no server error was involved
   */
  public @Nullable String sqlState() {
    return sqlState;
  }
}
