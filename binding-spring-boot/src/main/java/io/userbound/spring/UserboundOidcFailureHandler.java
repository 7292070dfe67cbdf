package io.userbound.spring;

import io.userbound.servlet.HttpError;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * Answers a refused SSO sign-in (Spring Security's OAuth2 login) with the JSON error shape of
 * {@link HttpError} ({@code 401 {"error":"login_failed"}}, {@code 429} when throttled) and
 * ends the session the sign-in began (it held only the authorization request), so that a
 * refusal leaves no session behind. Use it with {@code
 * http.oauth2Login(o -> o.failureHandler(new UserboundOidcFailureHandler()))}.
 *
 * <p>Stateless and thread-safe.
 */
public final class UserboundOidcFailureHandler implements AuthenticationFailureHandler {

  /** Creates the handler. */
  public UserboundOidcFailureHandler() {}

  @Override
  public void onAuthenticationFailure(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
      throws IOException {
    HttpSession session = request.getSession(false);
    if (session != null) {
      try {
        session.invalidate();
      } catch (IllegalStateException alreadyInvalidated) {
        // someone else ended it
      }
    }
    HttpError.of(exception).orElse(HttpError.LOGIN_FAILED).write(response);
  }
}
