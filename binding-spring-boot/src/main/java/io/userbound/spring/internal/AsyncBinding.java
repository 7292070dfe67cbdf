package io.userbound.spring.internal;

import io.userbound.core.Binding;
import io.userbound.core.Login;
import io.userbound.core.Userbound;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.async.CallableProcessingInterceptor;

/*
 * Spring MVC runs a controller's Callable on a task executor's thread, where the request's
 * binding (made by the security filter on the container's thread) does not exist. On the
 * container's thread, beforeConcurrentHandling notes the login the filter bound (so the rule
 * of who gets bound stays the filter's alone) in a request attribute; on the executor's
 * thread, preProcess binds it and postProcess, which Spring calls in a finally around call(),
 * unbinds it on the same thread. The binding is kept in a ThreadLocal of this instance between
 * the two; one left over (it cannot be, but a pooled thread must never carry one) is closed
 * before the next task binds. DeferredResult and other application threads are not covered:
 * there is no hook on them.
 */
/** Binds the login for Spring MVC's {@code Callable} handlers. Not API. */
public final class AsyncBinding implements CallableProcessingInterceptor {

  private static final Logger log = LoggerFactory.getLogger(AsyncBinding.class);

  private final Userbound userbound;
  private final String attribute =
      AsyncBinding.class.getName() + "." + System.identityHashCode(this);

  // Per instance on purpose: two Userbound instances in one JVM keep apart.
  @SuppressWarnings("ThreadLocalUsage")
  private final ThreadLocal<Binding> bound = new ThreadLocal<>();

  /**
   * Creates the interceptor.
   *
   * @param userbound the instance that binds
   */
  public AsyncBinding(Userbound userbound) {
    this.userbound = userbound;
  }

  @Override
  public <T> void beforeConcurrentHandling(NativeWebRequest request, Callable<T> task) {
    userbound
        .current()
        .ifPresent(l -> request.setAttribute(attribute, l, RequestAttributes.SCOPE_REQUEST));
  }

  @Override
  public <T> void preProcess(NativeWebRequest request, Callable<T> task) {
    unbind("left over from an earlier task");
    if (request.getAttribute(attribute, RequestAttributes.SCOPE_REQUEST) instanceof Login l
        && !l.isLoggedOut()) {
      bound.set(userbound.bind(l));
    }
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
