package io.userbound.spring;

import io.userbound.core.DatabaseUnavailableException;
import io.userbound.core.LogText;
import io.userbound.core.Login;
import io.userbound.core.LoginFailedException;
import io.userbound.core.LoginThrottledException;
import io.userbound.core.UserboundException;
import io.userbound.servlet.LoginService;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/*
 * The hook into Spring Security's OAuth2 login: OAuth2LoginConfigurer uses the application's
 * OAuth2UserService<OidcUserRequest, OidcUser> bean when the chain names none. Spring's own
 * OidcUserService has already checked the ID token (Spring's OidcIdTokenDecoderFactory) and
 * loads the user; then the ID token's value goes to Userbound.loginWithToken, whose
 * verifier checks it again with the rules of userbound.security.oidc.* (algorithms, iss,
 * aud, lifetime) and maps the role, and the database checks the role. The login is kept in
 * the session (LoginService.loginWithToken, as password logins are kept). A refusal is an OAuth2AuthenticationException, which the
 * chain's failure handler answers (see UserboundOidcAutoConfiguration#failureHandler for one
 * that answers 401 JSON and drops the session).
 */
/** Signs a person in with their ID token after Spring's OAuth2 login. Thread-safe. */
final class UserboundOidcUserService implements OAuth2UserService<OidcUserRequest, OidcUser> {

  private static final Logger log = LoggerFactory.getLogger(UserboundOidcUserService.class);

  /** The OAuth2 error code of a refused SSO login. */
  static final String LOGIN_FAILED = "login_failed";

  private final Supplier<OAuth2UserService<OidcUserRequest, OidcUser>> delegate;
  private volatile @Nullable OAuth2UserService<OidcUserRequest, OidcUser> made;
  private final LoginService sessions;
  private final List<GrantedAuthority> authorities;

  /* Spring's OidcUserService is made on first use: it needs a JSON converter on the class path. */
  UserboundOidcUserService(LoginService sessions, List<? extends GrantedAuthority> authorities) {
    this(OidcUserService::new, sessions, authorities);
  }

  UserboundOidcUserService(
      Supplier<OAuth2UserService<OidcUserRequest, OidcUser>> delegate,
      LoginService sessions,
      List<? extends GrantedAuthority> authorities) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.sessions = Objects.requireNonNull(sessions, "sessions");
    this.authorities = List.copyOf(authorities);
  }

  @Override
  public OidcUser loadUser(OidcUserRequest request) throws OAuth2AuthenticationException {
    OAuth2UserService<OidcUserRequest, OidcUser> service = made;
    if (service == null) {
      service = delegate.get();
      made = service;
    }
    OidcUser user = service.loadUser(request);
    if (user == null) {
      throw new OAuth2AuthenticationException(
          new OAuth2Error(LOGIN_FAILED), "The provider's user could not be loaded");
    }
    RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
    if (!(attributes instanceof ServletRequestAttributes servlet)) {
      throw new OAuth2AuthenticationException(
          new OAuth2Error(LOGIN_FAILED),
          "Userbound signs people in for an HTTP request, and there is none on this thread");
    }
    HttpServletRequest http = servlet.getRequest();
    try {
      Login login = sessions.loginWithToken(http, request.getIdToken().getTokenValue());
      return new UserboundOidcUser(user, login.role(), authorities);
    } catch (LoginThrottledException e) {
      throw new OAuth2AuthenticationException(
          new OAuth2Error("too_many_attempts"),
          "Too many failed logins; try again in " + e.retryAfter().toSeconds() + " s",
          e);
    } catch (LoginFailedException | DatabaseUnavailableException e) {
      throw new OAuth2AuthenticationException(new OAuth2Error(LOGIN_FAILED), "Sign-in refused", e);
    } catch (UserboundException e) {
      // TrustedLoginUnsupportedException (a login database under DEDICATED_POOLS) and the
      // like: a configuration mistake, whose message names the fix.
      log.warn("a sign-in with SSO failed: {}", LogText.escape(e.getMessage(), 500));
      throw new OAuth2AuthenticationException(new OAuth2Error(LOGIN_FAILED), "Sign-in refused", e);
    }
  }

  @Override
  public String toString() {
    return "UserboundOidcUserService[" + sessions + "]";
  }
}
