package io.userbound.sample.idp;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.userbound.sample.DemoPerson;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * A real OpenID Connect provider for the demo and the tests: Spring Authorization Server in a
 * Spring application context of its own, on its own port of 127.0.0.1, in the sample's JVM.
 *
 * <ul>
 *   <li>Users: the demo people, each with their demo password (a password at the provider,
 *       not at PostgreSQL: with SSO the database never sees one); and {@value
 *       #UNKNOWN_TO_POSTGRESQL} / {@code erin-pw}, whom the provider knows and PostgreSQL does
 *       not: her sign-in is refused.
 *   <li>One client, {@value #CLIENT_ID} (secret {@value #CLIENT_SECRET}; a demo), with the
 *       authorization code grant, redirecting to {@code
 *       http://127.0.0.1:<any port>/login/oauth2/code/demo} (a loopback redirect may change
 *       its port), no consent screen.
 *   <li>ID tokens and access tokens carry {@value #ROLE_CLAIM}: the person's PostgreSQL
 *       role; signed RS256 with a key made at start (its JWK Set at {@code /oauth2/jwks}).
 * </ul>
 *
 * <p>The issuer is {@code http://127.0.0.1:<port>}. Closing stops it. Not for production: use
 * your organisation's provider (the README shows Keycloak).
 */
public final class DemoIdentityProvider implements AutoCloseable {

  /** The client id, and the audience of its tokens. */
  public static final String CLIENT_ID = "userbound-sample";

  /** The demo client's secret. */
  public static final String CLIENT_SECRET = "sample-secret";

  /** A user of the provider with no PostgreSQL role (password {@code erin-pw}). */
  public static final String UNKNOWN_TO_POSTGRESQL = "erin";

  /** The claim naming the person's PostgreSQL role. */
  public static final String ROLE_CLAIM = "pg_role";

  private final ConfigurableApplicationContext context;
  private final RSAKey signingKey;
  private final String issuer;

  private DemoIdentityProvider(ConfigurableApplicationContext context, RSAKey signingKey) {
    this.context = context;
    this.signingKey = signingKey;
    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
    this.issuer = "http://127.0.0.1:" + port;
  }

  /**
   * Starts the provider.
   *
   * @param port the port on 127.0.0.1; 0 for any free one
   * @return the running provider; close it
   */
  public static DemoIdentityProvider start(int port) {
    RSAKey key;
    try {
      key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot make the demo provider's signing key", e);
    }
    SpringApplication app = new SpringApplication(Config.class);
    app.setWebApplicationType(WebApplicationType.SERVLET);
    app.addInitializers(c -> c.getBeanFactory().registerSingleton("demoSigningKey", key));
    String client = "--spring.security.oauth2.authorizationserver.client.sample.";
    List<String> args =
        new ArrayList<>(
            List.of(
                // Its own configuration: none of the application's properties files.
                "--spring.config.name=demo-identity-provider",
                "--spring.main.banner-mode=off",
                "--spring.jmx.enabled=false",
                "--userbound.enabled=false",
                "--spring.autoconfigure.exclude="
                    + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
                "--server.address=127.0.0.1",
                "--server.port=" + port,
                // Its own session cookie: cookies do not tell ports apart, and the sample's
                // JSESSIONID is on the same host.
                "--server.servlet.session.cookie.name=DEMO_IDP_SESSION",
                client + "registration.client-id=" + CLIENT_ID,
                client + "registration.client-secret={noop}" + CLIENT_SECRET,
                client + "registration.client-authentication-methods=client_secret_basic",
                client + "registration.authorization-grant-types=authorization_code",
                client + "registration.redirect-uris=http://127.0.0.1:8080/login/oauth2/code/demo",
                client + "registration.scopes=openid,profile",
                client + "require-authorization-consent=false"));
    ConfigurableApplicationContext context = app.run(args.toArray(String[]::new));
    return new DemoIdentityProvider(context, key);
  }

  /** {@return the issuer: {@code http://127.0.0.1:<port>}} */
  public String issuer() {
    return issuer;
  }

  /**
   * Returns the provider's signing key, private part included: for tests that sign tokens as
   * the provider would (an expired one, one for another audience, one naming a privileged
   * role) to show that the application still refuses them.
   *
   * @return the RSA key
   */
  public RSAKey signingKey() {
    return signingKey;
  }

  /** Stops the provider. Idempotent. */
  @Override
  public void close() {
    context.close();
  }

  @Override
  public String toString() {
    return "DemoIdentityProvider[" + issuer + "]";
  }

  /** The provider's application context: Spring Boot's authorization server, and these. */
  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class Config {

    /** The demo people, with their demo passwords; a role claim of their own name. */
    @Bean
    UserDetailsService demoPeople() {
      List<UserDetails> people = new ArrayList<>();
      for (DemoPerson p : DemoPerson.ALL) {
        people.add(
            User.withUsername(p.role()).password("{noop}" + p.password()).roles("USER").build());
      }
      // Known to the provider, unknown to PostgreSQL (a new hire not yet given a role, say):
      // the provider vouches for erin, and the sample refuses her sign-in.
      people.add(
          User.withUsername(UNKNOWN_TO_POSTGRESQL).password("{noop}erin-pw").roles("USER").build());
      return new InMemoryUserDetailsManager(people);
    }

    @Bean
    JWKSource<SecurityContext> demoKeys(RSAKey demoSigningKey) {
      return new ImmutableJWKSet<>(new JWKSet(demoSigningKey));
    }

    /**
     * Puts the person's PostgreSQL role into ID tokens and access tokens. Here it is the user
     * name; a real provider maps it from a user attribute (see the README's Keycloak setup).
     */
    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> demoRoleClaim() {
      return context -> context.getClaims().claim(ROLE_CLAIM, context.getPrincipal().getName());
    }
  }
}
