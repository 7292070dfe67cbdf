package io.userbound.sample.spring;

import io.userbound.servlet.HttpError;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.logout.HttpStatusReturningLogoutSuccessHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * Who may see what: the login page, {@code POST /api/login} and {@code /health} are open;
 * everything else needs a login. The binding filter needs no line here: the
 * auto-configuration adds it to every chain.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

  @Bean
  SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
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
