package io.userbound.sample.spring;

import io.userbound.servlet.HttpError;
import io.userbound.spring.UserboundOidcFailureHandler;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.logout.HttpStatusReturningLogoutSuccessHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * Who may see what: the login page, {@code POST /api/login} and {@code /health} are open;
 * everything else needs a login. With the {@code sso} profile the login page also offers
 * "Sign in with SSO" (Spring Security's OAuth2 login), and an API client may send {@code
 * Authorization: Bearer <token>} instead of a session cookie (the starter's filter). The binding filter needs no line here: the
 * auto-configuration adds it to every chain.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

  @Bean
  SecurityFilterChain securityFilterChain(
      HttpSecurity http, ObjectProvider<ClientRegistrationRepository> sso) throws Exception {
    if (sso.getIfAvailable() != null) {
      // The sso profile: "Sign in with SSO" on the login page, beside the password form. The
      // starter's OidcUserService bean turns the ID token into the person's login; a refusal
      // is 401 JSON and leaves no session.
      http.oauth2Login(
          o -> o.defaultSuccessUrl("/", true).failureHandler(new UserboundOidcFailureHandler()));
    }
    http.authorizeHttpRequests(
            a ->
                a.requestMatchers("/api/login", "/health", "/login", "/error")
                    .permitAll()
                    .anyRequest()
                    .authenticated())
        // Spring Security's login form at /login, for the browser.
        .formLogin(f -> f.defaultSuccessUrl("/", true))
        .logout(
            l ->
                l.logoutRequestMatcher(SecurityConfig::sameSiteLogout)
                    .logoutSuccessHandler(
                        new HttpStatusReturningLogoutSuccessHandler(HttpStatus.NO_CONTENT)))
        // The JSON API takes only application/json, which another site's page cannot send
        // without a CORS preflight; the form keeps its CSRF token.
        .csrf(c -> c.ignoringRequestMatchers("/api/**"))
        .exceptionHandling(
            e ->
                e.defaultAuthenticationEntryPointFor(
                    (request, response, failure) -> HttpError.NOT_LOGGED_IN.write(response),
                    PathPatternRequestMatcher.withDefaults().matcher("/api/**")));
    return http.build();
  }

  /**
   * {@code POST /api/logout}, unless another site's page sent it (its {@code Sec-Fetch-Site}
   * or {@code Origin} says so): the API has no CSRF token, and a cross-site logout would end
   * the person's session.
   */
  static boolean sameSiteLogout(HttpServletRequest request) {
    if (!"POST".equals(request.getMethod()) || !"/api/logout".equals(request.getRequestURI())) {
      return false;
    }
    String site = request.getHeader("Sec-Fetch-Site");
    if (site != null && !site.equals("same-origin") && !site.equals("none")) {
      return false;
    }
    String origin = request.getHeader("Origin");
    if (origin == null) {
      return true;
    }
    String own = request.getScheme() + "://" + request.getHeader("Host");
    return origin.equalsIgnoreCase(own);
  }
}
