package io.userbound.servlet;

import io.userbound.core.Binding;
import io.userbound.core.LogText;
import io.userbound.core.Login;
import io.userbound.core.Userbound;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the logged-in person of each request for the duration of the request, and always
 * unbinds.
 *
 * <p>For a request whose session holds a login (see {@link LoginService}), the filter
 * {@linkplain Userbound#bind(Login) binds} it to the request thread, begins the
 * {@link RequestHook}s (such as binding-guice's {@code RequestUnitOfWork}, which closes the
 * request's
 * Hibernate sessions), runs the rest of the chain, and then, in a {@code finally} block,
 * closes the hooks and the binding. No binding outlives the dispatch on the server's thread,
 * whatever the application throws. Without a login in the session, a request's bearer token
 * logs its person in, if the service {@linkplain LoginService.Builder#bearerTokens accepts
 * them} (a refused token is a 401). A request without a login gets no binding: code that asks
 * for a connection gets {@link io.userbound.core.NotBoundException}.
 *
 * <p>Every dispatch starts and ends with nothing bound on its thread: a binding that other
 * code left open on the server's thread (opened in an {@code AsyncContext.start} task and
 * never closed, say) is closed, with a warning, before the request runs, and whatever the
 * request itself left open is closed, with a warning, after it. A dispatch nested in one
 * that this filter already bound (a forward or include, if the filter is mapped for them)
 * keeps the outer binding.
 *
 * <p>Register it for the {@code REQUEST}, {@code ASYNC} and {@code ERROR} dispatcher types:
 * each dispatch binds and unbinds on its own thread. Work the application hands to other
 * threads (such as {@code AsyncContext.start}) is not bound; bind the login there with
 * {@link LoginService#current(HttpServletRequest)} and {@link Userbound#bind(Login)}, or
 * dispatch back to the container.
 *
 * <p>Failures that {@link HttpError} maps (login failed, not logged in, permission denied,
 * busy, database unavailable; also when wrapped) and that reach this filter before the
 * response is committed are answered with the mapped status and JSON body; anything else is
 * rethrown to the container.
 *
 * <p>Thread-safe; it keeps no static or per-request state in fields, so several filters
 * with different {@link Userbound}s can run in one JVM.
 */
public final class UserboundFilter implements Filter {

  private static final Logger log = LoggerFactory.getLogger(UserboundFilter.class);

  private final LoginService logins;
  private final Userbound userbound;
  private final List<RequestHook> hooks;
  /* Per filter instance, so that two filters (two Userbound instances) never see each other. */
  private final String activeAttribute =
      UserboundFilter.class.getName() + ".active." + System.identityHashCode(this);

  /**
   * Creates a filter without hooks.
   *
   * @param logins where logins are kept
   */
  public UserboundFilter(LoginService logins) {
    this(logins, List.of());
  }

  /**
   * Creates a filter.
   *
   * @param logins where logins are kept
   * @param hooks what to begin and close around each bound dispatch, in this order
   */
  public UserboundFilter(LoginService logins, Collection<? extends RequestHook> hooks) {
    this.logins = Objects.requireNonNull(logins, "logins");
    this.userbound = logins.userbound();
    this.hooks = List.copyOf(hooks);
  }

  /**
   * Makes the session cookie {@code HttpOnly} and {@code SameSite=Lax}, if the context
   * still allows it (see {@link UserboundSessionListener}).
   *
   * @param config the filter's configuration
   */
  @Override
  public void init(FilterConfig config) {
    SessionCookies.harden(config.getServletContext());
  }

  /**
   * Binds the request's login, if any, around the rest of the chain, and maps Userbound
   * failures to HTTP answers.
   *
   * @param request the request
   * @param response the response
   * @param chain the rest of the chain
   * @throws IOException if the chain throws it
   * @throws ServletException if the chain throws it and it maps to no HTTP answer
   */
  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!(request instanceof HttpServletRequest http)
        || !(response instanceof HttpServletResponse httpResponse)) {
      chain.doFilter(request, response);
      return;
    }
    if (isNested(http)) {
      chain.doFilter(request, response);
      return;
    }
    int stale = userbound.unbindAll();
    if (stale > 0) {
      log.warn(
          "{}: {} binding(s) left open on thread {} by earlier work were closed before the"
              + " request ran",
          forLog(http),
          stale,
          Thread.currentThread().getName());
    }
    try {
      Optional<Login> login = logins.current(http);
      if (login.isEmpty()) {
        login = logins.bearer(http);
      }
      if (login.isPresent()) {
        bound(login.get(), http, response, chain);
      } else {
        chain.doFilter(request, response);
      }
    } catch (IOException | ServletException | RuntimeException e) {
      if (!HttpError.send(e, httpResponse)) {
        throw e;
      }
      HttpError answer = HttpError.of(e).orElseThrow();
      if (answer.status() >= 500) {
        log.warn("{} answered {}: {}", forLog(http), answer, LogText.escape(e.toString(), 500));
      } else {
        log.debug("{} answered {}: {}", forLog(http), answer, LogText.escape(e.toString(), 500));
      }
    } finally {
      int left = userbound.unbindAll();
      if (left > 0) {
        log.warn(
            "{} left {} binding(s) open on thread {}; they were closed",
            forLog(http),
            left,
            Thread.currentThread().getName());
      }
    }
  }

  /** The method and path of a request for a log line: the client wrote them, so escaped. */
  static String forLog(HttpServletRequest request) {
    return LogText.escape(request.getMethod(), 32)
        + " "
        + LogText.escape(request.getRequestURI(), 256);
  }

  /** A dispatch inside one this filter bound on this thread (forward, include). */
  private boolean isNested(HttpServletRequest request) {
    Object active = request.getAttribute(activeAttribute);
    return active == Thread.currentThread();
  }

  private void bound(
      Login login, HttpServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    List<AutoCloseable> begun = new ArrayList<>(hooks.size());
    Binding binding = userbound.bind(login);
    request.setAttribute(activeAttribute, Thread.currentThread());
    try {
      for (RequestHook hook : hooks) {
        begun.add(
            Objects.requireNonNull(hook.begin(request, login), "RequestHook.begin returned null"));
      }
      chain.doFilter(request, response);
    } finally {
      for (int i = begun.size() - 1; i >= 0; i--) {
        try {
          begun.get(i).close();
        } catch (Exception | LinkageError e) {
          log.warn("closing request hook {} failed after {}", begun.get(i), forLog(request), e);
        }
      }
      request.removeAttribute(activeAttribute);
      binding.close();
    }
  }

  @Override
  public String toString() {
    return "UserboundFilter[" + userbound + ", hooks=" + hooks + "]";
  }
}
