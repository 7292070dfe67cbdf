package io.userbound.core;

/**
 * A database name was asked for that was not declared in the {@link UserboundConfig}.
 * This is a programming error, not a runtime condition; the message lists the declared
 * names.
 */
public final class UnknownDatabaseException extends UserboundException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the message naming the unknown and the declared databases
   */
  public UnknownDatabaseException(String message) {
    super(message, null, null);
  }
}
