package io.userbound.sample.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.userbound.core.Userbound;
import io.userbound.sample.DemoServers;
import io.userbound.testkit.TestPasswords;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import tools.jackson.databind.JsonNode;

/**
 * The sample over HTTP, against its embedded default (two real PostgreSQL servers): the JSON
 * contract of sample-app, the Spring Security form, refusals, isolation of many people at
 * once, logout closing pools.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      // Every test logs in from 127.0.0.1: keep the per-client limit out of their way.
      "userbound.login-throttling.failures-per-client=1000",
      "userbound.jmx=false"
    })
class SpringSampleHttpTest {

  @Value("${local.server.port}")
  int port;

  @Autowired Userbound userbound;
  @Autowired DemoServers servers;
  @Autowired ServletWebServerApplicationContext web;

  @BeforeEach
  void checkForLeaks() {
    Leaks.checkAfterTheTest(userbound);
  }

  @Test
  void login_eachDemoPerson_isWhoPostgresqlSays() {
    Map<String, String> staff =
        Map.of("alice", "alice", "bob", "bob", "carol", "error:access_denied", "dave", "dave");
    for (String role : List.of("alice", "bob", "carol", "dave")) {
      Client c = new Client(port);
      HttpResponse<String> login = c.login(role, role + "-pw");
      assertThat(login.statusCode()).as(role).isEqualTo(200);
      assertThat(Client.json(login).path("user").asString()).isEqualTo(role);
      JsonNode me = Client.json(c.get("/api/me"));
      assertThat(me.path("user").asString()).isEqualTo(role);
      assertThat(me.path("databases").path("finance").path("current_user").asString())
          .isEqualTo(role);
      JsonNode s = me.path("databases").path("staff");
      assertThat(
              s.has("error")
                  ? "error:" + s.path("error").asString()
                  : s.path("current_user").asString())
          .as(role)
          .isEqualTo(staff.get(role));
    }
  }

  @Test
  void grantsDecide_permissionDeniedIs403() {
    Client bob = new Client(port);
    bob.login("bob", "bob-pw");
    HttpResponse<String> invoices = bob.get("/api/finance/invoices");
    assertThat(invoices.statusCode()).isEqualTo(403);
    assertThat(invoices.body()).isEqualTo("{\"error\":\"permission_denied\"}");
    Client carol = new Client(port);
    carol.login("carol", "carol-pw");
    assertThat(carol.get("/api/finance/invoices").statusCode()).isEqualTo(200);
    HttpResponse<String> add =
        carol.postJson("/api/finance/invoices", "{\"customerId\":1,\"amount\":\"1.00\"}");
    assertThat(add.statusCode()).isEqualTo(403);
    assertThat(carol.get("/api/staff/hours").statusCode()).isEqualTo(403);
  }

  @Test
  void refusal_isOneAnswerForWrongPasswordAndUnknownRole_andLeavesNoPool() {
    int poolsBefore = userbound.stats("finance").pools();
    long refusedBefore = userbound.stats("finance").loginsRefused();
    for (String[] attempt :
        new String[][] {{"alice", "wrong"}, {"nobody-here", "x"}, {"alice", "alice-pw'--"}}) {
      Client c = new Client(port);
      HttpResponse<String> r = c.login(attempt[0], attempt[1]);
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.body()).isEqualTo("{\"error\":\"login_failed\"}");
      assertThat(c.get("/api/me").statusCode()).isEqualTo(401);
    }
    assertThat(userbound.stats("finance").pools()).isLessThanOrEqualTo(poolsBefore);
    assertThat(userbound.stats("finance").loginsRefused())
        .isGreaterThanOrEqualTo(refusedBefore + 3);
    Client c = new Client(port);
    assertThat(c.postJson("/api/login", "{\"username\":\"alice\"}").statusCode()).isEqualTo(400);
    assertThat(c.postJson("/api/login", "not json").statusCode()).isEqualTo(400);
    assertThat(c.get("/api/finance/invoices").body()).isEqualTo("{\"error\":\"not_logged_in\"}");
  }

  @Test
  void hostileLogins_getATypedAnswer_andLeaveNothingBehind() {
    String longName = "a".repeat(2000);
    List<String> bodies =
        List.of(
            "{\"username\":\"alice\\u0000\",\"password\":\"alice-pw\"}",
            "{\"username\":\"alice\",\"password\":\"alice-pw\\u0000x\"}",
            "{\"username\":\"" + longName + "\",\"password\":\"x\"}",
            "{\"username\":\"\\\"; DROP ROLE alice; --\",\"password\":\"x\"}",
            "{\"username\":\"postgres\",\"password\":\"postgres\"}",
            "{\"username\":\"\u00e4lice\u200b\",\"password\":\"alice-pw\"}",
            "{\"username\":[\"alice\"],\"password\":\"alice-pw\"}",
            "{\"username\":\"alice\",\"password\":{\"$ne\":1}}",
            "[]",
            "");
    for (String body : bodies) {
      Client c = new Client(port);
      HttpResponse<String> r = c.postJson("/api/login", body);
      assertThat(r.statusCode()).as(body).isIn(400, 401);
      assertThat(r.body())
          .as(body)
          .isIn("{\"error\":\"bad_request\"}", "{\"error\":\"login_failed\"}");
      assertThat(c.get("/api/me").statusCode()).as(body).isEqualTo(401);
    }
    Client c = new Client(port);
    assertThat(c.login("alice", "alice-pw").statusCode()).isEqualTo(200);
  }

  @Test
  void tooManyFailures_isLocked_429() {
    String role = "someone_throttled";
    Client c = new Client(port);
    int last = 0;
    for (int i = 0; i < 8 && last != 429; i++) {
      last = c.login(role, "wrong-" + i).statusCode();
    }
    assertThat(last).isEqualTo(429);
    assertThat(c.login(role, "wrong").body()).contains("too_many_attempts");
  }

  @Test
  void springSecurityForm_logsInWithCsrf_andRefusesABadPassword() {
    Client c = new Client(port);
    HttpResponse<String> page = c.get("/login");
    assertThat(page.statusCode()).isEqualTo(200);
    Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(page.body());
    assertThat(csrf.find()).as("CSRF token in the form").isTrue();
    HttpResponse<String> bad =
        c.postForm(
            "/login", Map.of("username", "dave", "password", "nope", "_csrf", csrf.group(1)));
    assertThat(bad.statusCode()).isEqualTo(302);
    assertThat(bad.headers().firstValue("Location").orElseThrow()).contains("/login?error");
    assertThat(c.get("/api/me").statusCode()).isEqualTo(401);

    page = c.get("/login");
    csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(page.body());
    assertThat(csrf.find()).isTrue();
    HttpResponse<String> good =
        c.postForm(
            "/login", Map.of("username", "dave", "password", "dave-pw", "_csrf", csrf.group(1)));
    assertThat(good.statusCode()).isEqualTo(302);
    assertThat(good.headers().firstValue("Location").orElseThrow()).doesNotContain("error");
    assertThat(Client.json(c.get("/api/me")).path("user").asString()).isEqualTo("dave");
  }

  @Test
  void manyPeopleAtOnce_eachRequestRunsAsItsOwnPerson() throws Exception {
    int people = 12;
    List<String> roles = new ArrayList<>();
    for (int i = 0; i < people; i++) {
      String role = "spring_p" + i;
      roles.add(role);
      char[] pw = TestPasswords.remember((role + "-pw").toCharArray());
      servers.finance().createLogin(role, pw);
      servers.finance().execute(DemoServers.FINANCE, "GRANT finance_reader TO " + role);
      servers.staff().createLogin(role, pw);
      servers.staff().execute(DemoServers.STAFF, "GRANT staff_reader TO " + role);
    }
    List<Client> clients = new ArrayList<>();
    for (String role : roles) {
      Client c = new Client(port);
      assertThat(c.login(role, role + "-pw").statusCode()).isEqualTo(200);
      clients.add(c);
    }
    ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int n = 0; n < 30; n++) {
                    int i = (thread * 7 + n) % people;
                    String role = roles.get(i);
                    Client c = clients.get(i);
                    check(role, c, n, wrong);
                    if (n % 5 == 0) {
                      // A Callable on Spring MVC's executor threads, shared by everyone.
                      JsonNode later = Client.json(c.get("/api/me/later"));
                      String who =
                          later.path("databases").path("staff").path("current_user").asString();
                      if (!role.equals(who)) {
                        wrong.add(role + " saw, later, " + later);
                      }
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(wrong).isEmpty();
    // Row-level security kept each person's hours their own.
    for (int i = 0; i < people; i++) {
      JsonNode hours = Client.json(clients.get(i).get("/api/staff/hours"));
      assertThat(hours.size()).isPositive();
      for (JsonNode h : hours) {
        assertThat(h.path("person").asString()).isEqualTo(roles.get(i));
      }
    }
  }

  private static void check(String role, Client c, int n, ConcurrentLinkedQueue<String> wrong) {
    switch (n % 3) {
      case 0 -> {
        JsonNode me = Client.json(c.get("/api/me"));
        for (String db : List.of("finance", "staff")) {
          String who = me.path("databases").path(db).path("current_user").asString();
          if (!role.equals(who) || !role.equals(me.path("user").asString())) {
            wrong.add(role + " saw " + me);
          }
        }
      }
      case 1 -> {
        HttpResponse<String> r =
            c.postJson(
                "/api/staff/hours", "{\"projectId\":1,\"hours\":0.25,\"note\":\"" + role + "\"}");
        String person = r.statusCode() == 201 ? Client.json(r).path("person").asString() : "";
        if (!role.equals(person)) {
          wrong.add(role + " logged hours as " + r.statusCode() + " " + r.body());
        }
      }
      default -> {
        HttpResponse<String> r = c.get("/api/finance/invoices");
        if (r.statusCode() != 200 || !Client.json(r).isArray()) {
          wrong.add(role + " could not read invoices: " + r.statusCode() + " " + r.body());
        }
      }
    }
  }

  @Test
  void logout_closesThePersonsPools_andTheSessionIsLoggedOut() throws Exception {
    String role = "spring_leaver";
    Client c = loggedInWithAStaffPool(role);

    // Another site's page cannot log the person out.
    HttpResponse<String> crossSite =
        c.send(
            "/api/logout",
            Map.of("Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"));
    assertThat(crossSite.statusCode()).isNotEqualTo(204);
    assertThat(c.get("/api/me").statusCode()).isEqualTo(200);
    assertThat(c.postJson("/api/logout", "").statusCode()).isEqualTo(204);
    assertThat(c.get("/api/me").statusCode()).isEqualTo(401);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while ((servers.staff().backendCount(role) > 0 || servers.finance().backendCount(role) > 0)
        && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(servers.staff().backendCount(role)).isZero();
    assertThat(servers.finance().backendCount(role)).isZero();
  }

  @Test
  void sessionExpiry_closesThePersonsPools() throws Exception {
    String role = "spring_expires";
    Client c = loggedInWithAStaffPool(role);

    // The container's own expiry: the session's timeout shrinks to one second.
    String cookie = c.cookie("JSESSIONID");
    String id = cookie.contains(".") ? cookie.substring(0, cookie.lastIndexOf('.')) : cookie;
    Server jetty = ((JettyWebServer) web.getWebServer()).getServer();
    ManagedSession session = jetty.getDescendant(SessionHandler.class).getManagedSession(id);
    assertThat(session).as("session " + id).isNotNull();
    session.setMaxInactiveInterval(1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    int status = 200;
    while (status != 401 && System.nanoTime() < deadline) {
      // Time must pass untouched for the session to expire (each request renews it).
      TimeUnit.MILLISECONDS.sleep(1500);
      status = c.get("/api/me").statusCode();
    }
    assertThat(status).isEqualTo(401);
    while (servers.staff().backendCount(role) > 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(servers.staff().backendCount(role)).isZero();
  }

  @Test
  void aLoginEndedElsewhere_leavesTheSessionAnonymous() {
    Client c = new Client(port);
    assertThat(c.login("alice", "alice-pw").statusCode()).isEqualTo(200);
    assertThat(c.get("/api/me").statusCode()).isEqualTo(200);
    // An operator logs alice out (JMX, or Userbound.logoutRole): her session still holds a
    // security context, which must not keep her in.
    assertThat(userbound.logoutRole("alice")).isPositive();
    HttpResponse<String> after = c.get("/api/me");
    assertThat(after.statusCode()).isEqualTo(401);
    assertThat(after.body()).isEqualTo("{\"error\":\"not_logged_in\"}");
    assertThat(c.get("/api/me").statusCode()).isEqualTo(401);
    assertThat(c.login("alice", "alice-pw").statusCode()).isEqualTo(200);
    assertThat(c.get("/api/me").statusCode()).isEqualTo(200);
  }

  /** A new person, logged in, with a connection open in their staff pool. */
  private Client loggedInWithAStaffPool(String role) {
    char[] pw = TestPasswords.remember((role + "-pw").toCharArray());
    servers.finance().createLogin(role, pw);
    servers.staff().createLogin(role, pw);
    servers.staff().execute(DemoServers.STAFF, "GRANT staff_reader TO " + role);
    Client c = new Client(port);
    assertThat(c.login(role, role + "-pw").statusCode()).isEqualTo(200);
    assertThat(c.get("/api/staff/projects").statusCode()).isEqualTo(200);
    assertThat(servers.staff().backendCount(role)).isPositive();
    return c;
  }

  @Test
  void health_isOpen() {
    HttpResponse<String> r = new Client(port).get("/health");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Client.json(r).path("status").asString()).isEqualTo("up");
  }
}
