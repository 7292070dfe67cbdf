package io.userbound.core;

/**
 * The gateway role of a {@link IsolationStrategy#ROLE_SWITCHING} database has more than it
 * may have: superuser, {@code INHERIT}, {@code CREATEROLE}, {@code BYPASSRLS}, objects or
 * privileges of its own, or membership of a privileged role. Userbound never runs a request
 * through such a gateway; the message lists every problem with the statement that fixes it.
 * Thrown by {@link Userbound#create(UserboundConfig)} when the server answers at start-up,
 * otherwise by the first request that needs a gateway connection.
 */
public class UnsafeGatewayException extends UserboundException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param database the database whose gateway was refused
   * @param message what is wrong with the gateway and how to fix it
   */
  public UnsafeGatewayException(String database, String message) {
    super(database, message, "42501", null);
  }
}
