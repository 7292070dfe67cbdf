package io.userbound.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.userbound.testkit.Await;
import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import io.userbound.testkit.TestPasswords;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.PGConnection;
import org.postgresql.PGStatement;

/** ROLE_SWITCHING: requests on gateway connections under SET ROLE, and its threat model. */
@ExtendWith(PostgresExtension.class)
class RoleSwitchingTest {

  /** A gateway as the README says to make one: LOGIN, NOINHERIT, nothing else. */
  @SuppressWarnings("ArrayRecordComponent") // the password is wiped, never compared
  record Gateway(String role, char[] password) {}

  static Gateway gateway(PostgresServer server, TestNames names) {
    char[] pw = TestPasswords.fresh();
    String role = names.login(pw);
    server.execute("postgres", "ALTER ROLE " + role + " NOINHERIT");
    return new Gateway(role, pw);
  }

  /** A person the gateway may become: on PostgreSQL 16+ WITH INHERIT FALSE, SET TRUE. */
  static Fixtures.Person person(PostgresServer server, TestNames names, Gateway gw) {
    Fixtures.Person p = Fixtures.person(names);
    server.grantToGateway(gw.role(), p.role());
    return p;
  }

  static DatabaseConfig.Builder switching(PostgresServer server, Gateway gw) {
    return Fixtures.database("main", server, "postgres").roleSwitching(gw.role(), gw.password());
  }

