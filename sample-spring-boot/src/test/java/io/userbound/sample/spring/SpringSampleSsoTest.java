package io.userbound.sample.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.userbound.core.DatabaseStats;
import io.userbound.core.Userbound;
import io.userbound.sample.DemoServers;
import io.userbound.sample.idp.DemoIdentityProvider;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.ee11.servlet.SessionHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.session.ManagedSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * Sign in with SSO, end to end over HTTP: the sample in its {@code sso} profile (both
 * databases ROLE_SWITCHING through a gateway), a real OpenID Connect provider (Spring
 * Authorization Server, {@link DemoIdentityProvider}) in the same JVM, real PostgreSQL. Each
 * demo person signs in at the provider's form and is who PostgreSQL says on both databases;
 * bearer tokens the provider issued work on the API; and every forged, misdirected, expired
 * or over-reaching token gets 401 and leaves no login, no pool and no session behind.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "sample.idp.port=0",
      // Every test signs in from 127.0.0.1, and the attacks fail on purpose: keep the
      // throttling out of their way.
      "userbound.login-throttling.failures-per-client=1000",
      "userbound.login-throttling.failures-per-role=1000",
      "userbound.jmx=false"
    })
@ActiveProfiles("sso")
class SpringSampleSsoTest {

  @Value("${local.server.port}")
  int port;

  @Autowired Userbound userbound;
  @Autowired DemoServers servers;
  @Autowired DemoIdentityProvider idp;
  @Autowired ServletWebServerApplicationContext web;

  private static boolean rolesMade;

  @BeforeEach
  void checkForLeaks() {
    Leaks.checkAfterTheTest(userbound);
    if (!rolesMade) {
      // Privileged roles that exist and log in: a token naming one must still be refused.
      for (var server : List.of(servers.finance(), servers.staff())) {
        server.execute("postgres", "CREATE ROLE rls_bypasser LOGIN BYPASSRLS");
      }
      rolesMade = true;
    }
  }

  // ---- the browser: OAuth2 login at the provider, the login kept in the session ----

  @Test
  void signIn_eachDemoPerson_isTheirRoleOnBothDatabases_andSeesOnlyTheirRows() {
    Map<String, String> staff =
        Map.of("alice", "alice", "bob", "bob", "carol", "error:access_denied", "dave", "dave");
    for (String role : List.of("alice", "bob", "carol", "dave")) {
      SsoBrowser b = new SsoBrowser();
      HttpResponse<String> callback = b.signIn(port, role, role + "-pw");
      assertThat(callback.statusCode()).as(role).isEqualTo(302);
      assertThat(callback.headers().firstValue("Location")).hasValue("/");

      JsonNode me = Client.json(b.get(app("/api/me")));
      assertThat(me.path("user").asString()).isEqualTo(role);
      assertThat(me.path("databases").path("finance").path("current_user").asString())
          .as(role)
          .isEqualTo(role);
      JsonNode s = me.path("databases").path("staff");
      assertThat(
              s.has("error")
                  ? "error:" + s.path("error").asString()
                  : s.path("current_user").asString())
          .as(role)
          .isEqualTo(staff.get(role));

      HttpResponse<String> hours = b.get(app("/api/staff/hours"));
      if (role.equals("carol")) {
        // carol may not CONNECT to staff: refused there as with a password, and only there
        assertThat(hours.statusCode()).isEqualTo(403);
        continue;
      }
      assertThat(hours.statusCode()).as(role).isEqualTo(200);
      List<String> people = new ArrayList<>();
      for (JsonNode h : Client.json(hours)) {
        people.add(h.path("person").asString());
      }
      assertThat(people).as(role).isNotEmpty();
      if (role.equals("bob")) {
        // staff_writer: the policy shows everyone's hours
        assertThat(people).contains("alice", "bob", "dave");
      } else {
        // staff_reader: row-level security shows only their own
        assertThat(people).as(role).containsOnly(role);
      }
    }
  }

  @Test
  void logout_endsTheSsoLogin() {
    SsoBrowser b = new SsoBrowser();
    assertThat(b.signIn(port, "dave", "dave-pw").statusCode()).isEqualTo(302);
    assertThat(b.get(app("/api/me")).statusCode()).isEqualTo(200);
    HttpResponse<String> out = b.post(app("/api/logout"), Map.of(), "application/json", "");
    assertThat(out.statusCode()).isEqualTo(204);
    assertThat(b.get(app("/api/me")).statusCode()).isEqualTo(401);
  }

  @Test
  void signIn_ofAPersonPostgresqlDoesNotKnow_is401JsonAndLeavesNoSession() {
    String erin = DemoIdentityProvider.UNKNOWN_TO_POSTGRESQL;
    Footprint before = footprint(erin);
    SsoBrowser b = new SsoBrowser();
    HttpResponse<String> callback = b.signIn(port, erin, "erin-pw");
    assertThat(callback.statusCode()).isEqualTo(401);
    assertThat(callback.body()).isEqualTo("{\"error\":\"login_failed\"}");
    // The session the sign-in began (it held the authorization request) is gone.
    assertThat(liveSession(b.cookie("JSESSIONID"))).isNull();
    assertThat(b.get(app("/api/me")).statusCode()).isEqualTo(401);
    assertThat(footprint(erin)).isEqualTo(before);
  }

