package io.userbound.core;

/**
 * The link between the current thread and one {@link Login}, opened by
 * {@link Userbound#bind(Login)}. Close it in a {@code finally} block or with
 * try-with-resources.
 *
 * <p>A binding binds the thread that opened it. Closing it, on that thread or any other,
 * makes it dead at once: from then on the thread sees the newest binding opened before
 * it that is still open, or nothing. Nothing is ever "restored", so bindings closed out
 * of order, twice, or on another thread can never leave a login bound. Thread-safe.
 */
public interface Binding extends AutoCloseable {

  /**
   * Returns the bound login.
   *
   * @return the login this binding made current
   */
  Login login();

  /**
   * Ends the binding; the thread that opened it no longer sees this login through it.
   * Never throws; closing twice does nothing the second time; any thread may close it.
   * Connections borrowed under the binding are not closed by this; close them first.
   */
  @Override
  void close();
}
