package io.userbound.core;

/**
 * Code asked for the current login, or for a connection on its behalf, while no login is
 * bound to the current thread. Userbound never falls back to another person's connection
 * or to a default account.
 *
 * <p>In a web application this usually means the request did not pass through the
 * Userbound filter, or the person is not logged in.
 */
public final class NotBoundException extends UserboundException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was asked for while nothing was bound
   */
  public NotBoundException(String message) {
    super(message, null, null);
  }
}
