package io.userbound.sample.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.userbound.core.Userbound;
import io.userbound.sample.DemoServers;
import io.userbound.servlet.LoginService;
import io.userbound.testkit.TestPasswords;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The sample as an attacker sees it, over HTTP against its embedded default (two real
 * PostgreSQL servers), with the actuator on the class path as an application adds it: what
 * is reachable without a login, what error answers say, cross-site and CSRF-less logins, a
 * planted session id, a forged remember-me cookie, and a password changed on the server
 * while a request of the person holds a connection. Same context as {@link
 * SpringSampleHttpTest}.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      // Every test logs in from 127.0.0.1: keep the per-client limit out of their way.
      "userbound.login-throttling.failures-per-client=1000",
      "userbound.jmx=false"
    })
class SpringSampleAttackTest {

  private static final Map<String, String> NONE = Map.of();

  @Value("${local.server.port}")
  int port;

  @Autowired Userbound userbound;
  @Autowired DemoServers servers;
  @Autowired LoginService logins;

  @BeforeEach
  void checkForLeaks() {
    Leaks.checkAfterTheTest(userbound);
  }

  @Test
  void actuator_nothingWithoutALogin_andNoHeapdumpOrEnvWithOne() {
    Client anonymous = new Client(port);
    for (String path :
        List.of(
            "/actuator",
            "/actuator/health",
            "/actuator/env",
            "/actuator/heapdump",
            "/actuator/beans",
            "/actuator/configprops",
            "/actuator/threaddump",
            "/actuator/mappings")) {
      // The sample's chain: anything but the login, the API login and /health needs a login
      // (a browser is sent to the form, other clients get 401).
      HttpResponse<String> r = anonymous.get(path, Map.of("Accept", "text/html"));
      assertThat(r.statusCode()).as(path).isEqualTo(302);
      assertThat(r.headers().firstValue("Location").orElseThrow()).as(path).endsWith("/login");
      HttpResponse<String> script = anonymous.get(path);
      assertThat(script.statusCode()).as(path).isEqualTo(401);
      assertThat(script.body()).as(path).doesNotContain("userbound");
    }
    // Around the chain's matchers: Spring Security's firewall refuses these paths outright.
    for (String path :
        List.of(
            "/health/../actuator/env",
            "/api/login/%2e%2e/%2e%2e/actuator/env",
            "/actuator;x=/env")) {
      HttpResponse<String> r = anonymous.get(path);
      assertThat(r.statusCode()).as(path).isIn(302, 400, 404);
      assertThat(r.body()).as(path).doesNotContain("userbound.databases");
    }

    Client alice = new Client(port);
    assertThat(alice.login("alice", "alice-pw").statusCode()).isEqualTo(200);
    for (String path : List.of("/actuator/env", "/actuator/heapdump", "/actuator/beans")) {
      // Spring Boot exposes only health over HTTP by default; the starter turns heapdump off.
      assertThat(alice.get(path).statusCode()).as(path).isEqualTo(404);
    }
    HttpResponse<String> health = alice.get("/actuator/health");
    assertThat(health.statusCode()).isEqualTo(200);
    // Status only: no database names, budgets or connect errors.
    assertThat(Client.json(health).propertyNames()).doesNotContain("components", "details");
  }

  @Test
  void errorAnswers_carryNoStackTraceMessageOrRoleName() {
    Client dave = new Client(port);
    assertThat(dave.login("dave", "dave-pw").statusCode()).isEqualTo(200);
    List<HttpResponse<String>> answers =
        List.of(
            dave.get("/api/no-such-thing"),
            dave.get("/error"),
            dave.request("DELETE", "/api/finance/invoices", null, null, NONE),
            dave.postJson("/api/finance/invoices", "{\"customerId\":"),
            dave.request("POST", "/api/staff/hours", "application/xml", "<x/>", NONE),
            new Client(port).postForm("/login", Map.of("username", "dave", "password", "x")));
    for (HttpResponse<String> r : answers) {
      String what = r.request().method() + " " + r.uri() + " -> " + r.statusCode();
      assertThat(r.statusCode()).as(what).isGreaterThanOrEqualTo(400);
      assertThat(r.body())
          .as(what)
          .doesNotContain("\"trace\"", "\"exception\"", "\"message\"", "Exception", "at io.")
          .doesNotContain("at org.", "dave", "SQL", "select ", "PSQL");
    }

    // The login form's failure page: one message, not the role, not the reason.
    Client c = new Client(port);
    String token = c.loginFormToken();
    HttpResponse<String> bad =
        c.postForm("/login", Map.of("username", "dave", "password", "wrong", "_csrf", token));
    assertThat(bad.headers().firstValue("Location").orElseThrow()).endsWith("/login?error");
    String page = c.get("/login?error").body();
    assertThat(page).contains("alert-danger").doesNotContain("dave").doesNotContain("28P01");
  }

