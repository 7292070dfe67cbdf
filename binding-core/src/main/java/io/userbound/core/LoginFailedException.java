package io.userbound.core;

import org.jspecify.annotations.Nullable;

/**
 * PostgreSQL refused a login, or the login can never succeed (an empty or overlong role
 * name, for example).
 *
 * <p>A wrong password and an unknown role give the same message, so a caller cannot use
 * this exception to find out which role names exist. The SQLSTATE ({@code 28P01} for a
 * failed password check, {@code 28000} for a role that may not log in) is kept in
 * {@link #sqlState()} for logs.
 */
public final class LoginFailedException extends UserboundException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param database the database that refused the login, or {@code null} if the login was
   *     refused before any database was asked (an {@link IdentityVerifier} refusing a token,
   *     say)
   * @param message the message; never a password or a token
   * @param sqlState the SQLSTATE behind the refusal, or {@code null}
   * @param cause the driver's exception, or {@code null}
   */
  public LoginFailedException(
      @Nullable String database,
      String message,
      @Nullable String sqlState,
      @Nullable Throwable cause) {
    super(database, message, sqlState, cause);
  }
}
