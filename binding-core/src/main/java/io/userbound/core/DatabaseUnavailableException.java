package io.userbound.core;

import org.jspecify.annotations.Nullable;

/**
 * The database could not be reached or broke the connection: the server is down,
 * restarting, or the network failed. The pools stay usable; a later request works once
 * the server is back, without restarting the application.
 */
public final class DatabaseUnavailableException extends UserboundException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param database the database that could not be reached
   * @param message the message
   * @param sqlState the SQLSTATE, usually of class {@code 08} or {@code 57P}, or {@code null}
   * @param cause the underlying exception, or {@code null}
   */
  public DatabaseUnavailableException(
      String database, String message, @Nullable String sqlState, @Nullable Throwable cause) {
    super(database, message, sqlState, cause);
  }
}
