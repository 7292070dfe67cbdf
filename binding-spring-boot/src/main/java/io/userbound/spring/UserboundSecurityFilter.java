package io.userbound.spring;

import io.userbound.core.Binding;
import io.userbound.core.LogText;
import io.userbound.core.Login;
import io.userbound.core.Userbound;
import io.userbound.servlet.HttpError;
import io.userbound.servlet.LoginService;
import io.userbound.servlet.UserboundFilter;
import io.userbound.spring.internal.TokenPrincipal;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
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
 * <p>With Sign in with SSO ({@code userbound.security.oidc.enabled}) it also binds:
 *
 * <ul>
 *   <li>a person signed in through Spring Security's OAuth2 login, whose token login the
 *       session keeps (see {@link UserboundOidcAutoConfiguration}); gone, it is cleared as
 *       above;
 *   <li>a request with {@code Authorization: Bearer <token>} (unless {@code
 *       userbound.security.oidc.bearer-tokens=false}): the token's login ({@link
 *       LoginService#bearer}: verified once, then kept by the token's SHA-256 until the token
 *       expires) is bound and the request runs as
 *       a {@link UserboundAuthentication} that is not saved in any session. A refused token
 *       is answered 401 {@code {"error":"login_failed"}} (429 when throttled) and the chain
 *       does not run. The token is never logged.
 * </ul>
 *
 * <p>Thread-safe; no per-request state in fields.
 */
public final class UserboundSecurityFilter implements Filter {

  private static final Logger log = LoggerFactory.getLogger(UserboundSecurityFilter.class);

  private final LoginService logins;
  private final Userbound userbound;
  private final UserboundFilter binder;
  private final SecurityContextHolderStrategy contexts;
  private final boolean bearerTokens;
  private final List<GrantedAuthority> authorities;

  /**
   * Creates the filter, for password logins only.
   *
   * @param logins where logins are kept
   */
  public UserboundSecurityFilter(LoginService logins) {
    this(logins, false, List.of());
  }

  UserboundSecurityFilter(
      LoginService logins, boolean bearerTokens, List<? extends GrantedAuthority> authorities) {
    this.logins = Objects.requireNonNull(logins, "logins");
    this.userbound = logins.userbound();
    this.binder = new UserboundFilter(logins);
    this.contexts = SecurityContextHolder.getContextHolderStrategy();
    this.bearerTokens = bearerTokens;
    this.authorities = List.copyOf(authorities);
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!(request instanceof HttpServletRequest http)
        || !(response instanceof HttpServletResponse httpResponse)) {
      chain.doFilter(request, response);
      return;
    }
    if (bearerTokens) {
      String token = bearerToken(http);
      if (token != null) {
        bearer(token, http, httpResponse, chain);
        return;
      }
    }
    Authentication authentication = contexts.getContext().getAuthentication();
    if (authentication instanceof UserboundAuthentication) {
      Optional<Login> login = logins.current(http);
      if (login.isEmpty() || !login.get().role().equals(authentication.getName())) {
        gone(http, authentication);
        chain.doFilter(request, response);
        return;
      }
      binder.doFilter(request, response, chain);
      return;
    }
    if (authentication != null
        && authentication.getPrincipal() instanceof TokenPrincipal principal) {
      // A sign-in with SSO: kept in the session by LoginService.loginWithToken.
      Optional<Login> login = logins.current(http);
      if (login.isEmpty() || !login.get().role().equals(principal.role())) {
        gone(http, authentication);
        chain.doFilter(request, response);
        return;
      }
      bound(login.get(), http, httpResponse, chain);
      return;
    }
    chain.doFilter(request, response);
  }

  private void gone(HttpServletRequest http, Authentication authentication) {
    log.debug(
        "the login of '{}' is gone: security context cleared",
        LogText.escape(authentication.getName(), 64));
    contexts.clearContext();
    HttpSession session = http.getSession(false);
    if (session != null) {
      session.removeAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
    }
  }

  /**
   * The token of {@code Authorization: Bearer <token>} (RFC 6750; the scheme in any case), an
   * empty string for a malformed one, or {@code null} if the request carries none.
   */
  static @Nullable String bearerToken(HttpServletRequest request) {
    String header = request.getHeader("Authorization");
    if (header == null || header.length() < 6) {
      return null;
    }
    if (!header.substring(0, 6).toLowerCase(Locale.ROOT).equals("bearer")) {
      return null;
    }
    if (header.length() == 6 || header.charAt(6) != ' ') {
      return "";
    }
    String token = header.substring(7);
    return token.matches("[A-Za-z0-9\\-._~+/]+=*") ? token : "";
  }

  private void bearer(
      String token, HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    Login login;
    try {
      if (token.isEmpty()) {
        refuse(request, response, HttpError.LOGIN_FAILED, "a malformed Authorization header");
        return;
      }
      // binding-servlet's bearer logins: checked once, kept by the token's SHA-256 until it
      // expires (at most an hour), the client named as for password logins (trusted proxies).
      Optional<Login> found = logins.bearer(request);
      if (found.isEmpty()) {
        refuse(request, response, HttpError.LOGIN_FAILED, "not a bearer token");
        return;
      }
      login = found.get();
    } catch (RuntimeException e) {
      Optional<HttpError> answer = HttpError.of(e);
      if (answer.isEmpty() || (answer.get().status() >= 500 && answer.get().status() != 503)) {
        // TrustedLoginUnsupportedException (a configuration mistake) and the unexpected.
        log.warn(
            "{}: a bearer-token login failed: {}",
            forLog(request),
            LogText.escape(e.toString(), 500));
        refuse(request, response, HttpError.LOGIN_FAILED, "not accepted");
        return;
      }
      refuse(request, response, answer.get(), LogText.escape(String.valueOf(e.getMessage()), 300));
      return;
    }
    SecurityContext context = contexts.createEmptyContext();
    context.setAuthentication(new UserboundAuthentication(login.role(), authorities, null));
    contexts.setContext(context);
    bound(login, request, response, chain);
  }

  private static void refuse(
      HttpServletRequest request, HttpServletResponse response, HttpError error, String why)
      throws IOException {
    log.debug("{}: bearer token refused ({}): {}", forLog(request), error, why);
    if (error.status() == 401) {
      response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    }
    error.write(response);
  }

  /* As UserboundFilter binds a login of the session: nothing bound before or after. */
  private void bound(
      Login login, HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    int stale = userbound.unbindAll();
    if (stale > 0) {
      log.warn(
          "{}: {} binding(s) left open on thread {} by earlier work were closed before the"
              + " request ran",
          forLog(request),
          stale,
          Thread.currentThread().getName());
    }
    Binding binding = userbound.bind(login);
    try {
      chain.doFilter(request, response);
    } catch (IOException | ServletException | RuntimeException e) {
      if (!HttpError.send(e, response)) {
        throw e;
      }
      log.debug(
          "{} answered {}: {}",
          forLog(request),
          HttpError.of(e).orElseThrow(),
          LogText.escape(e.toString(), 500));
    } finally {
      binding.close();
      int left = userbound.unbindAll();
      if (left > 0) {
        log.warn(
            "{} left {} binding(s) open on thread {}; they were closed",
            forLog(request),
            left,
            Thread.currentThread().getName());
      }
    }
  }

  private static String forLog(HttpServletRequest request) {
    return LogText.escape(request.getMethod(), 32)
        + " "
        + LogText.escape(request.getRequestURI(), 256);
  }

  @Override
  public String toString() {
    return "UserboundSecurityFilter[" + logins + "]";
  }
}