  @Test
  void jsonLogin_fromAnotherSite_orAsASimpleRequest_neverReachesPostgresql() {
    long accepted = userbound.stats("finance").loginsAccepted();
    long refused = userbound.stats("finance").loginsRefused();
    String body = "{\"username\":\"alice\",\"password\":\"alice-pw\"}";
    // What another site's page can make a browser send (the API has no CSRF token).
    List<HttpResponse<String>> attempts =
        List.of(
            new Client(port)
                .request(
                    "POST",
                    "/api/login",
                    "application/json",
                    body,
                    Map.of("Origin", "https://evil.example")),
            new Client(port)
                .request(
                    "POST",
                    "/api/login",
                    "application/json",
                    body,
                    Map.of("Sec-Fetch-Site", "cross-site")),
            new Client(port)
                .request(
                    "POST",
                    "/api/login",
                    "application/json",
                    body,
                    Map.of("Origin", "null", "Sec-Fetch-Site", "cross-site")),
            // A form or no-cors fetch needs no preflight, but cannot send application/json.
            new Client(port).request("POST", "/api/login", "text/plain", body, NONE),
            new Client(port)
                .postForm("/api/login", Map.of("username", "alice", "password", "alice-pw")));
    for (HttpResponse<String> r : attempts) {
      assertThat(r.statusCode()).as(r.body()).isIn(400, 403);
      assertThat(r.body())
          .isIn("{\"error\":\"cross_site_request\"}", "{\"error\":\"bad_request\"}");
      assertThat(r.headers().allValues("Set-Cookie")).noneMatch(v -> v.startsWith("JSESSIONID"));
    }
    assertThat(userbound.stats("finance").loginsAccepted()).isEqualTo(accepted);
    assertThat(userbound.stats("finance").loginsRefused()).isEqualTo(refused);

    // The form at /login keeps its CSRF token: without it, no login either.
    Client c = new Client(port);
    c.get("/login");
    HttpResponse<String> noToken =
        c.postForm("/login", Map.of("username", "alice", "password", "alice-pw"));
    assertThat(noToken.statusCode()).isEqualTo(403);
    assertThat(c.get("/api/me").statusCode()).isEqualTo(401);
    assertThat(userbound.stats("finance").loginsAccepted()).isEqualTo(accepted);
  }

  @Test
  void sessionFixation_aPlantedSessionIdIsNeverLoggedIn() {
    for (boolean form : new boolean[] {true, false}) {
      // The attacker gets a session id from the site and plants it in the victim's browser.
      Client attacker = new Client(port);
      String token = attacker.loginFormToken();
      String planted = attacker.cookie("JSESSIONID");
      assertThat(planted).isNotNull();
      Map<String, String> withPlanted = Map.of("Cookie", "JSESSIONID=" + planted);

      Client victim = new Client(port);
      HttpResponse<String> login =
          form
              ? victim.request(
                  "POST",
                  "/login",
                  "application/x-www-form-urlencoded",
                  "username=bob&password=bob-pw&_csrf=" + token,
                  withPlanted)
              : victim.request(
                  "POST",
                  "/api/login",
                  "application/json",
                  "{\"username\":\"bob\",\"password\":\"bob-pw\"}",
                  withPlanted);
      assertThat(login.statusCode()).as("form " + form).isIn(200, 302);
      String issued = victim.cookie("JSESSIONID");
      assertThat(issued).as("form " + form).isNotNull().isNotEqualTo(planted);
      assertThat(Client.json(victim.get("/api/me")).path("user").asString()).isEqualTo("bob");
      // The planted id names no session now, let alone bob's.
      HttpResponse<String> replay = new Client(port).get("/api/me", withPlanted);
      assertThat(replay.statusCode()).as("form " + form).isEqualTo(401);
      assertThat(replay.body()).isEqualTo("{\"error\":\"not_logged_in\"}");
    }
  }

  @Test
  void rememberMe_aForgedCookieLogsNobodyIn() {
    // The sample has no remember-me; a cookie in the shape Spring Security's would have is
    // ignored, as is a session id that was never issued.
    String forged =
        Base64.getEncoder()
            .encodeToString("alice:9999999999999:SHA256:00".getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> r =
        new Client(port)
            .get("/api/me", Map.of("Cookie", "remember-me=" + forged + "; JSESSIONID=node0abc"));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).isEqualTo("{\"error\":\"not_logged_in\"}");
  }

