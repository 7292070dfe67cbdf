package io.userbound.core;

import static io.userbound.core.Fixtures.currentUser;
import static io.userbound.core.Fixtures.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.userbound.core.Fixtures.Person;
import io.userbound.testkit.Await;
import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DEDICATED_POOLS' bound on password expiry: PostgreSQL checks VALID UNTIL and LOGIN only
 * when a connection opens, so the login recheck finds people it would now refuse and closes
 * their pools within the interval; the request in flight finishes, the next one is refused by
 * PostgreSQL, and nobody else's pool is touched.
 */
@ExtendWith(PostgresExtension.class)
class LoginRecheckTest {

  private static final Duration BOUND = Duration.ofSeconds(1);

  private static Userbound start(PostgresServer server, OperationsTest.Recorder events) {
    return Fixtures.userbound(
        UserboundConfig.builder()
            .listener(events)
            .database(
                Fixtures.database("main", server, "postgres")
                    .maxConnectionsPerPerson(1)
                    .loginRecheck(BOUND)
                    .build())
            .build());
  }

  private static int pid(Connection c) throws Exception {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"VALID UNTIL '2000-01-01'", "NOLOGIN"})
  void aRevokedLogin_losesItsOpenPool_withinTheBound(
      String change, PostgresServer server, TestNames names) throws Exception {
    Person alice = person(names);
    Person bob = person(names);
    OperationsTest.Recorder events = new OperationsTest.Recorder();
    Userbound ub = start(server, events);
    Login a = ub.login(alice.role(), alice.password());
    Login b = ub.login(bob.role(), bob.password());
    int bobsPid;
    try (Connection c = ub.connection(b, "main")) {
      bobsPid = pid(c);
    }
    try (Connection inFlight = ub.connection(a, "main")) {
      server.execute("postgres", "ALTER ROLE " + alice.role() + " " + change);
      Await.until(
          "the recheck finds alice",
          Duration.ofSeconds(15),
          () -> !events.of(UserboundEvent.Type.LOGIN_REVOKED).isEmpty());
      // The request in flight finishes on its connection.
      assertThat(currentUser(inFlight)).isEqualTo(alice.role());
    }
    Await.until(
        "alice's backend closed",
        Duration.ofSeconds(10),
        () -> server.backendCount(alice.role()) == 0);
    assertThatThrownBy(() -> ub.connection(a, "main").close())
        .isInstanceOf(UserboundException.class)
        .hasMessageNotContaining(new String(alice.password()));
    assertThat(events.of(UserboundEvent.Type.LOGIN_REVOKED))
        .extracting(UserboundEvent::role)
        .containsOnly(alice.role());
    // Bob's pool is untouched: the same backend serves him.
    try (Connection c = ub.connection(b, "main")) {
      assertThat(pid(c)).isEqualTo(bobsPid);
    }
  }

  /*
   * The recheck runs in some person's session, which that person may have shaped: a
   * search_path with their own schema before pg_catalog, holding a now() that says the
   * password never expires and an unnest() that records the names asked about. Neither is
   * called.
   */
  @Test
  void theRecheck_callsNothingOfThePersonWhoseSessionItRunsIn(
      PostgresServer server, TestNames names) throws Exception {
    Person alice = person(names);
    Person mallory = person(names);
    String schema = names.role("evil");
    String heard = schema + ".heard";
    server.execute("postgres", "CREATE SCHEMA " + schema + " AUTHORIZATION " + mallory.role());
    server.execute("postgres", "CREATE TABLE " + heard + " (x text)");
    server.execute("postgres", "GRANT INSERT ON " + heard + " TO PUBLIC");
    server.execute(
        "postgres",
        "CREATE FUNCTION "
            + schema
            + ".now() RETURNS timestamptz LANGUAGE sql AS $$ select '-infinity'::timestamptz $$");
    server.execute(
        "postgres",
        "CREATE FUNCTION "
            + schema
            + ".unnest(text[]) RETURNS SETOF text LANGUAGE plpgsql AS $$ begin insert into "
            + heard
            + " select array_to_string($1, ','); return query select pg_catalog.unnest($1);"
            + " end $$");
    server.execute(
        "postgres",
        "ALTER ROLE " + mallory.role() + " SET search_path = " + schema + ", pg_catalog");
    OperationsTest.Recorder events = new OperationsTest.Recorder();
    Userbound ub = start(server, events);
    Login a = ub.login(alice.role(), alice.password());
    Login m = ub.login(mallory.role(), mallory.password());
    try (Connection c = ub.connection(m, "main");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select now() < '1000-01-01'")) {
      rs.next();
      assertThat(rs.getBoolean(1)).as("mallory's now() shadows pg_catalog's").isTrue();
    }
    // Alice's one connection is in use, so mallory's idle one is the only one to ask on.
    try (Connection inFlight = ub.connection(a, "main")) {
      server.execute("postgres", "ALTER ROLE " + alice.role() + " VALID UNTIL '2000-01-01'");
      Await.until(
          "the recheck finds alice",
          Duration.ofSeconds(15),
          () -> !events.of(UserboundEvent.Type.LOGIN_REVOKED).isEmpty());
      assertThat(currentUser(inFlight)).isEqualTo(alice.role());
    }
    try (Connection admin = server.adminConnection("postgres");
        Statement st = admin.createStatement();
        ResultSet rs = st.executeQuery("select count(*) from " + heard)) {
      rs.next();
      assertThat(rs.getLong(1)).as("names heard by mallory's unnest()").isZero();
    }
  }

  @Test
  void offMeansOff_andTheBoundIsInToString() {
    DatabaseConfig off =
        DatabaseConfig.builder("main", "jdbc:postgresql://localhost/x")
            .loginRecheck(Duration.ZERO)
            .build();
    assertThat(off.loginRecheck()).isZero();
    assertThat(off.toString()).contains("loginRecheck=PT0S");
    assertThatThrownBy(
            () ->
                DatabaseConfig.builder("main", "jdbc:postgresql://localhost/x")
                    .loginRecheck(Duration.ofMillis(500)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("loginRecheck = PT0.5S");
  }
}
