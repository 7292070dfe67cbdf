package io.userbound.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;
import io.userbound.core.LoginFailedException;
import io.userbound.core.VerifiedIdentity;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The token checks, one attack at a time, with tokens made by Nimbus as a provider (or an
 * attacker) would make them. Each refusal is a LoginFailedException that holds neither the
 * token nor a claim's value.
 */
class JwtIdentityVerifierTest {

  private final Tokens issuer = new Tokens("k1");

  private JwtIdentityVerifier verifier() {
    return JwtIdentityVerifier.builder(Tokens.ISSUER)
        .keys(issuer.publicKeys())
        .audiences(Tokens.AUDIENCE)
        .roleClaim(Tokens.CLAIM)
        .build();
  }

  private static void refused(JwtIdentityVerifier v, String token, String why) {
    assertThatThrownBy(() -> v.verify(token))
        .as(why)
        .isInstanceOf(LoginFailedException.class)
        .hasMessageNotContaining("alice_evil")
        .hasNoCause()
        .satisfies(e -> assertThat(token.isEmpty() || !e.getMessage().contains(token)).isTrue());
  }

  @Test
  void aGoodToken_namesIssuerSubjectRoleAndExpiry() {
    VerifiedIdentity id = verifier().verify(issuer.token("alice"));
    assertThat(id.issuer()).isEqualTo(Tokens.ISSUER);
    assertThat(id.subject()).isEqualTo("sub-alice");
    assertThat(id.role()).isEqualTo("alice");
    assertThat(id.expiresAt()).isAfter(Instant.now());
  }

  @Test
  void everyForgedOrStaleToken_isRefused() {
    JwtIdentityVerifier v = verifier();
    Instant now = Instant.now();
    Tokens stranger = new Tokens("k1"); // another key under the same key id
    refused(v, issuer.token("alice_evil", c -> c.audience("another-app")), "wrong audience");
    refused(v, issuer.token("alice_evil", c -> c.audience(List.of())), "no audience");
    refused(v, issuer.token("alice_evil", c -> c.issuer(Tokens.ISSUER + "x")), "wrong issuer");
    refused(v, issuer.token("alice_evil", c -> c.issuer(null)), "no issuer");
    refused(
        v,
        issuer.token("alice_evil", c -> c.expirationTime(Date.from(now.minusSeconds(120)))),
        "expired beyond the skew");
    refused(v, issuer.token("alice_evil", c -> c.expirationTime(null)), "no expiry");
    refused(
        v,
        issuer.token("alice_evil", c -> c.notBeforeTime(Date.from(now.plusSeconds(120)))),
        "not yet valid");
    refused(v, issuer.token("alice_evil", c -> c.subject(null)), "no subject");
    refused(v, issuer.token("alice_evil", c -> c.claim(Tokens.CLAIM, null)), "no role claim");
    refused(
        v,
        issuer.token("alice_evil", c -> c.claim(Tokens.CLAIM, List.of("alice_evil"))),
        "a role claim that is not a string");
    refused(v, Tokens.unsigned("alice_evil"), "alg: none");
    refused(v, issuer.hmacWithPublicKey("alice_evil"), "HS256 with the public key");
    refused(v, stranger.token("alice_evil"), "signed with another key");
    refused(v, new Tokens("k9").token("alice_evil"), "an unknown key id");
    String good = issuer.token("alice_evil");
    String[] parts = good.split("\\.");
    refused(v, parts[0] + "." + parts[1] + ".", "signature stripped");
    refused(v, parts[0] + ".e30." + parts[2], "claims swapped");
    refused(v, "not a token", "garbage");
    refused(v, "", "empty");
    refused(v, "a".repeat(JwtIdentityVerifier.MAX_TOKEN_CHARS + 1), "too long");
  }

  @Test
  void theClockSkew_andTheRoleMapping_areApplied() {
    Instant now = Instant.now();
    String recentlyExpired =
        issuer.token("alice", c -> c.expirationTime(Date.from(now.minusSeconds(20))));
    assertThat(verifier().verify(recentlyExpired).role()).isEqualTo("alice");
    JwtIdentityVerifier strict =
        JwtIdentityVerifier.builder(Tokens.ISSUER)
            .keys(issuer.publicKeys())
            .audiences(Tokens.AUDIENCE)
            .roleClaim(Tokens.CLAIM)
            .clockSkew(Duration.ZERO)
            .roleMapping(r -> r.startsWith("app_") ? null : "app_" + r)
            .build();
    refused(strict, recentlyExpired, "expired, no skew");
    assertThat(strict.verify(issuer.token("alice")).role()).isEqualTo("app_alice");
    refused(strict, issuer.token("app_alice_evil"), "the mapping refuses");
  }

  @Test
  void unsafeSettings_areRefusedWhenBuilt() {
    assertThatThrownBy(() -> JwtIdentityVerifier.builder(Tokens.ISSUER).algorithms("HS256"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JwtIdentityVerifier.builder(Tokens.ISSUER).algorithms("none"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> JwtIdentityVerifier.builder(Tokens.ISSUER).keys(new JWKSet(issuer.key)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("private");
    assertThatThrownBy(
            () ->
                JwtIdentityVerifier.builder(Tokens.ISSUER)
                    .keys(issuer.publicKeys())
                    .roleClaim(Tokens.CLAIM)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("audiences");
    assertThatThrownBy(
            () ->
                JwtIdentityVerifier.builder(Tokens.ISSUER)
                    .keys(issuer.publicKeys())
                    .audiences(Tokens.AUDIENCE)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("roleClaim");
    assertThatThrownBy(
            () -> JwtIdentityVerifier.builder(Tokens.ISSUER).clockSkew(Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** The issuer publishes a new key and signs with it: the verifier fetches the set again. */
  @Test
  void aRotatedKey_isFetched_fromTheJwksUri() throws IOException {
    Tokens next = new Tokens("k2");
    AtomicReference<String> published = new AtomicReference<>(issuer.publicKeys().toString());
    AtomicInteger fetches = new AtomicInteger();
    HttpServer http =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext(
        "/certs",
        exchange -> {
          fetches.incrementAndGet();
          byte[] body = published.get().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    http.start();
    try {
      JwtIdentityVerifier v =
          JwtIdentityVerifier.builder(Tokens.ISSUER)
              .jwkSetUri(URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/certs"))
              .keyRefetchInterval(Duration.ZERO)
              .audiences(Tokens.AUDIENCE)
              .roleClaim(Tokens.CLAIM)
              .build();
      assertThat(fetches.get()).as("nothing fetched before the first token").isZero();
      assertThat(v.verify(issuer.token("alice")).role()).isEqualTo("alice");
      assertThat(v.verify(issuer.token("bob")).role()).isEqualTo("bob");
      assertThat(fetches.get()).as("the set is cached").isEqualTo(1);
      refused(v, next.token("alice_evil"), "a key not published yet");
      published.set(
          new JWKSet(List.of(issuer.key.toPublicJWK(), next.key.toPublicJWK())).toString());
      assertThat(v.verify(next.token("carol")).role()).isEqualTo("carol");
      assertThat(v.verify(issuer.token("alice")).role()).isEqualTo("alice");
    } finally {
      http.stop(0);
    }
  }
}
