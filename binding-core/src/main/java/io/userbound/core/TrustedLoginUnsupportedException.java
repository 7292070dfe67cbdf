package io.userbound.core;

/**
 * A {@linkplain Userbound#loginWithToken token login} (a person with no database password)
 * was asked of a database that can only serve people by their own password: one with
 * {@link IsolationStrategy#DEDICATED_POOLS}, where each person's pool is opened with a real
 * login. The message names the fix: serve that database with {@link
 * IsolationStrategy#ROLE_SWITCHING} through a gateway role, or have the person log in with
 * a password.
 */
public final class TrustedLoginUnsupportedException extends UserboundException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param database the database that cannot serve the login
   * @param message what to change; never a token
   */
  public TrustedLoginUnsupportedException(String database, String message) {
    super(database, message, null, null);
  }
}
