package io.userbound.core;

import static io.userbound.core.Fixtures.person;
import static org.assertj.core.api.Assertions.assertThat;

import io.userbound.core.Fixtures.Person;
import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;

@ExtendWith(PostgresExtension.class)
class SessionResetTest {

  @Test
  void handBack_resetsSettingsRoleTempTablesAndLocks(PostgresServer server, TestNames names)
      throws Exception {
    Person alice = person(names);
    String group = names.role("grp");
    server.createGroupRole(group);
    server.execute("postgres", "GRANT \"" + group + "\" TO \"" + alice.role() + "\"");
    Userbound ub =
        Fixtures.userbound(
            Fixtures.database("main", server, "postgres").maxConnectionsPerPerson(1).build());
    Login login = ub.login(alice.role(), alice.password());
    int pid;
    try (Connection c = ub.connection(login, "main");
        Statement st = c.createStatement()) {
      pid = c.unwrap(PGConnection.class).getBackendPID();
      st.execute("SET application_name = 'leftover'");
      st.execute("SELECT set_config('app.tenant', '42', false)");
      st.execute("SET ROLE \"" + group + "\"");
      st.execute("CREATE TEMP TABLE scratch (x int)");
      st.execute("SELECT pg_advisory_lock(4242)");
    }
    try (Connection c = ub.connection(login, "main");
        Statement st = c.createStatement()) {
      assertThat(c.unwrap(PGConnection.class).getBackendPID()).as("same backend").isEqualTo(pid);
      assertThat(one(st, "SELECT current_user")).isEqualTo(alice.role());
      assertThat(one(st, "SELECT coalesce(current_setting('app.tenant', true), '')")).isEmpty();
      assertThat(one(st, "SELECT current_setting('application_name')")).isNotEqualTo("leftover");
      assertThat(one(st, "SELECT count(*) FROM pg_tables WHERE tablename = 'scratch'"))
          .isEqualTo("0");
      assertThat(
              one(
                  st,
                  "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid ="
                      + " pg_backend_pid()"))
          .isEqualTo("0");
    }
  }

  @Test
  void handBack_withOpenTransaction_rollsItBack(PostgresServer server, TestNames names)
      throws Exception {
    Person alice = person(names);
    String db = names.createDatabase();
    server.execute(db, "CREATE TABLE t (x int); GRANT ALL ON t TO \"" + alice.role() + "\"");
    Userbound ub =
        Fixtures.userbound(
            Fixtures.database("main", server, db).maxConnectionsPerPerson(1).build());
    Login login = ub.login(alice.role(), alice.password());
    try (Connection c = ub.connection(login, "main");
        Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      st.execute("INSERT INTO t VALUES (1)");
    }
    try (Connection c = ub.connection(login, "main");
        Statement st = c.createStatement()) {
      assertThat(c.getAutoCommit()).isTrue();
      assertThat(one(st, "SELECT count(*) FROM t")).isEqualTo("0");
    }
  }

  @Test
  void requestsBackToBack_reuseOneCleanConnection(PostgresServer server, TestNames names)
      throws Exception {
    Person alice = person(names);
    Userbound ub =
        Fixtures.userbound(
            Fixtures.database("main", server, "postgres").maxConnectionsPerPerson(2).build());
    Login login = ub.login(alice.role(), alice.password());
    Set<Integer> pids = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      try (Connection c = ub.connection(login, "main");
          Statement st = c.createStatement()) {
        pids.add(c.unwrap(PGConnection.class).getBackendPID());
        assertThat(one(st, "SELECT coalesce(current_setting('app.n', true), '')"))
            .as("clean at borrow")
            .isEmpty();
        st.execute("SELECT set_config('app.n', '" + i + "', false)");
      }
    }
    assertThat(pids).as("no second physical connection for back-to-back requests").hasSize(1);
    assertThat(server.backendCount(alice.role())).isEqualTo(1);
  }

  @Test
  void sessionResetNone_keepsSettings(PostgresServer server, TestNames names) throws Exception {
    Person alice = person(names);
    Userbound ub =
        Fixtures.userbound(
            Fixtures.database("main", server, "postgres")
                .maxConnectionsPerPerson(1)
                .sessionReset(SessionReset.NONE)
                .build());
    Login login = ub.login(alice.role(), alice.password());
    try (Connection c = ub.connection(login, "main");
        Statement st = c.createStatement()) {
      st.execute("SELECT set_config('app.tenant', '42', false)");
    }
    try (Connection c = ub.connection(login, "main");
        Statement st = c.createStatement()) {
      assertThat(one(st, "SELECT current_setting('app.tenant', true)")).isEqualTo("42");
    }
  }

  private static String one(Statement st, String sql) throws Exception {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
