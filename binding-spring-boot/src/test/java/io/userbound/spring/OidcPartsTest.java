package io.userbound.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.userbound.core.IdentityVerifier;
import io.userbound.core.LoginFailedException;
import io.userbound.core.UserboundConfig;
import io.userbound.core.VerifiedIdentity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/** The Spring parts of Sign in with SSO that need no provider and no database. */
class OidcPartsTest {

  private static final String ISSUER = "https://idp.example.com/realms/acme";
  private static final String NOWHERE = "jdbc:postgresql://127.0.0.1:9/";

  private final WebApplicationContextRunner web =
      new WebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  UserboundAutoConfiguration.class,
                  UserboundOidcAutoConfiguration.class,
                  UserboundSecurityAutoConfiguration.class,
                  SecurityAutoConfiguration.class,
                  ServletWebSecurityAutoConfiguration.class,
                  UserDetailsServiceAutoConfiguration.class))
          .withPropertyValues(
              "userbound.jmx=false",
              "userbound.databases.one.url=" + NOWHERE + "one",
              "userbound.security.oidc.enabled=true",
              "userbound.security.oidc.issuer-uri=" + ISSUER,
              "userbound.security.oidc.audience=acme-app");

  @Test
  void enabled_setsTheVerifierIntoTheConfig_andKeepsBrowserLogins() {
    web.run(
        context -> {
          assertThat(context).hasNotFailed();
          IdentityVerifier verifier = context.getBean(IdentityVerifier.class);
          assertThat(verifier).isInstanceOf(JwtDecoderIdentityVerifier.class);
          assertThat(context.getBean(UserboundConfig.class).identityVerifier())
              .containsSame(verifier);
          assertThat(context.getBean("userboundOidcUserService"))
              .isInstanceOf(UserboundOidcUserService.class);
        });
  }

  @Test
  void off_byDefault() {
    web.withPropertyValues("userbound.security.oidc.enabled=false")
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(IdentityVerifier.class);
              assertThat(context.getBean(UserboundConfig.class).identityVerifier()).isEmpty();
            });
  }

  @Test
  void withoutAudienceOrIssuer_startUpFailsNamingTheProperty() {
    web.withPropertyValues("userbound.security.oidc.audience=")
        .run(
            context ->
                assertThat(rootOf(context).getName())
                    .isEqualTo("userbound.security.oidc.audience"));
    web.withPropertyValues("userbound.security.oidc.issuer-uri=")
        .run(
            context ->
                assertThat(rootOf(context).getName())
                    .isEqualTo("userbound.security.oidc.issuer-uri"));
    web.withPropertyValues("userbound.security.oidc.clock-skew=1h")
        .run(
            context ->
                assertThat(rootOf(context).getName())
                    .isEqualTo("userbound.security.oidc.clock-skew"));
  }

  @Test
  void passwordLoginOff_refusesEveryPasswordBeforePostgresqlHearsOfIt() {
    web.withPropertyValues("userbound.security.oidc.password-login=false")
        .run(
            context ->
                assertThatThrownBy(
                        () ->
                            context
                                .getBean(UserboundAuthenticationProvider.class)
                                .authenticate(
                                    UsernamePasswordAuthenticationToken.unauthenticated(
                                        "alice", "alice-pw")))
                    .isInstanceOf(BadCredentialsException.class)
                    .hasMessageContaining("password-login=false"));
  }

  @Test
  void bearerToken_onlyFromTheAuthorizationHeader() {
    assertThat(UserboundSecurityFilter.bearerToken(request(null))).isNull();
    assertThat(UserboundSecurityFilter.bearerToken(request("Basic YTpi"))).isNull();
    assertThat(UserboundSecurityFilter.bearerToken(request("Bearer abc.def-_~+/=")))
        .isEqualTo("abc.def-_~+/=");
    assertThat(UserboundSecurityFilter.bearerToken(request("bEaReR abc"))).isEqualTo("abc");
    assertThat(UserboundSecurityFilter.bearerToken(request("Bearer"))).isEmpty();
    assertThat(UserboundSecurityFilter.bearerToken(request("Bearer a b"))).isEmpty();
    assertThat(UserboundSecurityFilter.bearerToken(request("Bearer a\"b"))).isEmpty();
    MockHttpServletRequest query = request(null);
    query.setParameter("access_token", "abc");
    assertThat(UserboundSecurityFilter.bearerToken(query)).isNull();
  }

  @Test
  void roleClaim_usedExactly_noFolding_behindThePrefix() throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
    IdentityVerifier verifier = verifier(key, JwtRoleMapper.claim("pg_role", ""));
    assertThat(verifier.verify(token(key, claims().claim("pg_role", "Alice"))))
        .extracting(VerifiedIdentity::role)
        .isEqualTo("Alice");
    IdentityVerifier prefixed = verifier(key, JwtRoleMapper.claim("pg_role", "sso_"));
    assertThat(prefixed.verify(token(key, claims().claim("pg_role", "bob"))).role())
        .isEqualTo("sso_bob");
    assertThatThrownBy(() -> verifier.verify(token(key, claims().claim("pg_role", List.of("a")))))
        .isInstanceOf(LoginFailedException.class)
        .hasMessageContaining("names no role");
    assertThatThrownBy(() -> verifier.verify(token(key, claims().claim("pg_role", ""))))
        .isInstanceOf(LoginFailedException.class);
  }

  @Test
  void refusals_neverQuoteTheToken() throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
    IdentityVerifier verifier = verifier(key, JwtRoleMapper.claim("pg_role", ""));
    String marker = "SECRET-MARKER-7f3a";
    String header =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                ("{\"alg\":\"RS256\",\"x\":\"" + marker + "\"").getBytes(StandardCharsets.UTF_8));
    for (String bad : List.of(header + ".e30.c2ln", marker, marker + ".x.y")) {
      assertThatThrownBy(() -> verifier.verify(bad))
          .isInstanceOf(LoginFailedException.class)
          .satisfies(e -> assertThat(String.valueOf(e.getMessage())).doesNotContain(marker))
          .satisfies(e -> assertThat(e.getCause()).isNull());
    }
    String expired =
        token(
            key,
            claims()
                .claim("pg_role", marker)
                .issueTime(Date.from(Instant.now().minusSeconds(7200)))
                .expirationTime(Date.from(Instant.now().minusSeconds(3600))));
    assertThatThrownBy(() -> verifier.verify(expired))
        .isInstanceOf(LoginFailedException.class)
        .hasMessageContaining("expired")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(marker));
  }

  @Test
  void forIssuer_checksItsArguments() {
    JwtRoleMapper roles = JwtRoleMapper.claim("pg_role", "");
    assertThatThrownBy(
            () ->
                JwtDecoderIdentityVerifier.forIssuer(ISSUER, null, List.of(), Duration.ZERO, roles))
        .hasMessageContaining("audience");
    assertThatThrownBy(
            () ->
                JwtDecoderIdentityVerifier.forIssuer(" ", null, List.of("a"), Duration.ZERO, roles))
        .hasMessageContaining("issuer");
    assertThatThrownBy(
            () ->
                JwtDecoderIdentityVerifier.forIssuer(
                    ISSUER, null, List.of("a"), Duration.ofMinutes(6), roles))
        .hasMessageContaining("clock skew");
    assertThatThrownBy(() -> JwtRoleMapper.claim(" ", ""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static IdentityVerifier verifier(RSAKey key, JwtRoleMapper roles) throws Exception {
    NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey(key.toRSAPublicKey()).build();
    decoder.setJwtValidator(
        JwtDecoderIdentityVerifier.validators(ISSUER, List.of("acme-app"), Duration.ofSeconds(60)));
    JwtDecoder d = decoder;
    return new JwtDecoderIdentityVerifier(d, roles);
  }

  private static JWTClaimsSet.Builder claims() {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject("s-1")
        .audience("acme-app")
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(300)));
  }

  private static String token(RSAKey key, JWTClaimsSet.Builder claims) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
            claims.build());
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private static MockHttpServletRequest request(String authorization) {
    MockHttpServletRequest r = new MockHttpServletRequest("GET", "/api/me");
    if (authorization != null) {
      r.addHeader("Authorization", authorization);
    }
    return r;
  }

  private static InvalidConfigurationPropertyValueException rootOf(
      AssertableWebApplicationContext context) {
    Throwable failure = context.getStartupFailure();
    assertThat(failure).as("start-up failure").isNotNull();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof InvalidConfigurationPropertyValueException e) {
        return e;
      }
    }
    throw new AssertionError("no InvalidConfigurationPropertyValueException in " + failure);
  }
}