  @Test
  void signIn_ofARoleThatNoLongerLogsIn_is401_evenRightAfterItsLastSignIn() {
    // The provider still vouches for bob; PostgreSQL has just stopped letting him log in.
    assertThat(new SsoBrowser().signIn(port, "bob", "bob-pw").statusCode()).isEqualTo(302);
    servers.finance().execute("postgres", "ALTER ROLE bob NOLOGIN");
    try {
      Footprint before = footprint("bob");
      SsoBrowser b = new SsoBrowser();
      HttpResponse<String> callback = b.signIn(port, "bob", "bob-pw");
      assertThat(callback.statusCode()).isEqualTo(401);
      assertThat(callback.body()).isEqualTo("{\"error\":\"login_failed\"}");
      assertThat(liveSession(b.cookie("JSESSIONID"))).isNull();
      assertThat(footprint("bob")).isEqualTo(before);
    } finally {
      servers.finance().execute("postgres", "ALTER ROLE bob LOGIN");
    }
  }

  @Test
  void sessionEnd_endsTheSsoLogin() {
    SsoBrowser b = new SsoBrowser();
    assertThat(b.signIn(port, "alice", "alice-pw").statusCode()).isEqualTo(302);
    assertThat(b.get(app("/api/me")).statusCode()).isEqualTo(200);
    ManagedSession session = liveSession(b.cookie("JSESSIONID"));
    assertThat(session).isNotNull();
    // What the container does when the session expires.
    session.invalidate();
    assertThat(b.get(app("/api/me")).statusCode()).isEqualTo(401);
  }

  @Test
  void passwordLogin_staysBesideSso() {
    Client c = new Client(port);
    assertThat(c.login("alice", "alice-pw").statusCode()).isEqualTo(200);
    JsonNode me = Client.json(c.get("/api/me"));
    assertThat(me.path("databases").path("finance").path("current_user").asString())
        .isEqualTo("alice");
  }

  // ---- bearer tokens: the API ----

  @Test
  void bearer_providersAccessToken_isItsPersonOnBothDatabases_withoutASession()
      throws NoSuchAlgorithmException {
    Map<String, String> tokens = tokensFromTheProvider("alice", "alice-pw");
    for (String kind : List.of("access_token", "id_token")) {
      HttpResponse<String> r = bearer(tokens.get(kind), "/api/me");
      assertThat(r.statusCode()).as(kind + ": " + r.body()).isEqualTo(200);
      JsonNode me = Client.json(r);
      assertThat(me.path("user").asString()).isEqualTo("alice");
      for (String db : List.of("finance", "staff")) {
        assertThat(me.path("databases").path(db).path("current_user").asString())
            .as(kind + " on " + db)
            .isEqualTo("alice");
      }
      assertThat(r.headers().allValues("Set-Cookie")).as(kind).isEmpty();
    }
    // The same token again: the cached login, no second verification.
    long accepted = userbound.stats("finance").loginsAccepted();
    assertThat(bearer(tokens.get("access_token"), "/api/staff/hours").statusCode()).isEqualTo(200);
    assertThat(userbound.stats("finance").loginsAccepted()).isEqualTo(accepted);
  }

  @Test
  void bearer_wrongAudience_is401() throws Exception {
    refused("alice", signed(c -> c.audience("another-application")));
  }

  @Test
  void bearer_wrongIssuer_is401() throws Exception {
    refused("alice", signed(c -> c.issuer("http://127.0.0.1:1/evil")));
  }

  @Test
  void bearer_expired_is401() throws Exception {
    // expired five minutes ago: beyond the 60 s clock skew
    Instant past = Instant.now().minusSeconds(300);
    refused(
        "alice",
        signed(
            c -> c.issueTime(Date.from(past.minusSeconds(600))).expirationTime(Date.from(past))));
  }

  @Test
  void bearer_algNone_is401() {
    refused("alice", new PlainJWT(claims("alice").build()).serialize());
  }

  @Test
  void bearer_signedWithAnotherKey_is401() throws Exception {
    RSAKey other = new RSAKeyGenerator(2048).keyID(idp.signingKey().getKeyID()).generate();
    refused("alice", sign(other, claims("alice").build()));
    RSAKey unknownKid = new RSAKeyGenerator(2048).keyID("not-the-providers").generate();
    refused("alice", sign(unknownKid, claims("alice").build()));
  }

