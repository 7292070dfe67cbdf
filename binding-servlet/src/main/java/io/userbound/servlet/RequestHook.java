package io.userbound.servlet;

import io.userbound.core.Login;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Something that must be cleaned up at the end of every request a person is bound for, such
 * as the request's Hibernate sessions (binding-guice's {@code RequestUnitOfWork}). Give hooks to
 * the
 * {@link UserboundFilter}.
 *
 * <p>Threading: for each dispatch (request, async or error) of a request with a logged-in
 * session, the filter calls {@link #begin} on the request thread right after binding the
 * login, and closes what it returned on the same thread, in a {@code finally} block, before
 * unbinding the login. Hooks begin in the order given and are closed in reverse order; a
 * failing close is logged and does not stop the others or the unbinding. Implementations
 * must be thread-safe: one hook serves all requests at once.
 */
@FunctionalInterface
public interface RequestHook {

  /**
   * Starts a bound dispatch.
   *
   * @param request the request; its login is bound to the current thread
   * @param login the bound login
   * @return what to close at the end of this dispatch; never {@code null}
   * @throws RuntimeException to fail the request; the hooks begun before it are closed and
   *     the login is unbound
   */
  AutoCloseable begin(HttpServletRequest request, Login login);
}
