package io.userbound.core;

/**
 * The link between the current thread and one {@link Login}, opened by
 * {@link Userbound#bind(Login)}. Close it in a {@code finally} block or with
 * try-with-resources; closing restores whatever was bound before, so bindings nest.
 *
 * <p>A binding belongs to the thread that opened it and must be closed on that thread.
 */
public interface Binding extends AutoCloseable {

  /**
   * Returns the bound login.
   *
   * @return the login this binding made current
   */
  Login login();

  /**
   * Unbinds, restoring the login that was bound before this one (or none). Never throws;
   * closing twice does nothing the second time. Connections borrowed under the binding
   * are not closed by this; close them first.
   */
  @Override
  void close();
}
