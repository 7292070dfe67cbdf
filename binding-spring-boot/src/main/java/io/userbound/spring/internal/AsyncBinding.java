package io.userbound.spring.internal;

import io.userbound.core.Binding;
import io.userbound.core.Login;
import io.userbound.core.Userbound;
import io.userbound.servlet.LoginService;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.async.CallableProcessingInterceptor;

/*
 * Spring MVC runs a controller's Callable on a task executor's thread, where the request's
 * binding (made by the security filter on the container's thread) does not exist. This binds
 * the session's login on that thread for the Callable and unbinds it right after, on the same
 * thread: Spring calls preProcess and postProcess around call(), postProcess in a finally.
 * The binding is kept in a ThreadLocal of this instance between the two; one left over (it
 * cannot be, but a pooled thread must never carry one) is closed before the next task binds.
 * DeferredResult and other application threads are not covered: there is no hook on them.
 */
/** Binds the login for Spring MVC's {@code Callable} handlers. Not API. */
public final class AsyncBinding implements CallableProcessingInterceptor {

  private static final Logger log = LoggerFactory.getLogger(AsyncBinding.class);

  private final Userbound userbound;
  private final LoginService logins;

  // Per instance on purpose: two Userbound instances in one JVM keep apart.
  @SuppressWarnings("ThreadLocalUsage")
  private final ThreadLocal<Binding> bound = new ThreadLocal<>();

  /**
   * Creates the interceptor.
   *
   * @param userbound the instance that binds
   * @param logins where logins are kept
   */
  public AsyncBinding(Userbound userbound, LoginService logins) {
    this.userbound = userbound;
    this.logins = logins;
  }

  @Override
  public <T> void preProcess(NativeWebRequest request, Callable<T> task) {
    unbind("left over from an earlier task");
    HttpServletRequest http = request.getNativeRequest(HttpServletRequest.class);
    if (http == null) {
      return;
    }
    Optional<Login> login = logins.current(http);
    login.ifPresent(l -> bound.set(userbound.bind(l)));
  }

  @Override
  public <T> void postProcess(NativeWebRequest request, Callable<T> task, Object result) {
    unbind(null);
  }

  private void unbind(String why) {
    Binding b = bound.get();
    if (b != null) {
      bound.remove();
      if (why != null) {
        log.warn("a binding was {}: closed", why);
      }
      b.close();
    }
  }
}
