package io.userbound.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ROLE_SWITCHING as an attacker would try it: a person whose request can send any SQL text.
 * Whatever the guard lets through, the role rides with the statement and is checked with it:
 * a statement that leaves the role changed is rolled back, returns no row, and its connection
 * is closed; the next request, of anyone, runs as its own person and sees nothing left behind.
 */
@ExtendWith(PostgresExtension.class)
class InBandAttackTest {

  /** Alice (the attacker), Bob (the victim) with a table only he may read, one gateway. */
  record Setup(
      Userbound ub,
      Login alice,
      Login bob,
      String aliceRole,
      String bobRole,
      String gateway,
      String secret,
      String log,
      OperationsTest.Recorder events) {}

  static Setup setup(PostgresServer server, TestNames names, int budget) {
    RoleSwitchingTest.Gateway gw = RoleSwitchingTest.gateway(server, names);
    Fixtures.Person alice = RoleSwitchingTest.person(server, names, gw);
    Fixtures.Person bob = RoleSwitchingTest.person(server, names, gw);
    String secret = names.role("secret");
    String log = names.role("log");
    server.execute("postgres", "CREATE TABLE " + secret + " (x text)");
    server.execute("postgres", "INSERT INTO " + secret + " VALUES ('bobs-secret')");
    server.execute("postgres", "GRANT SELECT ON " + secret + " TO " + bob.role());
    server.execute("postgres", "CREATE TABLE " + log + " (x text)");
    server.execute("postgres", "GRANT SELECT, INSERT ON " + log + " TO " + alice.role());
    // A helper function an application might have: it runs as its caller.
    server.execute(
        "postgres",
        "CREATE OR REPLACE FUNCTION public.ub_become(r text, local boolean) RETURNS text"
            + " LANGUAGE sql AS $$ select set_config('role', r, local) $$");
    OperationsTest.Recorder events = new OperationsTest.Recorder();
    Userbound ub =
        Fixtures.userbound(
            UserboundConfig.builder()
                .listener(events)
                .database(
                    RoleSwitchingTest.switching(server, gw)
                        .budget(budget)
                        .maxConnectionsPerPerson(budget)
                        .build())
                .build());
    return new Setup(
        ub,
        ub.login(alice.role(), alice.password()),
        ub.login(bob.role(), bob.password()),
        alice.role(),
        bob.role(),
        gw.role(),
        secret,
        log,
        events);
  }

  private static List<String> rows(Statement st, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    boolean rs = st.execute(sql);
    while (true) {
      if (rs) {
        try (ResultSet r = st.getResultSet()) {
          while (r.next()) {
            out.add(r.getString(1));
          }
        }
      } else if (st.getUpdateCount() == -1) {
        return out;
      }
      rs = st.getMoreResults();
    }
  }

  private static long count(PostgresServer server, String table) throws SQLException {
    try (Connection c = server.adminConnection("postgres");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select count(*) from " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /* Attack texts: %b is bob's role, %s the secret table, %l alice's log table. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "insert into %l values ('x'); select ub_become('%b', false); select * from %s",
        "insert into %l values ('x'); select ub_become('%b', true); select * from %s",
        "insert into %l values ('x'); select ub_become('none', false)",
        "select ub_become('%b', false), 1",
        "SELECT 1 --\r; SET ROLE %b\n; select * from %s",
        "SELECT 1 --\r; RESET ROLE",
        "select $€$ ' $€$; set role %b; select * from %s; select ' $€$",
        "SET U&\"\\0072ole\" TO '%b'",
        "RESET U&\"\\0072ole\"",
        "set standard_conforming_strings = off; select 'a\\'; set role %b; select * from %s; --'"
      })
  void aStatementThatChangesTheRole_failsClosed(
      String template, PostgresServer server, TestNames names) throws Exception {
    Setup s = setup(server, names, 1);
    String sql =
        template.replace("%b", s.bobRole()).replace("%s", s.secret()).replace("%l", s.log());
    long logged = count(server, s.log());
    try (Connection c = s.ub().connection(s.alice(), "main");
        Statement st = c.createStatement()) {
      List<String> seen = new ArrayList<>();
      assertThatThrownBy(() -> seen.addAll(rows(st, sql)))
          .isInstanceOf(SQLException.class)
          .extracting(e -> ((SQLException) e).getSQLState())
          .isIn("42501", "0A000");
      assertThat(seen).doesNotContain("bobs-secret");
    }
    assertThat(count(server, s.log())).as("nothing committed").isEqualTo(logged);
    // The next requests, of the attacker and of the victim on the same (one-connection)
    // budget, run as themselves.
    try (Connection c = s.ub().connection(s.alice(), "main")) {
      assertThat(Fixtures.currentUser(c)).isEqualTo(s.aliceRole() + "/" + s.gateway());
      try (Statement st = c.createStatement()) {
        assertThatThrownBy(() -> rows(st, "select * from " + s.secret()))
            .isInstanceOf(SQLException.class)
            .hasMessageContaining("permission denied");
      }
    }
    try (Connection c = s.ub().connection(s.bob(), "main")) {
      assertThat(Fixtures.currentUser(c)).isEqualTo(s.bobRole() + "/" + s.gateway());
    }
  }

