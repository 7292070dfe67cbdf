package io.userbound.spring;

import io.userbound.core.LogText;
import io.userbound.core.Login;
import io.userbound.servlet.LoginService;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Collections;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;

/*
 * The first filter of every security chain. A login lives in the HTTP session, and a later
 * request finds it only through a security context saved in that session. A chain that
 * does not save the context (SessionCreationPolicy.STATELESS, HTTP Basic on an API, a
 * security context repository outside the session, a form login in a stateless chain)
 * would otherwise leave every login it makes in a session that nothing refers to again:
 * the person's pools stay open until the session expires, one session per request.
 *
 * So, at the end of a request (of its last dispatch, not when it goes async), a login
 * that UserboundAuthenticationProvider made in this request is ended unless the session
 * holds a security context naming that role as a UserboundAuthentication. A session
 * created by this request is invalidated as well; an older one only loses the login.
 * Outermost, so it runs after the binding filter has unbound, after an authentication
 * filter that ends the chain early (form login), and after Spring Security's own
 * SecurityContextHolderFilter.
 *
 * Thread-safe; no per-request state in fields.
 */
final class UnsavedLoginFilter implements Filter {

  private static final Logger log = LoggerFactory.getLogger(UnsavedLoginFilter.class);

  private final LoginService logins;

  UnsavedLoginFilter(LoginService logins) {
    this.logins = Objects.requireNonNull(logins, "logins");
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    try {
      chain.doFilter(request, response);
    } finally {
      if (request instanceof HttpServletRequest http
          && !http.isAsyncStarted()
          && http.getAttribute(UserboundAuthenticationProvider.LOGIN_OF_THIS_REQUEST)
              instanceof Login made) {
        endUnlessSaved(http, made);
      }
    }
  }

  private void endUnlessSaved(HttpServletRequest request, Login made) {
    HttpSession session = request.getSession(false);
    try {
      if (session == null || saved(session, made.role())) {
        return;
      }
      boolean isNew = session.isNew();
      if (logins.end(request, made)) {
        log.debug(
            "the login of {} made by this request was not kept in a saved security context"
                + " (a STATELESS chain?): ended with the request",
            LogText.escape(made.role(), 64));
        if (isNew) {
          session.invalidate();
        }
      }
    } catch (IllegalStateException invalidated) {
      // the session ended meanwhile, and with it the login
    } finally {
      request.removeAttribute(UserboundAuthenticationProvider.LOGIN_OF_THIS_REQUEST);
    }
  }

  /** Whether a security context in the session, under any key, names this Userbound login. */
  private static boolean saved(HttpSession session, String role) {
    if (names(
        session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY),
        role)) {
      return true;
    }
    for (String name : Collections.list(session.getAttributeNames())) {
      if (names(session.getAttribute(name), role)) {
        return true;
      }
    }
    return false;
  }

  private static boolean names(Object value, String role) {
    if (!(value instanceof SecurityContext context)) {
      return false;
    }
    Authentication a = context.getAuthentication();
    return a instanceof UserboundAuthentication && role.equals(a.getName());
  }

  @Override
  public String toString() {
    return "UnsavedLoginFilter[" + logins + "]";
  }
}
