package io.userbound.spring;

import io.userbound.core.Userbound;
import io.userbound.servlet.LoginService;
import io.userbound.spring.internal.AsyncBinding;
import io.userbound.spring.internal.ConfigFactory;
import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.session.DisableEncodeUrlFilter;
import org.springframework.web.servlet.config.annotation.AsyncSupportConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Spring Security logins verified by PostgreSQL, and a binding for every request.
 *
 * <p>Beans: binding-servlet's {@link LoginService} (keeps each {@link io.userbound.core.Login}
 * in the HTTP session, never serialized; logout and session expiry close the person's pools
 * unless they have another live session), a {@link UserboundAuthenticationProvider} (so
 * Spring Boot's generated in-memory user backs off), and a {@code Customizer<HttpSecurity>}
 * that adds a {@link UserboundSecurityFilter} to every security filter chain; with Spring MVC,
 * a controller's {@code Callable} runs with the login bound on its executor thread too (not a
 * {@code DeferredResult} completed by other threads: bind there yourself). Spring
 * Security's logout invalidates the session, which ends the login. A login made in a
 * request whose chain does not save the security context in the HTTP session (a {@code
 * STATELESS} chain, say) ends with that request. Without a {@code SecurityFilterChain} of the
 * application's, a default one: everything needs a login through the login form, and no
 * HTTP Basic.
 *
 * <p>Properties: {@code userbound.security.authorities} (default {@code ROLE_USER}), {@code
 * userbound.security.allowed-origins}, {@code userbound.security.trusted-proxies}. Off with
 * {@code userbound.security.enabled=false}.
 */
@AutoConfiguration(
    after = UserboundAutoConfiguration.class,
    beforeName = {
      "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
      "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
      "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration"
    })
@ConditionalOnClass({LoginService.class, AuthenticationProvider.class, HttpSecurity.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnProperty(
    prefix = "userbound",
    name = {"enabled", "security.enabled"},
    matchIfMissing = true)
@ConditionalOnBean(Userbound.class)
public class UserboundSecurityAutoConfiguration {

  /** Creates the auto-configuration; Spring calls it. */
  public UserboundSecurityAutoConfiguration() {}

  /**
   * Where logins are verified and kept.
   *
   * @param userbound the instance
   * @param properties the bound properties
   * @return the service
   */
  @Bean
  @ConditionalOnMissingBean
  public LoginService userboundLoginService(Userbound userbound, UserboundProperties properties) {
    UserboundProperties.Security security = properties.getSecurity();
    LoginService.Builder b = LoginService.builder();
    ConfigFactory.set(
        "security.allowed-origins",
        security.getAllowedOrigins(),
        () -> b.allowOrigins(security.getAllowedOrigins().toArray(String[]::new)));
    ConfigFactory.set(
        "security.trusted-proxies",
        security.getTrustedProxies(),
        () -> b.trustProxies(security.getTrustedProxies().toArray(String[]::new)));
    ConfigFactory.set(
        "security.ipv6-throttle-prefix",
        security.getIpv6ThrottlePrefix(),
        () -> b.ipv6ThrottlePrefix(security.getIpv6ThrottlePrefix()));
    b.bearerTokens(bearerTokens(properties));
    return b.build(userbound);
  }

  /**
   * The authentication provider.
   *
   * @param logins where logins are verified and kept
   * @param properties the bound properties
   * @return the provider
   */
  @Bean
  @ConditionalOnMissingBean
  public UserboundAuthenticationProvider userboundAuthenticationProvider(
      LoginService logins, UserboundProperties properties) {
    UserboundProperties.Oidc oidc = properties.getSecurity().getOidc();
    return new UserboundAuthenticationProvider(
        logins, authorities(properties), !oidc.isEnabled() || oidc.isPasswordLogin());
  }

  /** Sign in with SSO is on, and with it bearer tokens. */
  private static boolean bearerTokens(UserboundProperties properties) {
    UserboundProperties.Oidc oidc = properties.getSecurity().getOidc();
    return oidc.isEnabled() && oidc.isBearerTokens();
  }

  private static List<SimpleGrantedAuthority> authorities(UserboundProperties properties) {
    List<String> names = properties.getSecurity().getAuthorities();
    for (String n : names) {
      if (n == null || n.isBlank()) {
        ConfigFactory.set(
            "security.authorities",
            names,
            () -> {
              throw new IllegalArgumentException("an authority must not be empty");
            });
      }
    }
    return names.stream().map(SimpleGrantedAuthority::new).toList();
  }

  /** Spring MVC's {@code Callable} handlers run bound too. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(WebMvcConfigurer.class)
  static class AsyncHandlers {

    @Bean
    WebMvcConfigurer userboundAsyncBinding(Userbound userbound) {
      AsyncBinding binding = new AsyncBinding(userbound);
      return new WebMvcConfigurer() {
        @Override
        public void configureAsyncSupport(AsyncSupportConfigurer configurer) {
          configurer.registerCallableInterceptors(binding);
        }
      };
    }
  }

  /**
   * Adds the binding filter to every security filter chain, with the token logins of Sign in
   * with SSO when it is on (see {@link UserboundOidcAutoConfiguration}).
   *
   * @param logins where logins are kept (password and SSO alike)
   * @param properties the bound properties
   * @return the customizer Spring Security applies to each {@code HttpSecurity}
   */
  @Bean
  public Customizer<HttpSecurity> userboundHttpSecurity(
      LoginService logins, UserboundProperties properties) {
    UserboundSecurityFilter filter =
        new UserboundSecurityFilter(logins, bearerTokens(properties), authorities(properties));
    UnsavedLoginFilter unsaved = new UnsavedLoginFilter(logins);
    return http ->
        http.addFilterBefore(unsaved, DisableEncodeUrlFilter.class)
            .addFilterBefore(filter, AnonymousAuthenticationFilter.class);
  }

  /**
   * The security filter chain when the application declares none, in place of Spring Boot's
   * default: every request needs a login, through Spring Security's login form (with its
   * CSRF token) at {@code /login}; logout at {@code POST /logout}. Unlike Spring Boot's
   * default it has no HTTP Basic: Basic sends the password with every request, browsers
   * replay it by themselves, and each request without a session would be a new login on
   * PostgreSQL. Declare your own {@code SecurityFilterChain} to choose otherwise.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingBean(SecurityFilterChain.class)
  static class DefaultChain {

    @Bean
    SecurityFilterChain userboundDefaultSecurityFilterChain(HttpSecurity http) {
      http.authorizeHttpRequests(a -> a.anyRequest().authenticated())
          .formLogin(Customizer.withDefaults());
      return http.build();
    }
  }
}