  /*
   * The attacker (who can also log in directly, with their own password) owns a schema with
   * an "=" on text that always says yes, puts it before pg_catalog, and changes the role:
   * the suffix's comparison is not theirs.
   */
  @Test
  void aSearchPathOfTheAttackers_cannotBendTheChecks(PostgresServer server, TestNames names)
      throws Exception {
    Setup s = setup(server, names, 1);
    String schema = names.role("x");
    server.execute("postgres", "CREATE SCHEMA " + schema + " AUTHORIZATION " + s.aliceRole());
    server.execute("postgres", "GRANT USAGE ON SCHEMA " + schema + " TO PUBLIC");
    server.execute(
        "postgres",
        "CREATE FUNCTION "
            + schema
            + ".yes(text, text) RETURNS boolean LANGUAGE sql AS $$ select true $$");
    server.execute(
        "postgres",
        "CREATE OPERATOR "
            + schema
            + ".= (LEFTARG = text, RIGHTARG = text, FUNCTION = "
            + schema
            + ".yes)");
    server.execute(
        "postgres", "ALTER FUNCTION " + schema + ".yes(text, text) OWNER TO " + s.aliceRole());
    String sql =
        "set search_path = "
            + schema
            + ", pg_catalog; select public.ub_become('"
            + s.bobRole()
            + "', false); select x from public."
            + s.secret();
    try (Connection c = s.ub().connection(s.alice(), "main");
        Statement st = c.createStatement()) {
      List<String> seen = new ArrayList<>();
      assertThat(rows(st, "set search_path = " + schema + ", pg_catalog; select 'a' = 'b'"))
          .as("the attacker's operator is the one an unqualified = finds")
          .containsExactly("t");
      assertThatThrownBy(() -> seen.addAll(rows(st, sql)))
          .isInstanceOf(SQLException.class)
          .extracting(e -> ((SQLException) e).getSQLState())
          .isEqualTo("42501");
      assertThat(seen).doesNotContain("bobs-secret");
    }
  }

  @Test
  void aRoleChange_isAudited_andClosesTheConnection(PostgresServer server, TestNames names)
      throws Exception {
    Setup s = setup(server, names, 2);
    try (Connection c = s.ub().connection(s.alice(), "main");
        PreparedStatement ps = c.prepareStatement("select ub_become(?, false)")) {
      ps.setString(1, s.bobRole());
      assertThatThrownBy(ps::executeQuery)
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("changed the role")
          .extracting(e -> ((SQLException) e).getSQLState())
          .isEqualTo("42501");
      assertThat(c.isValid(1)).as("the connection was closed").isFalse();
    }
    assertThat(s.events().of(UserboundEvent.Type.ROLE_CHANGE_REFUSED))
        .singleElement()
        .satisfies(e -> assertThat(e.role()).isEqualTo(s.aliceRole()));
    assertThat(s.ub().stats("main").activeConnections()).isZero();
  }

