package io.userbound.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.userbound.sample.Person.Answer;
import io.userbound.testkit.Await;
import io.userbound.testkit.PostgresServer;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The HTTP interface end to end, against the embedded default: real PostgreSQL servers,
 * real grants, real row-level security.
 */
@ExtendWith(SampleAppExtension.class)
class SampleAppHttpTest {

  private static final List<String> FINANCE = List.of("employees", "customers", "invoices");
  private static final List<String> STAFF = List.of("projects", "hours");

  @Test
  void health_isUp_withEachDatabasesBudget(SampleApp app) {
    Answer a = new Person(app).get("/health");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body().get("status").asText()).isEqualTo("up");
    for (String db : List.of("finance", "staff")) {
      assertThat(a.body().get("databases").get(db).get("status").asText()).isEqualTo("up");
      assertThat(a.body().get("databases").get(db).get("budget").asInt()).isEqualTo(20);
      assertThat(a.body().get("databases").get(db).get("reachable").asBoolean()).isTrue();
    }
  }

  @Test
  void metrics_arePrometheusText_perDatabase_withoutRolesOrPasswords(SampleApp app) {
    try (Person alice = new Person(app)) {
      assertThat(alice.login("alice", "alice-pw").status()).isEqualTo(200);
      assertThat(alice.get("/api/finance/employees").status()).isEqualTo(200);
      var r = alice.getText("/metrics");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
      assertThat(r.body())
          .contains("userbound_connections_max{database=\"finance\"} 20.0")
          .contains("userbound_connections_max{database=\"staff\"} 20.0")
          .contains("userbound_logins_total{database=\"finance\",result=\"accepted\"}")
          .contains("userbound_connections_acquire_seconds_count{database=\"finance\"}")
          .doesNotContain("alice");
    }
  }

  @Test
  void login_answersTheRole_andASessionCookieForScriptsOutOfReach(SampleApp app) {
    Person alice = new Person(app);
    Answer a = alice.login("alice", "alice-pw");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body().toString()).isEqualTo("{\"user\":\"alice\"}");
    assertThat(a.raw().headers().allValues("Set-Cookie"))
        .anySatisfy(
            c ->
                assertThat(c)
                    .startsWith("USERBOUND_SAMPLE=")
                    .containsIgnoringCase("HttpOnly")
                    .containsIgnoringCase("SameSite=Strict"));
    alice.close();
  }

  @Test
  void login_wrongPasswordAndUnknownRole_lookTheSame(SampleApp app) {
    Answer wrongPassword = new Person(app).login("alice", "not-her-password");
    Answer unknownRole = new Person(app).login("mallory", "whatever");
    assertThat(wrongPassword.status()).isEqualTo(401);
    assertThat(wrongPassword.body().toString()).isEqualTo("{\"error\":\"login_failed\"}");
    assertThat(unknownRole.status()).isEqualTo(401);
    assertThat(unknownRole.body()).isEqualTo(wrongPassword.body());
  }

  @Test
  void login_malformedBodies_are400(SampleApp app) {
    Person p = new Person(app);
    for (String body :
        List.of(
            "{\"username\":\"alice\"",
            "[]",
            "{}",
            "{\"username\":\"alice\"}",
            "{\"password\":\"alice-pw\"}",
            "{\"username\":\"alice\",\"password\":7}",
            "{\"username\":\"\",\"password\":\"x\"}",
            "not json")) {
      Answer a = p.post("/api/login", body);
      assertThat(a.status()).as(body).isEqualTo(400);
      assertThat(a.error()).as(body).isEqualTo("bad_request");
    }
    Answer form =
        p.send(
            HttpRequest.newBuilder(app.uri().resolve("/api/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=alice&password=alice-pw")));
    assertThat(form.status()).isEqualTo(400);
  }

  @Test
  void withoutLogin_everyApiIs401(SampleApp app) {
    Person nobody = new Person(app);
    assertThat(nobody.get("/api/me").status()).isEqualTo(401);
    assertThat(nobody.get("/api/me").error()).isEqualTo("not_logged_in");
    for (String s : FINANCE) {
      assertThat(nobody.get("/api/finance/" + s).error()).isEqualTo("not_logged_in");
    }
    for (String s : STAFF) {
      assertThat(nobody.get("/api/staff/" + s).status()).isEqualTo(401);
    }
    assertThat(nobody.post("/api/staff/hours", "{\"projectId\":1,\"hours\":1}").status())
        .isEqualTo(401);
  }

  @Test
  void me_showsWhatEachDatabaseAnswered(SampleApp app) {
    try (Person alice = Person.loggedIn(app, "alice");
        Person carol = Person.loggedIn(app, "carol")) {
      assertThat(alice.get("/api/me").body().toString())
          .isEqualTo(
              "{\"user\":\"alice\",\"databases\":{\"finance\":{\"current_user\":\"alice\"},"
                  + "\"staff\":{\"current_user\":\"alice\"}}}");
      assertThat(carol.get("/api/me").body().toString())
          .isEqualTo(
              "{\"user\":\"carol\",\"databases\":{\"finance\":{\"current_user\":\"carol\"},"
                  + "\"staff\":{\"error\":\"access_denied\"}}}");
    }
  }

  @Test
  void alice_readsFinance_andOnlyHerOwnHours(SampleApp app) {
    try (Person alice = Person.loggedIn(app, "alice")) {
      Answer employees = alice.get("/api/finance/employees");
      assertThat(employees.status()).isEqualTo(200);
      assertThat(employees.values("email")).contains("alice@example.com", "dave@example.com");
      assertThat(employees.body().get(0).fieldNames())
          .toIterable()
          .containsExactly("id", "name", "email", "department");
      assertThat(alice.get("/api/finance/customers").values("name")).contains("Acme Corporation");
      Answer invoices = alice.get("/api/finance/invoices");
      assertThat(invoices.body().get(0).fieldNames())
          .toIterable()
          .containsExactly("id", "customerId", "amount", "issuedOn", "createdBy");
      assertThat(invoices.values("amount")).contains("12500.00", "3420.50");
      assertThat(alice.get("/api/staff/projects").values("code"))
          .contains("APOLLO", "HERMES", "ATLAS");
      Answer hours = alice.get("/api/staff/hours");
      assertThat(hours.status()).isEqualTo(200);
      assertThat(hours.values("person")).isNotEmpty().containsOnly("alice");
    }
  }

  @Test
  void bob_mayReadNoFinance_butSeesEveryonesHours(SampleApp app) {
    try (Person bob = Person.loggedIn(app, "bob")) {
      for (String s : FINANCE) {
        Answer a = bob.get("/api/finance/" + s);
        assertThat(a.status()).as(s).isEqualTo(403);
        assertThat(a.body().toString()).isEqualTo("{\"error\":\"permission_denied\"}");
      }
      assertThat(bob.get("/api/staff/hours").values("person")).contains("alice", "bob", "dave");
      assertThat(
              bob.post("/api/finance/invoices", "{\"customerId\":1,\"amount\":\"1.00\"}").status())
          .isEqualTo(403);
    }
  }

  @Test
  void carol_readsFinanceOnly_andMayAddNothing(SampleApp app) {
    try (Person carol = Person.loggedIn(app, "carol")) {
      for (String s : FINANCE) {
        assertThat(carol.get("/api/finance/" + s).status()).as(s).isEqualTo(200);
      }
      assertThat(
              carol.post("/api/finance/invoices", "{\"customerId\":1,\"amount\":\"1.00\"}").error())
          .isEqualTo("permission_denied");
      for (String s : STAFF) {
        assertThat(carol.get("/api/staff/" + s).error()).as(s).isEqualTo("permission_denied");
      }
      assertThat(carol.post("/api/staff/hours", "{\"projectId\":1,\"hours\":1}").status())
          .isEqualTo(403);
    }
  }

  @Test
  void aPersonWithNoAccountOnTheStaffServer_isDeniedThere_notLoggedOut(SampleApp app) {
    PostgresServer finance = app.demo().orElseThrow().finance();
    finance.createLogin("erin", "erin-pw".toCharArray());
    try (Person erin = new Person(app)) {
      assertThat(erin.login("erin", "erin-pw").status()).isEqualTo(200);
      assertThat(erin.get("/api/me").body().at("/databases/staff/error").asText())
          .isEqualTo("access_denied");
      assertThat(erin.get("/api/staff/projects").error()).isEqualTo("permission_denied");
      assertThat(erin.get("/api/finance/employees").status()).isEqualTo(403);
      assertThat(erin.get("/api/me").status()).isEqualTo(200);
    } finally {
      finance.dropRole("erin");
    }
  }

  @Test
  void dave_seesOnlyHisOwnHours_andNoFinance(SampleApp app) {
    try (Person dave = Person.loggedIn(app, "dave")) {
      assertThat(dave.get("/api/staff/hours").values("person")).isNotEmpty().containsOnly("dave");
      assertThat(dave.get("/api/finance/employees").status()).isEqualTo(403);
    }
  }

  @Test
  void addInvoice_isCreatedByTheWriter_asPostgreSqlSays(SampleApp app) {
    try (Person alice = Person.loggedIn(app, "alice")) {
      Answer a = alice.post("/api/finance/invoices", "{\"customerId\":2,\"amount\":\"12.50\"}");
      assertThat(a.status()).isEqualTo(201);
      assertThat(a.body().get("id").asLong()).isPositive();
      assertThat(a.body().get("customerId").asLong()).isEqualTo(2);
      assertThat(a.body().get("amount").asText()).isEqualTo("12.50");
      assertThat(a.body().get("createdBy").asText()).isEqualTo("alice");
      assertThat(a.body().get("issuedOn").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
      assertThat(alice.get("/api/finance/invoices").values("id"))
          .contains(a.body().get("id").asText());
    }
  }

  @Test
  void addInvoice_badBodies_are400(SampleApp app) {
    try (Person alice = Person.loggedIn(app, "alice")) {
      for (String body :
          List.of(
              "{\"customerId\":2}",
              "{\"amount\":\"1.00\"}",
              "{\"customerId\":2,\"amount\":\"-5\"}",
              "{\"customerId\":2,\"amount\":\"0\"}",
              "{\"customerId\":2,\"amount\":\"1.005\"}",
              "{\"customerId\":2,\"amount\":\"ten\"}",
              "{\"customerId\":\"2\",\"amount\":\"1.00\"}",
              "{\"customerId\":9999,\"amount\":\"1.00\"}",
              "{\"customerId\":2,\"amount\":\"99999999999.00\"}",
              "{",
              "42")) {
        Answer a = alice.post("/api/finance/invoices", body);
        assertThat(a.status()).as(body).isEqualTo(400);
        assertThat(a.error()).as(body).isEqualTo("bad_request");
      }
    }
  }

  @Test
  void addHour_isLoggedForTheCaller_andValidated(SampleApp app) {
    try (Person dave = Person.loggedIn(app, "dave")) {
      Answer a =
          dave.post("/api/staff/hours", "{\"projectId\":3,\"hours\":1.5,\"note\":\"racks\"}");
      assertThat(a.status()).isEqualTo(201);
      assertThat(a.body().get("person").asText()).isEqualTo("dave");
      assertThat(a.body().get("projectId").asLong()).isEqualTo(3);
      assertThat(a.body().get("hours").decimalValue()).isEqualByComparingTo("1.5");
      assertThat(a.body().get("note").asText()).isEqualTo("racks");
      assertThat(dave.get("/api/staff/hours").values("id")).contains(a.body().get("id").asText());
      for (String body :
          List.of(
              "{\"projectId\":3,\"hours\":25}",
              "{\"projectId\":3,\"hours\":0}",
              "{\"projectId\":3}",
              "{\"hours\":1}",
              "{\"projectId\":999,\"hours\":1}",
              "{\"projectId\":3,\"hours\":1,\"workDate\":\"yesterday\"}")) {
        assertThat(dave.post("/api/staff/hours", body).status()).as(body).isEqualTo(400);
      }
    }
  }

  @Test
  void unknownPathsAndMethods_answerJson(SampleApp app) {
    try (Person alice = Person.loggedIn(app, "alice")) {
      assertThat(alice.get("/api/nothing-here").body().toString())
          .isEqualTo("{\"error\":\"not_found\"}");
      assertThat(alice.get("/api/finance/salaries").status()).isEqualTo(404);
      assertThat(alice.get("/api/logout").body().toString())
          .isEqualTo("{\"error\":\"method_not_allowed\"}");
      assertThat(alice.post("/api/finance/employees", "{}").status()).isEqualTo(405);
      Answer delete = alice.send(HttpRequest.newBuilder(app.uri().resolve("/api/me")).DELETE());
      assertThat(delete.status()).isEqualTo(405);
      assertThat(delete.error()).isEqualTo("method_not_allowed");
    }
  }

  @Test
  void logout_closesThatPersonsBackends_onBothServers(SampleApp app) {
    PostgresServer finance = app.demo().orElseThrow().finance();
    PostgresServer staff = app.demo().orElseThrow().staff();
    Person alice = Person.loggedIn(app, "alice");
    assertThat(alice.get("/api/finance/employees").status()).isEqualTo(200);
    assertThat(alice.get("/api/staff/hours").status()).isEqualTo(200);
    assertThat(finance.backendCount("alice")).isPositive();
    assertThat(staff.backendCount("alice")).isPositive();

    Answer out = alice.logout();
    assertThat(out.status()).isEqualTo(204);
    assertThat(out.body()).isNull();
    awaitZero(() -> finance.backendCount("alice"));
    awaitZero(() -> staff.backendCount("alice"));
    assertThat(alice.get("/api/me").status()).isEqualTo(401);
  }

  @Test
  void logout_keepsThePoolsOfTheSamePersonsOtherSession(SampleApp app) {
    PostgresServer finance = app.demo().orElseThrow().finance();
    try (Person laptop = Person.loggedIn(app, "carol")) {
      Person phone = Person.loggedIn(app, "carol");
      assertThat(phone.get("/api/finance/invoices").status()).isEqualTo(200);
      phone.logout();
      assertThat(phone.get("/api/finance/invoices").status()).isEqualTo(401);
      assertThat(laptop.get("/api/finance/invoices").status()).isEqualTo(200);
      assertThat(finance.backendCount("carol")).isPositive();
    }
    awaitZero(() -> finance.backendCount("carol"));
  }

  @Test
  void databaseDown_is503Promptly_andTheAppRecoversByItself(SampleApp app)
      throws InterruptedException {
    PostgresServer staff = app.demo().orElseThrow().staff();
    try (Person bob = Person.loggedIn(app, "bob")) {
      assertThat(bob.get("/api/staff/projects").status()).isEqualTo(200);
      staff.stop();
      try {
        long start = System.nanoTime();
        Answer down = bob.get("/api/staff/projects");
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.body().toString()).isEqualTo("{\"error\":\"database_unavailable\"}");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(bob.post("/api/staff/hours", "{\"projectId\":1,\"hours\":1}").status())
            .isEqualTo(503);
        assertThat(bob.get("/api/me").body().at("/databases/staff/error").asText())
            .isEqualTo("database_unavailable");
        assertThat(bob.get("/api/me").body().at("/databases/finance/current_user").asText())
            .isEqualTo("bob");
      } finally {
        staff.start();
      }
      Await.until(
          "staff answers again after its restart",
          Duration.ofSeconds(15),
          () -> bob.get("/api/staff/projects").status() == 200);
    }
  }

  private static void awaitZero(LongSupplier count) {
    Await.until("count back to zero", Duration.ofSeconds(10), () -> count.getAsLong() == 0);
  }
}