  /*
   * The password changes on the server (ALTER ROLE ... PASSWORD) while a request of the
   * person holds a connection, blocked on a lock. The request finishes normally; the old
   * password is refused at once for any new login; the old session keeps only the
   * connections it has open (at most max-lifetime, and until its pool closes); a login with
   * the new password retires the old pool at once, its connections close, and the old
   * session is refused by PostgreSQL at its next request.
   */
  @Test
  void passwordChange_racingABorrow_oldPasswordEndsWhereTheReadmeSays() throws Exception {
    String role = "spring_pwchange";
    char[] oldPw = TestPasswords.remember((role + "-pw").toCharArray());
    servers.finance().createLogin(role, oldPw);
    servers.staff().createLogin(role, oldPw);
    servers.staff().execute(DemoServers.STAFF, "GRANT staff_reader TO " + role);
    Client old = new Client(port);
    assertThat(old.login(role, role + "-pw").statusCode()).isEqualTo(200);
    assertThat(old.get("/api/staff/hours").statusCode()).isEqualTo(200);

    char[] newPw = TestPasswords.remember((role + "-new-pw").toCharArray());
    CompletableFuture<HttpResponse<String>> inFlight;
    try (Connection locker = servers.staff().adminConnection(DemoServers.STAFF);
        Connection watcher = servers.staff().adminConnection(DemoServers.STAFF)) {
      locker.setAutoCommit(false);
      try (Statement s = locker.createStatement()) {
        s.execute("LOCK TABLE hour IN ACCESS EXCLUSIVE MODE");
      }
      inFlight = CompletableFuture.supplyAsync(() -> old.get("/api/staff/hours"));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (waitingOnALock(watcher, role) == 0 && System.nanoTime() < deadline) {
        assertThat(inFlight).isNotDone();
        Thread.onSpinWait();
      }
      assertThat(waitingOnALock(watcher, role)).as("the request holds a connection").isOne();
      try (Connection admin = servers.finance().adminConnection("postgres")) {
        admin.unwrap(PGConnection.class).alterUserPassword(role, newPw.clone(), "scram-sha-256");
      }
      try (Connection admin = servers.staff().adminConnection("postgres")) {
        admin.unwrap(PGConnection.class).alterUserPassword(role, newPw.clone(), "scram-sha-256");
      }
      locker.commit();
    }
    HttpResponse<String> finished = inFlight.get(30, TimeUnit.SECONDS);
    assertThat(finished.statusCode()).isEqualTo(200);
    assertThat(Client.json(finished).isArray()).isTrue();

    // The old password is refused for every new login at once.
    HttpResponse<String> stale = new Client(port).login(role, role + "-pw");
    assertThat(stale.statusCode()).isEqualTo(401);
    assertThat(stale.body()).isEqualTo("{\"error\":\"login_failed\"}");
    // pgjdbc wiped the copies it was given; the old session still has its open connection:
    // the stated bound (max-lifetime, or until its pool closes).
    assertThat(old.get("/api/staff/hours").statusCode()).isEqualTo(200);

    // The person logs in with the new password: each database's old pool is retired when
    // the new login first uses that database, and its connections close.
    Client renewed = new Client(port);
    assertThat(renewed.login(role, new String(newPw)).statusCode()).isEqualTo(200);
    assertThat(renewed.get("/api/staff/hours").statusCode()).isEqualTo(200);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (servers.staff().backendCount(role) > 1 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(servers.staff().backendCount(role)).as("only the new pool's connection").isOne();
    // The old session is refused by PostgreSQL now, and does not disturb the new pool.
    HttpResponse<String> after = old.get("/api/staff/hours");
    assertThat(after.statusCode()).isEqualTo(401);
    assertThat(after.body()).isEqualTo("{\"error\":\"login_failed\"}");
    assertThat(Client.json(renewed.get("/api/me")).path("user").asString()).isEqualTo(role);
    assertThat(renewed.get("/api/staff/hours").statusCode()).isEqualTo(200);
    assertThat(logins.liveSessions(role)).isPositive();
  }

  private static int waitingOnALock(Connection admin, String role) throws SQLException {
    try (PreparedStatement s =
        admin.prepareStatement(
            "SELECT count(*) FROM pg_stat_activity WHERE usename = ? AND wait_event_type ="
                + " 'Lock'")) {
      s.setString(1, role);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getInt(1);
      }
    }
  }
}
