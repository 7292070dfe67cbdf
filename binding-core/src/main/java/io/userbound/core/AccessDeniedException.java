package io.userbound.core;

/**
 * PostgreSQL accepted the person's password but refused what they asked for: no
 * {@code CONNECT} privilege on a database, or (SQLSTATE {@code 42501}) no privilege on an
 * object. Callers can tell "not allowed" (this) from "broken" (anything else).
 */
public class AccessDeniedException extends UserboundException {

  private static final long serialVersionUID = 1L;

  private final String database;

  /**
   * Creates the exception.
   *
   * @param database the database that refused
   * @param message the message
   * @param sqlState the SQLSTATE behind the refusal, usually {@code 42501}
   * @param cause the driver's exception, or {@code null}
   */
  public AccessDeniedException(String database, String message, String sqlState, Throwable cause) {
    super(message, sqlState, cause);
    this.database = database;
  }

  /**
   * Returns the name of the database that refused.
   *
   * @return the database name
   */
  public String database() {
    return database;
  }
}
