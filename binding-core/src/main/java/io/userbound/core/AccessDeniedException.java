package io.userbound.core;

import org.jspecify.annotations.Nullable;

/**
 * PostgreSQL accepted the person's password but refused what they asked for: no
 * {@code CONNECT} privilege on a database, or (SQLSTATE {@code 42501}) no privilege on an
 * object. Callers can tell "not allowed" (this) from "broken" (anything else).
 */
public class AccessDeniedException extends UserboundException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param database the database that refused
   * @param message the message
   * @param sqlState the SQLSTATE behind the refusal, usually {@code 42501}
   * @param cause the driver's exception, or {@code null}
   */
  public AccessDeniedException(
      String database, String message, String sqlState, @Nullable Throwable cause) {
    super(database, message, sqlState, cause);
  }
}
