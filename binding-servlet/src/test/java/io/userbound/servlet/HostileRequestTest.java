package io.userbound.servlet;

import static io.userbound.servlet.Fixtures.person;
import static org.assertj.core.api.Assertions.assertThat;

import io.userbound.core.LoginThrottling;
import io.userbound.core.Userbound;
import io.userbound.core.UserboundConfig;
import io.userbound.servlet.Fixtures.Person;
import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The login form under attack: credentials in URLs, cross-site posts, guessing, and the cookie. */
@ExtendWith(PostgresExtension.class)
class HostileRequestTest {

  private static String form(Person p) {
    return "role=" + Browser.encode(p.role()) + "&password=" + Browser.encode(p.passwordText());
  }

  @Test
  void credentialsInTheQueryString_areRefused_howeverTheyAreEncoded(
      PostgresServer server, TestNames names) {
    Person alice = person(names);
    Userbound ub = Fixtures.userbound(Fixtures.twoDatabases(server, names));
    TestServer web = TestApp.plain(ub).start("query");
    for (String query :
        List.of(
            "?password=x",
            "?role=x",
            "?%72ole=x&%70assword=y",
            "?PassWord=x",
            "?a=1&+password=x",
            "?user=x",
            "?pass%77ord=x")) {
      HttpResponse<String> r = new Browser(web).post("/login" + query, form(alice));
      assertThat(r.statusCode()).as(query).isEqualTo(400);
      assertThat(r.body()).isEqualTo("{\"error\":\"bad_request\"}");
    }
    assertThat(ub.stats("finance").loginsAccepted()).as("the database was never asked").isZero();
    assertThat(new Browser(web).post("/login?next=%2Fhome", form(alice)).statusCode())
        .isEqualTo(200);
  }

  @Test
  void queryStringParsing_refusesWhatItCannotRead() {
    assertThat(RequestChecks.carriesCredentials("%ZZ=1")).isTrue();
    assertThat(RequestChecks.carriesCredentials("a=1;password=2")).isTrue();
    assertThat(RequestChecks.carriesCredentials("%20Role%20=1")).isTrue();
    assertThat(RequestChecks.carriesCredentials("roles=1&passwords=2")).isFalse();
    assertThat(RequestChecks.carriesCredentials(null)).isFalse();
  }

  @Test
  void crossSiteLoginAndLogout_areRefused(PostgresServer server, TestNames names) {
    Person alice = person(names);
    Userbound ub = Fixtures.userbound(Fixtures.twoDatabases(server, names));
    TestServer web = TestApp.plain(ub).start("csrf");
    Browser browser = new Browser(web);
    HttpResponse<String> evil =
        browser.post("/login", form(alice), "Origin", "https://evil.example");
    assertThat(evil.statusCode()).isEqualTo(403);
    assertThat(evil.body()).isEqualTo("{\"error\":\"cross_site_request\"}");
    assertThat(browser.post("/login", form(alice), "Sec-Fetch-Site", "cross-site").statusCode())
        .isEqualTo(403);
    assertThat(browser.post("/login", form(alice), "Sec-Fetch-Site", "same-site").statusCode())
        .isEqualTo(403);
    assertThat(ub.stats("finance").loginsAccepted()).isZero();

    String own = web.uri("").toString().replaceAll("/$", "");
    assertThat(
            browser
                .post("/login", form(alice), "Origin", own, "Sec-Fetch-Site", "same-origin")
                .statusCode())
        .isEqualTo(200);
    assertThat(browser.post("/logout", "", "Origin", "https://evil.example").statusCode())
        .isEqualTo(403);
    assertThat(browser.get("/whoami").body()).as("still logged in").isEqualTo(alice.role());
    assertThat(browser.post("/logout", "", "Origin", own).statusCode()).isEqualTo(204);
  }