  static String[] who(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "select current_user, session_user, current_setting('app.marker', true)")) {
      rs.next();
      return new String[] {rs.getString(1), rs.getString(2), rs.getString(3)};
    }
  }

  @Tag("pg-smoke")
  @Test
  void requests_runAsThePerson_onGatewayConnections(PostgresServer server, TestNames names)
      throws Exception {
    Gateway gw = gateway(server, names);
    Fixtures.Person alice = person(server, names, gw);
    Fixtures.Person bob = person(server, names, gw);
    Userbound ub = Fixtures.userbound(switching(server, gw).budget(4).build());
    assertThat(ub.config().database("main").strategy()).isEqualTo(IsolationStrategy.ROLE_SWITCHING);
    Login a = ub.login(alice.role(), alice.password());
    Login b = ub.login(bob.role(), bob.password());
    try (Connection c = ub.connection(a, "main")) {
      assertThat(who(c)).containsExactly(alice.role(), gw.role(), null);
    }
    try (Connection c = ub.connection(b, "main")) {
      assertThat(who(c)).containsExactly(bob.role(), gw.role(), null);
    }
    DatabaseStats s = ub.stats("main");
    assertThat(s.pools()).isEqualTo(1);
    assertThat(s.budgetUsed()).isBetween(1, 4);
    assertThat(s.activeConnections()).isZero();
    // Nobody but the gateway holds a backend: the logins' own connections were closed.
    Await.until(
        "the logins' connections closed",
        Duration.ofSeconds(10),
        () -> server.backendCount(alice.role()) == 0 && server.backendCount(bob.role()) == 0);
  }

  @Test
  void stateLeftByARequest_isResetInBand_forThePersonAndForTheNext(
      PostgresServer server, TestNames names) throws Exception {
    Gateway gw = gateway(server, names);
    Fixtures.Person alice = person(server, names, gw);
    Fixtures.Person bob = person(server, names, gw);
    Userbound ub =
        Fixtures.userbound(switching(server, gw).budget(1).maxConnectionsPerPerson(1).build());
    Login a = ub.login(alice.role(), alice.password());
    Login b = ub.login(bob.role(), bob.password());
    try (Connection c = ub.connection(a, "main")) {
      who(c);
    }
    long moves = ub.stats("main").roleSwitches();
    try (Connection c = ub.connection(a, "main")) {
      who(c);
    }
    assertThat(ub.stats("main").roleSwitches()).as("a clean request: no reset").isEqualTo(moves);
    long resets = ub.stats("main").resetsPerformed();
    // Session state of every kind a request may leave.
    try (Connection c = ub.connection(a, "main");
        Statement st = c.createStatement()) {
      st.execute("select set_config('app.marker', 'alice-was-here', false)");
      st.execute("create temp table scratch(x int)");
      st.execute("set search_path = pg_catalog");
      st.execute("select pg_advisory_lock(42)");
      st.execute("listen alice_channel");
      st.execute("declare alice_cursor cursor with hold for select 1");
      assertThat(who(c)[2]).isEqualTo("alice-was-here");
    }
    assertThat(ub.stats("main").resetsPerformed())
        .as("no round trip at hand-back")
        .isEqualTo(resets);
    try (Connection c = ub.connection(a, "main")) {
      assertThat(who(c)).containsExactly(alice.role(), gw.role(), "");
      assertNoSessionState(c);
    }
    // One connection for two people: bob's first statement resets it, and he sees nothing.
    try (Connection c = ub.connection(a, "main");
        Statement st = c.createStatement()) {
      st.execute("create temp table scratch(x int)");
      st.execute("select set_config('app.marker', 'alice-was-here', false)");
    }
    try (Connection c = ub.connection(b, "main")) {
      assertThat(who(c)).containsExactly(bob.role(), gw.role(), "");
      assertNoSessionState(c);
    }
    try (Connection c = ub.connection(a, "main")) {
      assertThat(who(c)[0]).isEqualTo(alice.role());
    }
  }

  private static void assertNoSessionState(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "select (select count(*) from pg_listening_channels()), (select count(*) from"
                    + " pg_locks where locktype = 'advisory' and pid = pg_backend_pid()), (select"
                    + " count(*) from pg_cursors where is_holdable), (select count(*) from"
                    + " pg_class where relname = 'scratch'), current_setting('search_path')")) {
      rs.next();
      assertThat(rs.getInt(1)).as("LISTEN").isZero();
      assertThat(rs.getInt(2)).as("advisory locks").isZero();
      assertThat(rs.getInt(3)).as("cursors WITH HOLD").isZero();
      assertThat(rs.getInt(4)).as("temporary tables").isZero();
      assertThat(rs.getString(5)).as("search_path").contains("public");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SET ROLE NONE",
        "set role %s",
        "RESET ROLE",
        "reset  role",
        "SET SESSION ROLE NONE",
        "SET LOCAL ROLE NONE",
        "SET SESSION AUTHORIZATION DEFAULT",
        "set local session authorization default",
        "RESET SESSION AUTHORIZATION",
        "RESET ALL",
        "DISCARD ALL",
        "SET \"role\" TO none",
        "/* why */ SET /* not */ ROLE -- now\n NONE",
        "select 1; reset role",
        "select set_config('role', 'none', false)",
        "SELECT pg_catalog.set_config('ROLE', 'none', false)",
        "select \"set_config\"('role', 'none', false)",
        "select set_config('session_authorization', 'x', false)",
        "select set_config($$role$$, 'none', false)",
        "select set_config(E'\\x72ole', 'none', false)",
        "select set_config('ro' || 'le', 'none', false)",
        "select set_config(('role'), 'none', false)",
        "select set_config(current_setting('app.name'), 'none', false)",
        "do $$ begin perform set_config('role', 'none', false); end $$",
        "SELECT 1 --\r; SET ROLE %s",
        "select set_config(E'r\\157le', 'none', false)",
        "begin",
        "prepare alice_plan as select 1",
        "select query_to_xml('reset role', true, true, '')",
        "select 'unterminated"
      })
  void roleChangingSql_isRefused_andNeverSent(
      String template, PostgresServer server, TestNames names) throws Exception {
    Gateway gw = gateway(server, names);
    Fixtures.Person alice = person(server, names, gw);
    Fixtures.Person bob = person(server, names, gw);
    String sql = template.replace("%s", bob.role());
    Userbound ub = Fixtures.userbound(switching(server, gw).budget(2).build());
    Login a = ub.login(alice.role(), alice.password());
    try (Connection c = ub.connection(a, "main")) {
      try (Statement st = c.createStatement()) {
        assertThatThrownBy(() -> st.execute(sql))
            .isInstanceOf(SQLException.class)
            .hasMessageContaining("ROLE_SWITCHING")
            .extracting(e -> ((SQLException) e).getSQLState())
            .isEqualTo("42501");
        assertThatThrownBy(() -> st.addBatch(sql)).isInstanceOf(SQLException.class);
      }
      assertThatThrownBy(() -> c.prepareStatement(sql)).isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> c.prepareCall(sql)).isInstanceOf(SQLException.class);
      assertThat(who(c)).containsExactly(alice.role(), gw.role(), null);
    }
    try (Connection c = ub.connection(a, "main")) {
      assertThat(who(c)[0]).isEqualTo(alice.role());
    }
  }

  @Test
  void harmlessSessionSql_isNotRefused(PostgresServer server, TestNames names) throws Exception {
    Gateway gw = gateway(server, names);
    Fixtures.Person alice = person(server, names, gw);
    Userbound ub = Fixtures.userbound(switching(server, gw).budget(2).build());
    Login a = ub.login(alice.role(), alice.password());
    try (Connection c = ub.connection(a, "main");
        Statement st = c.createStatement()) {
      st.execute("select set_config('app.marker', 'role', false)");
      st.execute("SET search_path = public");
      st.execute("SET application_name = 'role'");
      st.execute("select 'set role none', \"role\" from (select 1 as role) x");
      try (PreparedStatement ps = c.prepareStatement("select set_config('app.marker', ?, false)")) {
        ps.setString(1, "x");
        ps.execute();
      }
      assertThat(who(c)).containsExactly(alice.role(), gw.role(), "x");
    }
  }

  @Test
  void driverInterfaces_areNotHandedOut(PostgresServer server, TestNames names) throws Exception {
    Gateway gw = gateway(server, names);
    Fixtures.Person alice = person(server, names, gw);
    Userbound ub = Fixtures.userbound(switching(server, gw).budget(2).build());
    Login a = ub.login(alice.role(), alice.password());
    try (Connection c = ub.connection(a, "main");
        Statement st = c.createStatement()) {
      assertThatThrownBy(() -> c.unwrap(PGConnection.class))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("ROLE_SWITCHING");
      assertThatThrownBy(() -> st.unwrap(PGStatement.class))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("ROLE_SWITCHING");
      assertThat(who(c)[0]).isEqualTo(alice.role());
    }
  }

  @Test
  void oddRoleNames_areQuoted(PostgresServer server, TestNames names) throws Exception {
    Gateway gw = gateway(server, names);
    Userbound ub = Fixtures.userbound(switching(server, gw).budget(2).build());
    List<String> odd =
        List.of(
            names.role() + " Upper Case",
            names.role() + "q\"uo'te",
            names.role() + "x; reset role; --",
            names.role() + "тест");
    for (String role : odd) {
      char[] pw = TestPasswords.fresh();
      server.createLogin(role, pw);
      try {
        server.grantToGateway(gw.role(), role);
        Login l = ub.login(role, pw);
        try (Connection c = ub.connection(l, "main")) {
          assertThat(who(c)).containsExactly(role, gw.role(), null);
        }
      } finally {
        server.dropRole(role);
      }
    }
  }

  @Tag("pg-smoke")
  @Test
  void aPersonTheGatewayMayNotBecome_isDenied_withTheFix(PostgresServer server, TestNames names)
      throws Exception {
    Gateway gw = gateway(server, names);
    Fixtures.Person carol = Fixtures.person(names); // no GRANT carol TO gateway
    Userbound ub = Fixtures.userbound(switching(server, gw).budget(2).build());
    Login c = ub.login(carol.role(), carol.password());
    try (Connection conn = ub.connection(c, "main")) {
      assertThatThrownBy(() -> who(conn))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("GRANT")
          .extracting(e -> ((SQLException) e).getSQLState())
          .isEqualTo("42501");
    }
  }

  @Test
  void theGatewayItself_cannotLogInAsAPerson(PostgresServer server, TestNames names) {
    Gateway gw = gateway(server, names);
    Userbound ub = Fixtures.userbound(switching(server, gw).budget(2).build());
    assertThatThrownBy(() -> ub.login(gw.role(), gw.password()))
        .isInstanceOf(LoginFailedException.class);
  }

  @Test
  void revokedLogin_isRefusedAtTheNextSwitchAfterTheRecheckPeriod(
      PostgresServer server, TestNames names) throws Exception {
    Gateway gw = gateway(server, names);
    Fixtures.Person alice = person(server, names, gw);
    AtomicLong now = new AtomicLong(1_000_000_000L);
    OperationsTest.Recorder events = new OperationsTest.Recorder();
    Userbound ub =
        Fixtures.userbound(
            UserboundConfig.builder()
                .database(
                    switching(server, gw)
                        .budget(1)
                        .maxConnectionsPerPerson(1)
                        .loginRecheck(Duration.ofSeconds(5))
                        .build())
                .listener(events)
                .ticker(now::get)
                .build());
    Fixtures.Person bob = person(server, names, gw);
    Login a = ub.login(alice.role(), alice.password());
    Login b = ub.login(bob.role(), bob.password());
    try (Connection c = ub.connection(a, "main")) {
      who(c);
    }
    server.execute("postgres", "ALTER ROLE " + alice.role() + " NOLOGIN");
    try (Connection c = ub.connection(b, "main")) {
      who(c); // the one connection is bob's now: alice's next request must switch
    }
    now.addAndGet(Duration.ofSeconds(4).toNanos()); // within the bound: the check holds
    try (Connection c = ub.connection(a, "main")) {
      assertThat(who(c)[0]).isEqualTo(alice.role());
    }
    now.addAndGet(Duration.ofSeconds(2).toNanos()); // the last check of alice is 6 s old
    try (Connection c = ub.connection(a, "main")) {
      assertThatThrownBy(() -> who(c))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("no longer")
          .extracting(e -> ((SQLException) e).getSQLState())
          .isEqualTo("28000");
    }
    assertThat(events.of(UserboundEvent.Type.LOGIN_REVOKED))
        .extracting(UserboundEvent::role)
        .containsOnly(alice.role());
  }

  @Test
  void theLoginRecheck_cannotBeTurnedOff(PostgresServer server, TestNames names) {
    Gateway gw = gateway(server, names);
    assertThatThrownBy(() -> switching(server, gw).loginRecheck(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("loginRecheck cannot be off under ROLE_SWITCHING");
  }

  @Tag("pg-smoke")
  @Test
  void theReadmesGrants_passTheGatewayCheck_andAreWhatTheServerHolds(
      PostgresServer server, TestNames names) throws Exception {
    Gateway gw = gateway(server, names);
    Fixtures.Person alice = person(server, names, gw);
    try (Connection admin = server.adminConnection("postgres");
        Statement st = admin.createStatement();
        ResultSet rs =
            st.executeQuery(
                server.majorVersion() >= 16
                    ? "select a.inherit_option, a.set_option, a.admin_option, r.rolinherit"
                        + " from pg_auth_members a join pg_roles r on r.oid = a.member"
                        + " where r.rolname = '"
                        + gw.role()
                        + "'"
                    : "select r.rolinherit, true, a.admin_option, r.rolinherit"
                        + " from pg_auth_members a join pg_roles r on r.oid = a.member"
                        + " where r.rolname = '"
                        + gw.role()
                        + "'")) {
      assertThat(rs.next()).isTrue();
      // 16+: the grant itself says no inheritance and SET; 15: the role's NOINHERIT does.
      assertThat(new boolean[] {rs.getBoolean(1), rs.getBoolean(2), rs.getBoolean(3)})
          .containsExactly(false, true, false);
      assertThat(rs.getBoolean(4)).isFalse();
      assertThat(rs.next()).isFalse();
    }
    Userbound ub = Fixtures.userbound(switching(server, gw).budget(2).build());
    Login a = ub.login(alice.role(), alice.password());
    try (Connection c = ub.connection(a, "main")) {
      assertThat(who(c)).containsExactly(alice.role(), gw.role(), null);
    }
  }

  /**
   * A membership that inherits the person's privileges is refused, with the fix for this
   * server: on PostgreSQL 16+ a grant WITH INHERIT TRUE, whatever the gateway's own NOINHERIT
   * says (the fix: grant again WITH INHERIT FALSE, SET TRUE); on 15, where inheritance is the
   * role's, an INHERIT gateway (the fix: NOINHERIT).
   */
  @Tag("pg-smoke")
  @Test
  void aMembershipThatInherits_isRefused_withTheFixForThisServer(
      PostgresServer server, TestNames names) throws Exception {
    Gateway gw = gateway(server, names);
    Fixtures.Person alice = person(server, names, gw);
    Fixtures.Person bob = Fixtures.person(names);
    boolean grantOptions = server.majorVersion() >= 16;
    if (grantOptions) {
      server.execute(
          "postgres", "GRANT " + bob.role() + " TO " + gw.role() + " WITH INHERIT TRUE, SET TRUE");
    } else {
      server.grantToGateway(gw.role(), bob.role());
      server.execute("postgres", "ALTER ROLE " + gw.role() + " INHERIT");
    }
    UserboundConfig config =
        UserboundConfig.builder().database(switching(server, gw).build()).build();
    if (grantOptions) {
      assertThatThrownBy(() -> Userbound.create(config))
          .isInstanceOf(UnsafeGatewayException.class)
          .hasMessageContaining("'" + bob.role() + "'")
          .hasMessageNotContaining("'" + alice.role() + "'")
          .hasMessageContaining(
              "GRANT " + bob.role() + " TO \"" + gw.role() + "\" WITH INHERIT FALSE, SET TRUE")
          .hasMessageNotContaining("NOINHERIT") // the role itself is NOINHERIT: not the problem
          .hasMessageNotContaining(new String(gw.password()));
      // The fix the message names, run as written, makes the gateway pass.
      server.execute(
          "postgres", "GRANT " + bob.role() + " TO " + gw.role() + " WITH INHERIT FALSE, SET TRUE");
    } else {
      assertThatThrownBy(() -> Userbound.create(config))
          .isInstanceOf(UnsafeGatewayException.class)
          .hasMessageContaining("ALTER ROLE \"" + gw.role() + "\" NOINHERIT");
      server.execute("postgres", "ALTER ROLE " + gw.role() + " NOINHERIT");
    }
    Userbound ub = Fixtures.userbound(config);
    Login b = ub.login(bob.role(), bob.password());
    try (Connection c = ub.connection(b, "main")) {
      assertThat(who(c)).containsExactly(bob.role(), gw.role(), null);
    }
  }

  /**
   * The gateway check's texts are schema-qualified: an '=' for oids found before pg_catalog's
   * in the gateway's search_path, answering false, would otherwise count nothing the gateway
   * owns, and pass a gateway that owns a table.
   */
  @Test
  void theGatewayCheck_usesPgCatalogsOperators_whateverTheSearchPath(
      PostgresServer server, TestNames names) {
    Gateway gw = gateway(server, names);
    String schema = names.role("ops");
    String table = names.role("t");
    server.execute(
        "postgres",
        "CREATE SCHEMA "
            + schema
            + "; CREATE FUNCTION "
            + schema
            + ".never(oid, oid) RETURNS boolean LANGUAGE sql AS 'select false';"
            + " CREATE OPERATOR "
            + schema
            + ".= (leftarg = oid, rightarg = oid, function = "
            + schema
            + ".never); GRANT USAGE ON SCHEMA "
            + schema
            + " TO PUBLIC; ALTER ROLE "
            + gw.role()
            + " SET search_path = "
            + schema
            + ", pg_catalog; CREATE TABLE "
            + table
            + " (x int); ALTER TABLE "
            + table
            + " OWNER TO "
            + gw.role());
    try {
      assertThatThrownBy(
              () ->
                  Userbound.create(
                      UserboundConfig.builder()
                          .database(switching(server, gw).budget(2).build())
                          .build()))
          .isInstanceOf(UnsafeGatewayException.class)
          .hasMessageContaining("REASSIGN OWNED");
    } finally {
      server.execute(
          "postgres",
          "DROP TABLE IF EXISTS "
              + table
              + "; ALTER ROLE "
              + gw.role()
              + " RESET search_path; DROP SCHEMA "
              + schema
              + " CASCADE");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"inherit", "superuser", "owner", "grant", "member", "createrole"})
  void anUnsafeGateway_isRefusedAtStartUp_sayingWhatToFix(
      String problem, PostgresServer server, TestNames names) {
    Gateway gw = gateway(server, names);
    String table = names.role("t");
    String fix;
    switch (problem) {
      case "inherit" -> {
        server.execute("postgres", "ALTER ROLE " + gw.role() + " INHERIT");
        fix = "NOINHERIT";
      }
      case "superuser" -> {
        server.execute("postgres", "ALTER ROLE " + gw.role() + " SUPERUSER");
        fix = "NOSUPERUSER";
      }
      case "createrole" -> {
        server.execute("postgres", "ALTER ROLE " + gw.role() + " CREATEROLE");
        fix = "NOCREATEROLE";
      }
      case "owner" -> {
        server.execute("postgres", "CREATE TABLE " + table + " (x int)");
        server.execute("postgres", "ALTER TABLE " + table + " OWNER TO " + gw.role());
        fix = "REASSIGN OWNED";
      }
      case "grant" -> {
        server.execute("postgres", "CREATE TABLE " + table + " (x int)");
        server.execute("postgres", "GRANT SELECT ON " + table + " TO " + gw.role());
        fix = "REVOKE ALL";
      }
      default -> {
        server.execute("postgres", "GRANT pg_read_all_data TO " + gw.role());
        fix = "pg_read_all_data";
      }
    }
    try {
      assertThatThrownBy(
              () ->
                  Userbound.create(
                      UserboundConfig.builder()
                          .database(switching(server, gw).budget(2).build())
                          .build()))
          .isInstanceOf(UnsafeGatewayException.class)
          .hasMessageContaining(fix)
          .hasMessageNotContaining(new String(gw.password()));
      Await.until(
          "no gateway backend left behind",
          Duration.ofSeconds(20),
          () -> server.backendCount(gw.role()) == 0);
    } finally {
      server.execute("postgres", "DROP TABLE IF EXISTS " + table);
      server.execute("postgres", "ALTER ROLE " + gw.role() + " NOSUPERUSER NOCREATEROLE");
    }
  }

  @Test
  void terminatedGatewayBackends_neverFailARequest(PostgresServer server, TestNames names)
      throws Exception {
    Gateway gw = gateway(server, names);
    List<Fixtures.Person> persons = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      persons.add(person(server, names, gw));
    }
    Userbound ub = Fixtures.userbound(switching(server, gw).budget(4).build());
    List<Login> logins = new ArrayList<>();
    for (Fixtures.Person p : persons) {
      logins.add(ub.login(p.role(), p.password()));
    }
    // Every person's connection open at once, so each one is left set to its person.
    List<Connection> open = new ArrayList<>();
    for (Login l : logins) {
      Connection c = ub.connection(l, "main");
      who(c);
      open.add(c);
    }
    for (Connection c : open) {
      c.close();
    }
    server.execute(
        "postgres",
        "select pg_terminate_backend(pid) from pg_stat_activity where usename = '"
            + gw.role()
            + "'");
    Await.until(
        "the gateway's backends gone",
        Duration.ofSeconds(10),
        () -> server.backendCount(gw.role()) == 0);
    for (Login l : logins) {
      try (Connection c = ub.connection(l, "main")) {
        assertThat(who(c)).containsExactly(l.role(), gw.role(), null);
      }
    }
    assertThat(ub.stats("main").budgetUsed()).isLessThanOrEqualTo(4);
  }

  @Test
  void close_closesLentConnections(PostgresServer server, TestNames names) throws Exception {
    Gateway gw = gateway(server, names);
    Fixtures.Person alice = person(server, names, gw);
    Userbound ub = Fixtures.userbound(switching(server, gw).budget(2).build());
    Login a = ub.login(alice.role(), alice.password());
    Connection c = ub.connection(a, "main");
    who(c);
    ub.close();
    assertThatThrownBy(c::createStatement)
        .isInstanceOf(SQLException.class)
        .extracting(e -> ((SQLException) e).getSQLState())
        .isEqualTo("08003");
    c.close();
    Await.until(
        "the gateway's backends closed",
        Duration.ofSeconds(10),
        () -> server.backendCount(gw.role()) == 0);
  }

  @Test
  void manyPeopleOnAFewConnections_neverSeeEachOther_andTheBudgetHolds(
      PostgresServer server, TestNames names) throws Exception {
    Gateway gw = gateway(server, names);
    int people = 24;
    int budget = 3;
    List<Fixtures.Person> persons = new ArrayList<>();
    for (int i = 0; i < people; i++) {
      persons.add(person(server, names, gw));
    }
    Userbound ub =
        Fixtures.userbound(
            switching(server, gw)
                .budget(budget)
                .maxConnectionsPerPerson(2)
                .connectionTimeout(Duration.ofSeconds(20))
                .build());
    List<Login> logins = new ArrayList<>();
    for (Fixtures.Person p : persons) {
      logins.add(ub.login(p.role(), p.password()));
    }
    AtomicLong borrows = new AtomicLong();
    AtomicLong wrong = new AtomicLong();
    AtomicInteger maxBackends = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService threads = Executors.newFixedThreadPool(7);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < 6; w++) {
        workers.add(
            threads.submit(
                () -> {
                  ThreadLocalRandom random = ThreadLocalRandom.current();
                  for (int n = 0; n < 400; n++) {
                    int i = random.nextInt(people);
                    Login l = logins.get(i);
                    try (Binding b = ub.bind(l);
                        Connection c = ub.connection("main")) {
                      String[] w2 = who(c);
                      if (!l.role().equals(w2[0])
                          || !gw.role().equals(w2[1])
                          || (w2[2] != null && !w2[2].isEmpty())) {
                        wrong.incrementAndGet();
                      }
                      try (Statement st = c.createStatement()) {
                        st.execute("select set_config('app.marker', '" + i + "', false)");
                      }
                      borrows.incrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      Future<?> sampler =
          threads.submit(
              () -> {
                while (!stop.get()) {
                  maxBackends.accumulateAndGet((int) server.backendCount(gw.role()), Math::max);
                  LockSupport.parkNanos(5_000_000); // a sampling period, not synchronisation
                }
                return null;
              });
      for (Future<?> f : workers) {
        f.get(5, TimeUnit.MINUTES);
      }
      stop.set(true);
      sampler.get(1, TimeUnit.MINUTES);
    } finally {
      stop.set(true);
      threads.shutdownNow();
      threads.awaitTermination(30, TimeUnit.SECONDS);
    }
    DatabaseStats s = ub.stats("main");
    assertThat(wrong.get()).isZero();
    assertThat(borrows.get()).isEqualTo(6 * 400);
    assertThat(maxBackends.get()).isBetween(1, budget);
    assertThat(s.budgetUsed()).isLessThanOrEqualTo(budget);
    assertThat(s.roleSwitches()).isPositive();
  }
}
