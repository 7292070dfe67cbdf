package io.userbound.spring;

import io.userbound.core.IdentityVerifier;
import io.userbound.core.Userbound;
import io.userbound.servlet.LoginService;
import io.userbound.spring.internal.ConfigFactory;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.util.ClassUtils;

/**
 * Sign in with SSO: a person whose OpenID Connect provider vouches for them logs in as the
 * PostgreSQL role a claim of their token names, with no database password. On with {@code
 * userbound.security.oidc.enabled=true}; the login databases must use {@code ROLE_SWITCHING}
 * (a gateway role sets each person's role; see the README).
 *
 * <p>Beans:
 *
 * <ul>
 *   <li>a {@link JwtRoleMapper} from {@code role-claim} and {@code role-prefix} (the claim's
 *       value used exactly: no case folding, no quoting), unless the application declares
 *       one;
 *   <li>an {@link IdentityVerifier}, {@link JwtDecoderIdentityVerifier#forIssuer}: Spring
 *       Security's {@code NimbusJwtDecoder} with the issuer's JWK Set, RS256 and ES256 only,
 *       {@code iss}, {@code aud} ({@code audience}), {@code exp}/{@code nbf} with {@code
 *       clock-skew}, and {@code sub}; set into the {@link io.userbound.core.UserboundConfig}
 *       by a {@link UserboundConfigCustomizer};
 *   <li>in a servlet web application with Spring Security: an {@code
 *       OAuth2UserService<OidcUserRequest, OidcUser>} that Spring Security's OAuth2 login
 *       uses (when the application enables {@code http.oauth2Login(...)} and names no user
 *       service of its own): after Spring checks the ID token, its value goes to {@link
 *       Userbound#loginWithToken}, and the login is kept in the HTTP session and ended by
 *       logout and session expiry as a password login is; the principal is a {@link
 *       UserboundOidcUser} named by the role. Answer refusals with {@link
 *       UserboundOidcFailureHandler}.
 *   <li>bearer tokens ({@code bearer-tokens}, on by default): {@link UserboundSecurityFilter}
 *       logs in the person of each {@code Authorization: Bearer} token through binding-servlet's
 *       {@link io.userbound.servlet.LoginService#bearer} (the login kept by the token's SHA-256
 *       until it expires, at most an hour).
 * </ul>
 *
 * <p>{@code password-login=false} turns the password form off: {@link
 * UserboundAuthenticationProvider} then refuses every password without asking PostgreSQL.
 */
@AutoConfiguration(
    after = UserboundAutoConfiguration.class,
    before = UserboundSecurityAutoConfiguration.class)
@ConditionalOnProperty(
    prefix = "userbound",
    name = {"enabled", "security.enabled"},
    matchIfMissing = true)
@ConditionalOnProperty(prefix = "userbound.security.oidc", name = "enabled", havingValue = "true")
public class UserboundOidcAutoConfiguration {

  private static final String JWT_DECODER = "org.springframework.security.oauth2.jwt.JwtDecoder";

  /**
   * Creates the auto-configuration; Spring calls it.
   *
   * @throws IllegalStateException if Spring Security's JOSE support is missing
   */
  public UserboundOidcAutoConfiguration() {
    if (!ClassUtils.isPresent(JWT_DECODER, UserboundOidcAutoConfiguration.class.getClassLoader())) {
      throw new IllegalStateException(
          "userbound.security.oidc.enabled=true needs Spring Security's JWT support: add"
              + " org.springframework.boot:spring-boot-starter-security-oauth2-client (browser"
              + " sign-in) or spring-boot-starter-security-oauth2-resource-server (bearer tokens)");
    }
  }

  /** The verifier and its role mapping. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(JwtDecoder.class)
  static class Verifier {

    @Bean
    @ConditionalOnMissingBean
    JwtRoleMapper userboundJwtRoleMapper(UserboundProperties properties) {
      UserboundProperties.Oidc oidc = properties.getSecurity().getOidc();
      JwtRoleMapper[] mapper = new JwtRoleMapper[1];
      ConfigFactory.set(
          "security.oidc.role-claim",
          oidc.getRoleClaim(),
          () -> mapper[0] = JwtRoleMapper.claim(oidc.getRoleClaim(), oidc.getRolePrefix()));
      return mapper[0];
    }

    @Bean
    @ConditionalOnMissingBean
    IdentityVerifier userboundIdentityVerifier(
        UserboundProperties properties, JwtRoleMapper roles) {
      UserboundProperties.Oidc oidc = properties.getSecurity().getOidc();
      String issuer = oidc.getIssuerUri();
      if (issuer == null || issuer.isBlank()) {
        throw new InvalidConfigurationPropertyValueException(
            "userbound.security.oidc.issuer-uri",
            issuer,
            "Sign in with SSO needs the provider's issuer, e.g."
                + " https://keycloak.example.com/realms/acme; tokens must carry exactly it in"
                + " iss");
      }
      ConfigFactory.set(
          "security.oidc.audience",
          oidc.getAudience(),
          () -> JwtDecoderIdentityVerifier.checkAudiences(oidc.getAudience()));
      ConfigFactory.set(
          "security.oidc.clock-skew",
          oidc.getClockSkew(),
          () -> JwtDecoderIdentityVerifier.checkClockSkew(oidc.getClockSkew()));
      JwtDecoderIdentityVerifier[] verifier = new JwtDecoderIdentityVerifier[1];
      ConfigFactory.set(
          "security.oidc",
          issuer,
          () ->
              verifier[0] =
                  JwtDecoderIdentityVerifier.forIssuer(
                      issuer, oidc.getJwkSetUri(), oidc.getAudience(), oidc.getClockSkew(), roles));
      return verifier[0];
    }

    @Bean
    UserboundConfigCustomizer userboundIdentityVerifierCustomizer(IdentityVerifier verifier) {
      return b -> b.identityVerifier(verifier);
    }
  }

  /** Spring Security's OAuth2 login: the ID token logs the person in. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(
      name = {
        "io.userbound.servlet.LoginService",
        "org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService"
      })
  static class BrowserLogin {

    @Bean
    @ConditionalOnMissingBean
    OAuth2UserService<OidcUserRequest, OidcUser> userboundOidcUserService(
        ObjectProvider<LoginService> logins, UserboundProperties properties) {
      List<SimpleGrantedAuthority> authorities =
          properties.getSecurity().getAuthorities().stream()
              .map(SimpleGrantedAuthority::new)
              .toList();
      return new UserboundOidcUserService(logins.getObject(), authorities);
    }
  }
}