  @Test
  void allowedOrigins_mayLogIn(PostgresServer server, TestNames names) {
    Person alice = person(names);
    Userbound ub = Fixtures.userbound(Fixtures.twoDatabases(server, names));
    TestApp app =
        new TestApp(ub, LoginService.builder().allowOrigins("https://app.example.com").build(ub));
    Browser browser = new Browser(app.start("origins"));
    assertThat(
            browser.post("/login", form(alice), "Origin", "https://app.example.com").statusCode())
        .isEqualTo(200);
    assertThat(
            browser
                .post("/login", form(alice), "Origin", "https://app.example.com.evil.example")
                .statusCode())
        .isEqualTo(403);
  }

  @Test
  void sessionCookie_isHttpOnlyAndSameSiteLax(PostgresServer server, TestNames names) {
    Person alice = person(names);
    TestServer web =
        TestApp.plain(Fixtures.userbound(Fixtures.twoDatabases(server, names))).start("cookie");
    HttpResponse<String> login = new Browser(web).login(alice.role(), alice.password());
    assertThat(login.statusCode()).isEqualTo(200);
    List<String> cookies = login.headers().allValues("Set-Cookie");
    assertThat(cookies)
        .anySatisfy(
            c ->
                assertThat(c)
                    .startsWith("JSESSIONID=")
                    .containsIgnoringCase("HttpOnly")
                    .containsIgnoringCase("SameSite=Lax"));
  }

  @Test
  void guessing_isAnswered429WithRetryAfter(PostgresServer server, TestNames names) {
    Person alice = person(names);
    Userbound ub =
        Fixtures.userbound(
            UserboundConfig.builder()
                .database(Fixtures.twoDatabases(server, names).databases().get(0))
                .loginThrottling(LoginThrottling.builder().failuresPerRole(3).build())
                .build());
    Browser browser = new Browser(TestApp.plain(ub).start("guess"));
    for (int i = 0; i < 3; i++) {
      assertThat(browser.login(alice.role(), "wrong".toCharArray()).statusCode()).isEqualTo(401);
    }
    HttpResponse<String> throttled = browser.login(alice.role(), alice.password());
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.body()).isEqualTo("{\"error\":\"too_many_attempts\"}");
    assertThat(Integer.parseInt(throttled.headers().firstValue("Retry-After").orElseThrow()))
        .isPositive();
  }

  @Test
  void clientKey_comesFromXForwardedFor_onlyBehindATrustedProxy(
      PostgresServer server, TestNames names) {
    Userbound ub =
        Fixtures.userbound(
            UserboundConfig.builder()
                .database(Fixtures.twoDatabases(server, names).databases().get(0))
                .loginThrottling(LoginThrottling.builder().failuresPerClient(2).build())
                .build());
    Person alice = person(names);
    TestApp behindProxy =
        new TestApp(ub, LoginService.builder().trustProxies("127.0.0.0/8").build(ub));
    Browser browser = new Browser(behindProxy.start("proxy"));
    for (int i = 0; i < 2; i++) {
      browser.post(
          "/login",
          "role=" + names.role("nobody" + i) + "&password=x",
          "X-Forwarded-For",
          "203.0.113.5");
    }
    assertThat(browser.post("/login", form(alice), "X-Forwarded-For", "203.0.113.5").statusCode())
        .as("the guessing client")
        .isEqualTo(429);
    assertThat(browser.post("/login", form(alice), "X-Forwarded-For", "198.51.100.9").statusCode())
        .as("another client behind the same proxy")
        .isEqualTo(200);

    Userbound direct =
        Fixtures.userbound(
            UserboundConfig.builder()
                .database(Fixtures.twoDatabases(server, names).databases().get(0))
                .loginThrottling(LoginThrottling.builder().failuresPerClient(2).build())
                .build());
    Browser noProxy = new Browser(TestApp.plain(direct).start("direct"));
    for (int i = 0; i < 2; i++) {
      noProxy.post(
          "/login",
          "role=" + names.role("other" + i) + "&password=x",
          "X-Forwarded-For",
          "192.0.2." + i);
    }
    assertThat(noProxy.post("/login", form(alice), "X-Forwarded-For", "198.51.100.77").statusCode())
        .as("a forged X-Forwarded-For from an untrusted address changes nothing")
        .isEqualTo(429);
  }
}
