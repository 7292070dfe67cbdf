package io.userbound.hibernate;

import io.userbound.core.AccessDeniedException;
import org.jspecify.annotations.Nullable;

/**
 * PostgreSQL refused a statement that Hibernate ran for the bound person with SQLSTATE
 * {@code 42501}: the role lacks a privilege on a table, column, sequence or schema, or a new
 * row violates a row-level security policy. It is an {@link AccessDeniedException}, so callers
 * can tell "not allowed" from "broken" without looking at SQLSTATEs.
 *
 * <p>It is thrown straight from the Hibernate call that ran the statement
 * ({@code find}, {@code getResultList}, {@code flush}, ...), not wrapped in a Hibernate or
 * JPA exception. As with any exception from a Hibernate session, the session's transaction is
 * marked for rollback; after a failed flush, do not reuse the session
 * ({@link UnitOfWork#inTransaction(String, java.util.function.Consumer)} drops it for you).
 * Hibernate itself also logs each refused statement at {@code WARN} under
 * {@code org.hibernate.orm.jdbc.error}; the setting {@code hibernate.jdbc.log.errors=false}
 * turns that off.
 */
public final class PermissionDeniedException extends AccessDeniedException {

  private static final long serialVersionUID = 1L;

  /** The role PostgreSQL refused, as it logged in. */
  private final @Nullable String role;

  /**
   * Creates the exception.
   *
   * @param database the database that refused
   * @param role the role the statement ran as, or {@code null} if unknown
   * @param message the message
   * @param cause the driver's exception
   */
  public PermissionDeniedException(
      String database, @Nullable String role, String message, Throwable cause) {
    super(database, message, "42501", cause);
    this.role = role;
  }

  /**
   * Returns the role PostgreSQL refused.
   *
   * @return the role name, or {@code null} if it was not known where the refusal was seen
   */
  public @Nullable String role() {
    return role;
  }
}
