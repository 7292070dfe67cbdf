package io.userbound.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.userbound.core.DatabaseConfig;
import io.userbound.core.Userbound;
import io.userbound.core.UserboundConfig;
import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import io.userbound.testkit.TestPasswords;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sign-on tokens end to end over HTTP, on a plain servlet application: bearer tokens on each
 * request, and a browser session started from a token. Each person runs as their own role on
 * both databases through the ROLE_SWITCHING gateway; every bad token is a 401 that leaves no
 * session and nothing in use.
 */
@ExtendWith(PostgresExtension.class)
class TokenLoginFlowTest {

  private record Setup(
      Userbound ub, TestApp app, TestServer server, String gateway, String alice, String bob) {}

  private static Setup start(PostgresServer server, TestNames names, Tokens issuer) {
    char[] gwPassword = TestPasswords.fresh();
    String gateway = names.login(gwPassword);
    server.execute("postgres", "ALTER ROLE " + gateway + " NOINHERIT");
    String alice = names.login(TestPasswords.fresh());
    String bob = names.login(TestPasswords.fresh());
    server.grantToGateway(gateway, alice);
    server.grantToGateway(gateway, bob);
    JwtIdentityVerifier verifier =
        JwtIdentityVerifier.builder(Tokens.ISSUER)
            .keys(issuer.publicKeys())
            .audiences(Tokens.AUDIENCE)
            .roleClaim(Tokens.CLAIM)
            .build();
    UserboundConfig.Builder config = UserboundConfig.builder().identityVerifier(verifier);
    for (String db : new String[] {"finance", "staff"}) {
      config.database(
          DatabaseConfig.builder(db, server.jdbcUrl(names.createDatabase()))
              .roleSwitching(gateway, gwPassword)
              .budget(4)
              .maxConnectionsPerPerson(4)
              .connectionTimeout(Duration.ofSeconds(5))
              .build());
    }
    Userbound ub = Fixtures.userbound(config.build());
    LoginService logins = LoginService.builder().bearerTokens(true).build(ub);
    TestApp app = new TestApp(ub, logins);
    TestServer http =
        TestServer.start(
            "tokens",
            context -> {
              app.wire(context, List.of());
              TestApp.add(
                  context,
                  "/sso",
                  (req, resp) -> {
                    logins.loginWithToken(req, req.getParameter("id_token"));
                    resp.setStatus(204);
                  });
            });
    return new Setup(ub, app, http, gateway, alice, bob);
  }

  private static HttpResponse<String> get(TestServer server, String path, String token)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void bearerTokens_runAsTheirPerson_onBothDatabases_andBadOnesGet401(
      PostgresServer server, TestNames names) throws Exception {
    Tokens issuer = new Tokens("k1");
    Setup s = start(server, names, issuer);
    String aliceToken = issuer.token(s.alice());
    String bobToken = issuer.token(s.bob());
    for (String db : new String[] {"finance", "staff"}) {
      assertThat(get(s.server(), "/whoami?db=" + db, aliceToken).body()).isEqualTo(s.alice());
      assertThat(get(s.server(), "/whoami?db=" + db, bobToken).body()).isEqualTo(s.bob());
    }
    assertThat(get(s.server(), "/whoami", null).statusCode()).isEqualTo(401);

    Instant now = Instant.now();
    List<String> bad =
        List.of(
            issuer.token(s.alice(), c -> c.audience("another-app")),
            issuer.token(s.alice(), c -> c.issuer("https://evil.example.test")),
            issuer.token(s.alice(), c -> c.expirationTime(Date.from(now.minusSeconds(600)))),
            Tokens.unsigned(s.alice()),
            issuer.hmacWithPublicKey(s.alice()),
            new Tokens("k1").token(s.alice()),
            issuer.token(s.gateway()), // the gateway itself
            issuer.token("postgres"), // a superuser
            issuer.token("pg_read_all_data"), // a predefined role
            issuer.token(names.role("nobody"))); // no such role
    for (String token : bad) {
      HttpResponse<String> r = get(s.server(), "/whoami?db=finance", token);
      assertThat(r.statusCode()).as(token).isEqualTo(401);
      assertThat(r.body()).contains("login_failed").doesNotContain(token);
      assertThat(r.headers().firstValue("Set-Cookie")).as("no session").isEmpty();
    }
    for (String db : new String[] {"finance", "staff"}) {
      assertThat(s.ub().stats(db).activeConnections()).isZero();
      assertThat(s.ub().stats(db).budgetUsed()).isLessThanOrEqualTo(4);
    }
    // The good tokens still work after all that.
    assertThat(get(s.server(), "/whoami?db=staff", aliceToken).body()).isEqualTo(s.alice());
  }

  @Test
  void aSessionStartedFromAToken_endsAtLogout(PostgresServer server, TestNames names)
      throws Exception {
    Tokens issuer = new Tokens("k1");
    Setup s = start(server, names, issuer);
    Browser browser = new Browser(s.server());
    HttpResponse<String> r =
        browser.post("/sso", "id_token=" + Browser.encode(issuer.token(s.alice())));
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(browser.sessionId()).isPresent();
    assertThat(browser.get("/whoami?db=finance").body()).isEqualTo(s.alice());
    assertThat(browser.get("/whoami?db=staff").body()).isEqualTo(s.alice());
    assertThat(s.app().logins.liveSessions(s.alice())).isEqualTo(1);
    browser.logout();
    assertThat(browser.get("/whoami?db=finance").statusCode()).isEqualTo(401);
    assertThat(s.app().logins.liveSessions(s.alice())).isZero();

    Browser attacker = new Browser(s.server());
    r = attacker.post("/sso", "id_token=" + Browser.encode(Tokens.unsigned(s.bob())));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(attacker.get("/whoami?db=finance").statusCode()).isEqualTo(401);
  }
}
