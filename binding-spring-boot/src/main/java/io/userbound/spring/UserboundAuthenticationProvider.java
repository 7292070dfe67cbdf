package io.userbound.spring;

import io.userbound.core.AccessDeniedException;
import io.userbound.core.DatabaseUnavailableException;
import io.userbound.core.Login;
import io.userbound.core.LoginFailedException;
import io.userbound.core.LoginThrottledException;
import io.userbound.servlet.LoginService;
import io.userbound.servlet.RequestRefusedException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Logs a person in with their own PostgreSQL role and password: PostgreSQL decides.
 *
 * <p>Takes a {@link UsernamePasswordAuthenticationToken} (form login, HTTP Basic, or the
 * application's own login endpoint calling the {@code AuthenticationManager}), verifies it
 * through {@link LoginService#login(HttpServletRequest, String, char[])} (a real connection
 * with that password; the session id is rotated and the {@link Login} kept in the HTTP
 * session, server-side) and returns a {@link UserboundAuthentication} holding only the role
 * name and the configured authorities. Failures map to Spring Security's exceptions:
 *
 * <ul>
 *   <li>a refused password, an unknown role, a role the login policy refuses, or a role that
 *       may not connect to the login database: {@link BadCredentialsException}, with one
 *       message for all (the caller cannot tell which);
 *   <li>too many failed attempts for the role or client: {@link LockedException};
 *   <li>credentials in the query string, or a login sent by another site's page: {@link
 *       BadCredentialsException} without asking PostgreSQL;
 *   <li>no login database reachable: {@link AuthenticationServiceException}.
 * </ul>
 *
 * <p>Needs the current HTTP request, which Spring MVC's {@code RequestContextFilter} exposes
 * (Spring Boot registers it for web applications). Thread-safe.
 */
public final class UserboundAuthenticationProvider implements AuthenticationProvider {

  /*
   * The request attribute naming the login this provider made in the request, for the
   * filter that ends it at the end of the request if no saved security context refers to
   * it (a STATELESS chain). Never leaves the request.
   */
  static final String LOGIN_OF_THIS_REQUEST =
      UserboundAuthenticationProvider.class.getName() + ".login";

  private final LoginService logins;
  private final List<GrantedAuthority> authorities;
  private final boolean passwordLogins;

  /**
   * Creates the provider.
   *
   * @param logins where logins are verified and kept
   * @param authorities the authorities every logged-in person gets
   */
  public UserboundAuthenticationProvider(
      LoginService logins, List<? extends GrantedAuthority> authorities) {
    this(logins, authorities, true);
  }

  /**
   * Creates the provider, possibly with password logins turned off ({@code
   * userbound.security.oidc.password-login=false}, when people sign in with SSO only).
   *
   * @param logins where logins are verified and kept
   * @param authorities the authorities every logged-in person gets
   * @param passwordLogins {@code false} to refuse every password with {@link
   *     BadCredentialsException} before PostgreSQL hears of it
   */
  public UserboundAuthenticationProvider(
      LoginService logins, List<? extends GrantedAuthority> authorities, boolean passwordLogins) {
    this.logins = Objects.requireNonNull(logins, "logins");
    this.authorities = List.copyOf(authorities);
    this.passwordLogins = passwordLogins;
  }

  @Override
  public Authentication authenticate(Authentication authentication) throws AuthenticationException {
    if (!passwordLogins) {
      throw new BadCredentialsException(
          "Password logins are turned off (userbound.security.oidc.password-login=false)");
    }
    String role = authentication.getName();
    Object credentials = authentication.getCredentials();
    if (role == null || role.isEmpty() || !(credentials instanceof CharSequence text)) {
      throw new BadCredentialsException("Bad credentials");
    }
    HttpServletRequest request = currentRequest();
    char[] password = new char[text.length()];
    for (int i = 0; i < password.length; i++) {
      password[i] = text.charAt(i);
    }
    try {
      if (password.length == 0) {
        throw new BadCredentialsException("Bad credentials");
      }
      Login login = logins.login(request, role, password);
      request.setAttribute(LOGIN_OF_THIS_REQUEST, login);
      return new UserboundAuthentication(login.role(), authorities, authentication.getDetails());
    } catch (LoginFailedException | AccessDeniedException e) {
      throw new BadCredentialsException("Bad credentials", e);
    } catch (LoginThrottledException e) {
      throw new LockedException(
          "Too many failed logins; try again in " + e.retryAfter().toSeconds() + " s", e);
    } catch (RequestRefusedException e) {
      throw new BadCredentialsException("Request refused: " + e.getMessage(), e);
    } catch (DatabaseUnavailableException e) {
      throw new AuthenticationServiceException("The login database is unavailable", e);
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  private static HttpServletRequest currentRequest() {
    RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
    if (attributes instanceof ServletRequestAttributes servlet) {
      return servlet.getRequest();
    }
    throw new AuthenticationServiceException(
        "Userbound logs people in for an HTTP request, and there is none on this thread"
            + " (is Spring MVC's RequestContextFilter registered?)");
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
  }

  @Override
  public String toString() {
    return "UserboundAuthenticationProvider[" + logins + "]";
  }
}
