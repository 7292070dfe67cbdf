package io.userbound.spring;

import io.userbound.core.LogText;
import io.userbound.core.Login;
import io.userbound.servlet.LoginService;
import io.userbound.servlet.UserboundFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;

/**
 * The filter in the Spring Security chain that binds the authenticated person's login for the
 * request and always unbinds it.
 *
 * <p>The auto-configuration adds it to every {@code SecurityFilterChain} built from Spring
 * Security's {@code HttpSecurity}, before the {@code AnonymousAuthenticationFilter}. For a
 * {@link UserboundAuthentication} whose login is still in the session, it runs the rest of
 * the chain inside binding-servlet's {@link UserboundFilter} (bind, run, unbind in {@code
 * finally}; Userbound failures that reach it become JSON answers, see {@link
 * io.userbound.servlet.HttpError}). If the login is gone (logged out elsewhere, the
 * session came back from a store, another role's login in the session), the security context
 * is cleared, in the request and in the session, so that the person is anonymous and must log
 * in again. Any other authentication gets no binding.
 *
 * <p>Thread-safe; no per-request state in fields.
 */
public final class UserboundSecurityFilter implements Filter {

  private static final Logger log = LoggerFactory.getLogger(UserboundSecurityFilter.class);

  private final LoginService logins;
  private final UserboundFilter binder;
  private final SecurityContextHolderStrategy contexts;

  /**
   * Creates the filter.
   *
   * @param logins where logins are kept
   */
  public UserboundSecurityFilter(LoginService logins) {
    this.logins = Objects.requireNonNull(logins, "logins");
    this.binder = new UserboundFilter(logins);
    this.contexts = SecurityContextHolder.getContextHolderStrategy();
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    Authentication authentication = contexts.getContext().getAuthentication();
    if (!(authentication instanceof UserboundAuthentication)
        || !(request instanceof HttpServletRequest http)) {
      chain.doFilter(request, response);
      return;
    }
    Optional<Login> login = logins.current(http);
    if (login.isEmpty() || !login.get().role().equals(authentication.getName())) {
      log.debug(
          "the login of '{}' is gone: security context cleared",
          LogText.escape(authentication.getName(), 64));
      contexts.clearContext();
      HttpSession session = http.getSession(false);
      if (session != null) {
        session.removeAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
      }
      chain.doFilter(request, response);
      return;
    }
    binder.doFilter(request, response, chain);
  }

  @Override
  public String toString() {
    return "UserboundSecurityFilter[" + logins + "]";
  }
}
