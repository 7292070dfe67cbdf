package io.userbound.servlet;

import static io.userbound.servlet.Fixtures.person;
import static org.assertj.core.api.Assertions.assertThat;

import io.userbound.core.Userbound;
import io.userbound.servlet.Fixtures.Person;
import io.userbound.testkit.Await;
import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import io.userbound.testkit.TestPasswords;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class LoginFlowTest {

  private static final Duration DEADLINE = Duration.ofSeconds(20);

  @Test
  void login_servesCurrentUserFromEachDatabase_andLogoutClosesThePools(
      PostgresServer server, TestNames names) {
    Person alice = person(names);
    TestApp app = TestApp.plain(Fixtures.userbound(Fixtures.twoDatabases(server, names)));
    TestServer web = app.start("login");
    Browser browser = new Browser(web);

    HttpResponse<String> login = browser.login(alice.role(), alice.password());
    assertThat(login.statusCode()).isEqualTo(200);
    assertThat(login.body()).isEqualTo("{\"role\":\"" + alice.role() + "\"}");
    assertThat(browser.get("/whoami?db=finance").body()).isEqualTo(alice.role());
    assertThat(browser.get("/whoami?db=staff").body()).isEqualTo(alice.role());
    assertThat(server.backendCount(alice.role())).isPositive();
    assertThat(app.logins.liveSessions(alice.role())).isEqualTo(1);

    assertThat(browser.logout().statusCode()).isEqualTo(204);
    Await.until(
        "alice's backends closed after logout",
        DEADLINE,
        () -> server.backendCount(alice.role()) == 0);
    assertThat(app.logins.loggedInRoles()).isZero();
    HttpResponse<String> after = browser.get("/whoami?db=finance");
    assertThat(after.statusCode()).isEqualTo(401);
    assertThat(after.body()).isEqualTo("{\"error\":\"not_logged_in\"}");
  }

  @Test
  void login_rotatesTheSessionId_andACookieFromBeforeIsUselessAfterIt(
      PostgresServer server, TestNames names) {
    Person alice = person(names);
    TestApp app = TestApp.plain(Fixtures.userbound(Fixtures.twoDatabases(server, names)));
    TestServer web = app.start("rotate");
    Browser browser = new Browser(web);
    assertThat(browser.get("/touch").statusCode()).isEqualTo(204);
    String before = browser.sessionId().orElseThrow();

    assertThat(browser.login(alice.role(), alice.password()).statusCode()).isEqualTo(200);
    String after = browser.sessionId().orElseThrow();
    assertThat(after).isNotEqualTo(before);
    assertThat(browser.get("/whoami").body()).isEqualTo(alice.role());

    Browser attacker = new Browser(web);
    attacker.useSessionId(before);
    HttpResponse<String> stolen = attacker.get("/whoami");
    assertThat(stolen.statusCode()).isEqualTo(401);
    assertThat(stolen.body()).isEqualTo("{\"error\":\"not_logged_in\"}");
  }

  @Test
  void login_withAWrongPassword_is401AndKeepsNothing(PostgresServer server, TestNames names) {
    Person alice = person(names);
    TestApp app = TestApp.plain(Fixtures.userbound(Fixtures.twoDatabases(server, names)));
    Browser browser = new Browser(app.start("wrong"));

    HttpResponse<String> refused = browser.login(alice.role(), TestPasswords.fresh());
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.body()).isEqualTo("{\"error\":\"login_failed\"}");
    assertThat(browser.sessionId()).as("no session made for a failed login").isEmpty();
    assertThat(app.logins.loggedInRoles()).isZero();
    HttpResponse<String> unknown = browser.login(names.role("nobody"), TestPasswords.fresh());
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(unknown.body()).isEqualTo(refused.body());
  }

  @Test
  void loginServlet_takesTheFormFromTheBodyOnly(PostgresServer server, TestNames names) {
    Person alice = person(names);
    TestApp app = TestApp.plain(Fixtures.userbound(Fixtures.twoDatabases(server, names)));
    Browser browser = new Browser(app.start("form"));
    String form =
        "role="
            + Browser.encode(alice.role())
            + "&password="
            + Browser.encode(alice.passwordText());

    assertThat(
            browser
                .post("/login?password=" + Browser.encode(alice.passwordText()), form)
                .statusCode())
        .isEqualTo(400);
    assertThat(browser.get("/login?role=x&password=y").statusCode()).isEqualTo(405);
    assertThat(browser.post("/login", "role=" + Browser.encode(alice.role())).body())
        .isEqualTo("{\"error\":\"bad_request\"}");
    assertThat(browser.post("/login", form + "&password=again").statusCode()).isEqualTo(400);
    assertThat(app.logins.loggedInRoles()).isZero();
    assertThat(browser.post("/login", form).statusCode()).isEqualTo(200);
  }

  @Test
  void loginServlet_decodesUtf8Passwords(PostgresServer server, TestNames names) {
    char[] password = ("Zürich-東京-" + new String(TestPasswords.fresh())).toCharArray();
    String role = names.login(password);
    TestApp app = TestApp.plain(Fixtures.userbound(Fixtures.twoDatabases(server, names)));
    Browser browser = new Browser(app.start("utf8"));
    assertThat(browser.login(role, password).statusCode()).isEqualTo(200);
    assertThat(browser.get("/whoami").body()).isEqualTo(role);
  }

  @Test
  void requestWithoutLogin_getsNoBinding_andAnswers401(PostgresServer server, TestNames names) {
    TestApp app = TestApp.plain(Fixtures.userbound(Fixtures.twoDatabases(server, names)));
    Browser browser = new Browser(app.start("anon"));
    HttpResponse<String> r = browser.get("/whoami");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).isEqualTo("{\"error\":\"not_logged_in\"}");
    assertThat(browser.get("/binding").body()).endsWith(" false");
  }

  @Test
  void persistedSession_losesTheLogin_andThePersonMustLogInAgain(
      PostgresServer server, TestNames names) {
    Person alice = person(names);
    TestApp app = TestApp.plain(Fixtures.userbound(Fixtures.twoDatabases(server, names)));
    Browser browser = new Browser(app.start("persist"));
    assertThat(browser.login(alice.role(), alice.password()).statusCode()).isEqualTo(200);

    byte[] serialized = Base64.getDecoder().decode(browser.get("/passivate").body());
    String asText = new String(serialized, StandardCharsets.ISO_8859_1);
    assertThat(asText).doesNotContain(alice.role()).doesNotContain(alice.passwordText());
    assertThat(browser.get("/whoami").statusCode()).isEqualTo(401);
    Await.until("the replaced login ended", DEADLINE, () -> app.logins.loggedInRoles() == 0);
    Await.until("alice's backends closed", DEADLINE, () -> server.backendCount(alice.role()) == 0);

    assertThat(browser.login(alice.role(), alice.password()).statusCode()).isEqualTo(200);
    assertThat(browser.get("/whoami").body()).isEqualTo(alice.role());
  }

  @Test
  void evictedPool_isReopenedOnTheNextRequest_withoutLoggingInAgain(
      PostgresServer server, TestNames names) {
    Person alice = person(names);
    Userbound ub =
        Fixtures.userbound(
            Fixtures.twoDatabases(server, names, b -> b.idleTimeout(Duration.ofMillis(300))));
    TestApp app = TestApp.plain(ub);
    Browser browser = new Browser(app.start("evict"));
    assertThat(browser.login(alice.role(), alice.password()).statusCode()).isEqualTo(200);
    assertThat(browser.get("/whoami?db=finance").body()).isEqualTo(alice.role());
    String session = browser.sessionId().orElseThrow();

    Await.until(
        "alice's idle pools evicted",
        DEADLINE,
        () -> ub.stats("finance").pools() == 0 && server.backendCount(alice.role()) == 0);
    assertThat(ub.stats("finance").poolsEvicted()).isPositive();

    assertThat(browser.get("/whoami?db=finance").body()).isEqualTo(alice.role());
    assertThat(browser.get("/whoami?db=staff").body()).isEqualTo(alice.role());
    assertThat(browser.sessionId()).contains(session);
    assertThat(ub.stats("finance").pools()).isEqualTo(1);
  }

  @Test
  void asyncDispatch_isBoundLikeTheRequest_butThreadsTheAppStartsAreNot(
      PostgresServer server, TestNames names) {
    Person alice = person(names);
    TestApp app = TestApp.plain(Fixtures.userbound(Fixtures.twoDatabases(server, names)));
    Browser browser = new Browser(app.start("async"));
    assertThat(browser.login(alice.role(), alice.password()).statusCode()).isEqualTo(200);
    assertThat(browser.get("/async").body()).isEqualTo(alice.role());
    assertThat(browser.get("/async?mode=start").body()).isEqualTo("bound=false");
  }

  @Test
  void errorDispatch_isBoundToo(PostgresServer server, TestNames names) {
    Person alice = person(names);
    TestApp app = TestApp.plain(Fixtures.userbound(Fixtures.twoDatabases(server, names)));
    Browser browser = new Browser(app.start("error"));
    assertThat(browser.login(alice.role(), alice.password()).statusCode()).isEqualTo(200);
    HttpResponse<String> r = browser.get("/teapot");
    assertThat(r.statusCode()).isEqualTo(418);
    assertThat(r.body()).isEqualTo("error:" + alice.role());
  }
}