  @Test
  void bearer_hs256WithThePublicKeyAsSecret_is401() throws Exception {
    // alg confusion: HMAC "signed" with the provider's public key bytes, which anyone can fetch
    byte[] publicKey = idp.signingKey().toRSAPublicKey().getEncoded();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(idp.signingKey().getKeyID()).build(),
            claims("alice").build());
    jwt.sign(new MACSigner(publicKey));
    refused("alice", jwt.serialize());
  }

  @Test
  void bearer_claimNamingASuperuser_is401() throws Exception {
    String admin = servers.finance().adminUser();
    refused(admin, signed(c -> c.claim(DemoIdentityProvider.ROLE_CLAIM, admin)));
  }

  @Test
  void bearer_claimNamingABypassRlsRole_is401() throws Exception {
    refused("rls_bypasser", signed(c -> c.claim(DemoIdentityProvider.ROLE_CLAIM, "rls_bypasser")));
  }

  @Test
  void bearer_claimNamingTheGateway_is401() throws Exception {
    refused(
        "finance_gateway",
        signed(c -> c.claim(DemoIdentityProvider.ROLE_CLAIM, "finance_gateway")));
  }

  @Test
  void bearer_claimNamingAnUnknownRole_is401() throws Exception {
    refused("nobody_here", signed(c -> c.claim(DemoIdentityProvider.ROLE_CLAIM, "nobody_here")));
    // no case folding: Alice is not alice
    refused("Alice", signed(c -> c.claim(DemoIdentityProvider.ROLE_CLAIM, "Alice")));
  }

  @Test
  void bearer_withoutTheRoleClaim_is401() throws Exception {
    Instant now = Instant.now();
    JWTClaimsSet noRole =
        new JWTClaimsSet.Builder()
            .issuer(idp.issuer())
            .subject("alice")
            .audience(DemoIdentityProvider.CLIENT_ID)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plusSeconds(300)))
            .build();
    refused("alice", sign(idp.signingKey(), noRole));
  }

  @Test
  void bearer_malformed_is401() {
    refused("alice", "not-a-jwt");
    refused("alice", "a.b.c");
  }

  // ---- helpers ----

  /** The live session of a JSESSIONID cookie, or null. */
  private ManagedSession liveSession(String cookie) {
    if (cookie == null) {
      return null;
    }
    String id = cookie.contains(".") ? cookie.substring(0, cookie.lastIndexOf('.')) : cookie;
    Server jetty = ((JettyWebServer) web.getWebServer()).getServer();
    ManagedSession session = jetty.getDescendant(SessionHandler.class).getManagedSession(id);
    return session == null || !session.isValid() ? null : session;
  }

  /** What a refused login must not leave behind. */
  record Footprint(List<Integer> pools, long backends, long accepted) {}

  private Footprint footprint(String role) {
    List<DatabaseStats> stats = userbound.stats();
    return new Footprint(
        stats.stream().map(DatabaseStats::pools).toList(),
        servers.finance().backendCount(role) + servers.staff().backendCount(role),
        stats.stream().mapToLong(DatabaseStats::loginsAccepted).sum());
  }

  private void refused(String role, String token) {
    Footprint before = footprint(role);
    for (String path : List.of("/api/me", "/api/staff/hours")) {
      HttpResponse<String> r = bearer(token, path);
      assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(401);
      assertThat(r.body()).isEqualTo("{\"error\":\"login_failed\"}");
      assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
    }
    assertThat(footprint(role)).isEqualTo(before);
  }

  private HttpResponse<String> bearer(String token, String path) {
    return new SsoBrowser().get(app(path), Map.of("Authorization", "Bearer " + token));
  }

  private URI app(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** Valid claims, as the provider would issue them for its client. */
  private JWTClaimsSet.Builder claims(String role) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(idp.issuer())
        .subject(role)
        .audience(DemoIdentityProvider.CLIENT_ID)
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(300)))
        .claim(DemoIdentityProvider.ROLE_CLAIM, role);
  }

  /** A token signed with the provider's own key, its claims changed by {@code change}. */
  private String signed(UnaryOperator<JWTClaimsSet.Builder> change) throws JOSEException {
    return sign(idp.signingKey(), change.apply(claims("alice")).build());
  }

  private static String sign(RSAKey key, JWTClaimsSet claims) throws JOSEException {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  /** The provider's tokens for a person, by the authorization code grant. */
  private Map<String, String> tokensFromTheProvider(String user, String password)
      throws NoSuchAlgorithmException {
    SsoBrowser b = new SsoBrowser();
    String redirect = "http://127.0.0.1:" + port + "/login/oauth2/code/demo";
    // PKCE (RFC 7636), which the provider requires of every client
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    String challenge =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    String code = b.authorizationCode(idp.issuer(), redirect, challenge, user, password);
    String basic =
        Base64.getEncoder()
            .encodeToString(
                (DemoIdentityProvider.CLIENT_ID + ":" + DemoIdentityProvider.CLIENT_SECRET)
                    .getBytes(StandardCharsets.UTF_8));
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", code);
    form.put("redirect_uri", redirect);
    form.put("code_verifier", verifier);
    HttpResponse<String> r =
        b.post(
            URI.create(idp.issuer() + "/oauth2/token"),
            Map.of("Authorization", "Basic " + basic),
            "application/x-www-form-urlencoded",
            SsoBrowser.form(form));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode json = Client.json(r);
    return Map.of(
        "access_token", json.path("access_token").asString(),
        "id_token", json.path("id_token").asString());
  }
}