  @Test
  void theRole_endsWithTheTransaction_evenInAnExplicitOne(PostgresServer server, TestNames names)
      throws Exception {
    Setup s = setup(server, names, 1);
    try (Connection c = s.ub().connection(s.alice(), "main")) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("insert into " + s.log() + " values (?)")) {
        ps.setString(1, "in-transaction");
        assertThat(ps.executeUpdate()).isEqualTo(1);
        ps.setString(1, "second");
        assertThat(ps.executeUpdate()).isEqualTo(1);
      }
      assertThat(Fixtures.currentUser(c)).isEqualTo(s.aliceRole() + "/" + s.gateway());
      c.commit();
      c.setAutoCommit(true);
    }
    assertThat(count(server, s.log())).isEqualTo(2);
    try (Connection c = s.ub().connection(s.bob(), "main");
        Statement st = c.createStatement()) {
      assertThat(rows(st, "select x from " + s.secret())).containsExactly("bobs-secret");
    }
  }

  @Test
  void statementsAndResults_lookAsWithoutTheWrapping(PostgresServer server, TestNames names)
      throws Exception {
    Setup s = setup(server, names, 2);
    try (Connection c = s.ub().connection(s.alice(), "main")) {
      try (Statement st = c.createStatement()) {
        assertThat(st.execute("insert into " + s.log() + " values ('a')")).isFalse();
        assertThat(st.getUpdateCount()).isEqualTo(1);
        assertThat(st.getMoreResults()).isFalse();
        assertThat(st.getUpdateCount()).isEqualTo(-1);
        assertThat(st.getResultSet()).isNull();
        assertThat(st.executeUpdate("insert into " + s.log() + " values ('b')")).isEqualTo(1);
        assertThat(rows(st, "select 1; select 2")).containsExactly("1", "2");
        try (ResultSet rs = st.executeQuery("select current_user")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo(s.aliceRole());
          assertThat(rs.getStatement()).isSameAs(st);
        }
        st.addBatch("insert into " + s.log() + " values ('c')");
        st.addBatch("insert into " + s.log() + " values ('d')");
        assertThat(st.executeBatch()).containsExactly(1, 1);
      }
      try (PreparedStatement ps =
          c.prepareStatement("select ?::int + ?::int, current_user, ?::text")) {
        ps.setInt(1, 2);
        ps.setInt(2, 3);
        ps.setString(3, "three");
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          assertThat(rs.getInt(1)).isEqualTo(5);
          assertThat(rs.getString(2)).isEqualTo(s.aliceRole());
          assertThat(rs.getString(3)).isEqualTo("three");
        }
        assertThat(ps.getParameterMetaData().getParameterCount()).isEqualTo(3);
        assertThat(ps.getMetaData().getColumnCount()).isEqualTo(3);
      }
      try (PreparedStatement ps = c.prepareStatement("insert into " + s.log() + " values (?)")) {
        for (String v : List.of("e", "f", "g")) {
          ps.setString(1, v);
          ps.addBatch();
        }
        assertThat(ps.executeBatch()).containsExactly(1, 1, 1);
      }
      assertThat(c.getAutoCommit()).isTrue();
      assertThatThrownBy(() -> c.prepareCall("{call now()}"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("ROLE_SWITCHING");
      assertThatThrownBy(
              () ->
                  c.prepareStatement(
                      "insert into " + s.log() + " values ('h')", Statement.RETURN_GENERATED_KEYS))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("RETURNING");
    }
    assertThat(count(server, s.log())).isEqualTo(7);
  }

  @Test
  void aTempTableAndASetting_plantedForTheNextPerson_areGone(PostgresServer server, TestNames names)
      throws Exception {
    Setup s = setup(server, names, 1);
    try (Connection c = s.ub().connection(s.alice(), "main");
        Statement st = c.createStatement()) {
      // a temp table that shadows the real one, and a custom setting
      assertThat(
              rows(
                  st,
                  "create temp table "
                      + s.secret()
                      + " (x text); insert into pg_temp."
                      + s.secret()
                      + " values ('planted'); set search_path = pg_temp, public;"
                      + " select set_config('app.planted', 'yes', false); select x from "
                      + s.secret()))
          .containsExactly("yes", "planted");
    }
    try (Connection c = s.ub().connection(s.bob(), "main");
        Statement st = c.createStatement()) {
      assertThat(rows(st, "select x from " + s.secret())).containsExactly("bobs-secret");
      assertThat(rows(st, "select current_setting('app.planted', true)"))
          .allMatch(v -> v == null || v.isEmpty());
    }
  }
}
