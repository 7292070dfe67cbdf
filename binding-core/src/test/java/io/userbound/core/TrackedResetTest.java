package io.userbound.core;

import static io.userbound.core.Fixtures.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.userbound.core.Fixtures.Person;
import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TcpProxy;
import io.userbound.testkit.TestNames;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;

/**
 * The default reset (TRACKED): each kind of session state a request leaves behind is gone
 * for the next request on the same physical connection, and a request that changed
 * nothing is handed back without a single byte to the server.
 */
@ExtendWith(PostgresExtension.class)
class TrackedResetTest {

  private PostgresServer server;
  private Person alice;
  private String db;
  private Userbound ub;
  private Login login;
  private TcpProxy proxy;

  private void setUp(PostgresServer s, TestNames names, SessionReset reset) {
    this.server = s;
    alice = person(names);
    db = names.createDatabase();
    server.execute(
        db,
        "CREATE TABLE t (x int); GRANT ALL ON t TO \""
            + alice.role()
            + "\";"
            + " CREATE SEQUENCE seq; GRANT USAGE, SELECT ON seq TO \""
            + alice.role()
            + "\"");
    proxy = TcpProxy.start(server.host(), server.port());
    ub =
        Fixtures.userbound(
            DatabaseConfig.builder("main", proxy.jdbcUrl(server, db))
                .maxConnectionsPerPerson(1)
                .sessionReset(reset)
                .build());
    login = ub.login(alice.role(), alice.password());
  }

  private void setUp(PostgresServer s, TestNames names) {
    setUp(s, names, SessionReset.TRACKED);
  }

  @AfterEach
  void closeProxy() {
    if (proxy != null) {
      proxy.close();
    }
  }

  /**
   * Runs work on a borrow, hands it back, and returns the backend pid it ran on. The pid
   * comes from plain SQL, which changes nothing, so that what the work did alone decides
   * whether the hand-back resets.
   */
  private int request(Work work) throws Exception {
    try (Connection c = ub.connection(login, "main")) {
      int pid = Integer.parseInt(one(c, "select pg_backend_pid()"));
      work.run(c);
      return pid;
    }
  }

  interface Work {
    void run(Connection c) throws Exception;
  }

  private static String one(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private void assertNextRequest(int pid, String sql, String expected) throws Exception {
    int next = request(c -> assertThat(one(c, sql)).as(sql).isEqualTo(expected));
    assertThat(next).as("the same physical connection, reused").isEqualTo(pid);
  }

  @Test
  void cleanRequest_isHandedBackWithoutARoundTrip(PostgresServer s, TestNames names)
      throws Exception {
    setUp(s, names);
    request(c -> one(c, "select 1")); // warm: the borrow's first use is checked
    long[] before = new long[1];
    try (Connection c = ub.connection(login, "main")) {
      try (PreparedStatement ps = c.prepareStatement("select x from t where x = ?")) {
        ps.setInt(1, 1);
        ps.executeQuery().close();
      }
      one(c, "select count(*) from t");
      before[0] = proxy.bytesToServer();
    }
    assertThat(proxy.bytesToServer())
        .as("bytes sent by the hand-back of a clean request")
        .isEqualTo(before[0]);
    try (Connection c = ub.connection(login, "main")) {
      c.createStatement().execute("SET application_name = 'x'");
      before[0] = proxy.bytesToServer();
    }
    assertThat(proxy.bytesToServer())
        .as("a changed session costs one reset")
        .isGreaterThan(before[0]);
  }

  @Test
  void settings_areReset(PostgresServer s, TestNames names) throws Exception {
    setUp(s, names);
    int pid =
        request(
            c -> {
              try (Statement st = c.createStatement()) {
                st.execute("SET application_name = 'leftover'");
                st.execute("SET search_path = pg_catalog");
                st.execute("select set_config('app.tenant', '42', false)");
                st.execute("SET TIME ZONE 'Pacific/Auckland'");
              }
            });
    assertNextRequest(
        pid,
        "select current_setting('application_name') || '|' || current_setting('search_path') || '|'"
            + " || coalesce(current_setting('app.tenant', true), '') || '|' ||"
            + " current_setting('TimeZone')",
        "userbound|\"$user\", public||" + one(server, "show TimeZone"));
  }

  private String one(PostgresServer s, String sql) throws SQLException {
    try (Connection c = s.adminConnection(db)) {
      return one(c, sql);
    }
  }

  @Test
  void jdbcSetters_thatChangeTheSession_areReset(PostgresServer s, TestNames names)
      throws Exception {
    setUp(s, names);
    int pid =
        request(
            c -> {
              c.setSchema("pg_catalog");
              c.setClientInfo("ApplicationName", "leftover");
              c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
              c.setReadOnly(true);
            });
    assertNextRequest(
        pid,
        "select current_setting('search_path') || '|' || current_setting('application_name')"
            + " || '|' || current_setting('default_transaction_isolation')",
        "\"$user\", public|userbound|read committed");
    request(c -> assertThat(c.isReadOnly()).isFalse());
  }

  @Test
  void role_isReset(PostgresServer s, TestNames names) throws Exception {
    setUp(s, names);
    String group = names.role("grp");
    server.createGroupRole(group);
    server.execute(db, "GRANT \"" + group + "\" TO \"" + alice.role() + "\"");
    int pid = request(c -> c.createStatement().execute("SET ROLE \"" + group + "\""));
    assertNextRequest(
        pid, "select current_user || '|' || session_user", alice.role() + "|" + alice.role());
  }

  @Test
  void tempTablesLocksAndCursors_areGone(PostgresServer s, TestNames names) throws Exception {
    setUp(s, names);
    int pid =
        request(
            c -> {
              try (Statement st = c.createStatement()) {
                st.execute("CREATE TEMP TABLE scratch (x int)");
                st.execute("select pg_advisory_lock(4242)");
                st.execute("select pg_advisory_lock_shared(4343)");
                st.execute("BEGIN; DECLARE held CURSOR WITH HOLD FOR select 1; COMMIT");
              }
            });
    assertNextRequest(
        pid,
        "select (select count(*) from pg_tables where tablename = 'scratch') || '|' || (select"
            + " count(*) from pg_locks where locktype = 'advisory' and pid = pg_backend_pid()) ||"
            + " '|' || (select count(*) from pg_cursors where name = 'held')",
        "0|0|0");
  }

  @Test
  void listen_isUndone_andQueuedNotificationsAreDropped(PostgresServer s, TestNames names)
      throws Exception {
    setUp(s, names);
    int pid =
        request(
            c -> {
              try (Statement st = c.createStatement()) {
                st.execute("LISTEN news");
                st.execute("NOTIFY news, 'for the first request only'");
                st.execute("select 1"); // the notification arrives with this response
              }
            });
    int next =
        request(
            c -> {
              assertThat(one(c, "select count(*) from pg_listening_channels()")).isEqualTo("0");
              assertThat(c.unwrap(PGConnection.class).getNotifications())
                  .as("nothing queued from before")
                  .isEmpty();
            });
    assertThat(next).isEqualTo(pid);
  }

  @Test
  void sqlPrepare_isDeallocated(PostgresServer s, TestNames names) throws Exception {
    setUp(s, names);
    int pid = request(c -> c.createStatement().execute("PREPARE mine AS select 1"));
    assertNextRequest(pid, "select count(*) from pg_prepared_statements where name = 'mine'", "0");
  }

  @Test
  void sequenceState_isReset(PostgresServer s, TestNames names) throws Exception {
    setUp(s, names);
    int pid = request(c -> one(c, "select nextval('seq')"));
    int next =
        request(
            c ->
                assertThatThrownBy(() -> one(c, "select currval('seq')"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("not yet defined in this session"));
    assertThat(next).isEqualTo(pid);
  }

  @Test
  void applicationFunctions_countAsChanges(PostgresServer s, TestNames names) throws Exception {
    setUp(s, names);
    server.execute(
        db,
        "CREATE FUNCTION tag() RETURNS int LANGUAGE sql AS $$ select 1 from (select"
            + " set_config('app.tag', 'leftover', false)) x $$; GRANT EXECUTE ON FUNCTION tag() TO"
            + " PUBLIC");
    int pid = request(c -> one(c, "select tag()"));
    assertNextRequest(pid, "select coalesce(current_setting('app.tag', true), '')", "");
  }

  @Test
  void reportedParameterChangedByATrigger_isSeen(PostgresServer s, TestNames names)
      throws Exception {
    setUp(s, names);
    server.execute(
        db,
        "CREATE FUNCTION rename_app() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM"
            + " set_config('application_name', 'from-trigger', false); RETURN NEW; END $$; CREATE"
            + " TRIGGER rename BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION rename_app()");
    int pid = request(c -> c.createStatement().execute("insert into t values (1)"));
    assertNextRequest(pid, "select current_setting('application_name')", "userbound");
  }

  @Test
  void transactionsLeftOpen_areRolledBack(PostgresServer s, TestNames names) throws Exception {
    setUp(s, names);
    request(
        c -> {
          c.setAutoCommit(false);
          c.createStatement().execute("insert into t values (1)");
        });
    request(c -> c.createStatement().execute("BEGIN; insert into t values (2)"));
    request(
        c -> {
          c.setAutoCommit(false);
          try (Statement st = c.createStatement()) {
            st.execute("insert into t values (3)");
            assertThatThrownBy(() -> st.execute("select 1/0")).isInstanceOf(SQLException.class);
          }
        });
    request(
        c -> {
          assertThat(c.getAutoCommit()).isTrue();
          assertThat(one(c, "select count(*) from t")).isEqualTo("0");
        });
  }

  @Test
  void driverSideState_closesThePhysicalConnection(PostgresServer s, TestNames names)
      throws Exception {
    setUp(s, names);
    int pid = request(c -> c.setTypeMap(Map.of("x", String.class)));
    int next = request(c -> assertThat(c.getTypeMap()).isEmpty());
    assertThat(next).as("a new physical connection").isNotEqualTo(pid);
    int third = request(c -> c.unwrap(PGConnection.class).setPrepareThreshold(1));
    assertThat(request(c -> {})).isNotEqualTo(third);
  }

  @Test
  void preparedStatements_surviveTheReset_butNotDiscardAll(PostgresServer s, TestNames names)
      throws Exception {
    setUp(s, names);
    assertThat(serverPreparedAfterADirtyRequest())
        .as("TRACKED keeps pgjdbc's statements")
        .isPositive();
    ub.close();
    proxy.close();
    setUp(s, names, SessionReset.DISCARD_ALL);
    assertThat(serverPreparedAfterADirtyRequest()).as("DISCARD_ALL drops them").isZero();
  }

  private int serverPreparedAfterADirtyRequest() throws Exception {
    request(
        c -> {
          try (PreparedStatement ps = c.prepareStatement("select x from t where x = ?")) {
            for (int i = 0; i < 6; i++) { // pgjdbc prepares on the server from the 5th execution
              ps.setInt(1, i);
              ps.executeQuery().close();
            }
          }
          c.createStatement().execute("SET application_name = 'dirty'");
        });
    int[] count = new int[1];
    request(
        c -> count[0] = Integer.parseInt(one(c, "select count(*) from pg_prepared_statements")));
    return count[0];
  }

  @Test
  void resetNone_keepsSettings_butRollsBack(PostgresServer s, TestNames names) throws Exception {
    setUp(s, names, SessionReset.NONE);
    request(
        c -> {
          c.createStatement().execute("select set_config('app.kept', 'yes', false)");
          c.createStatement().execute("BEGIN; insert into t values (1)");
        });
    request(
        c -> {
          assertThat(one(c, "select current_setting('app.kept', true)")).isEqualTo("yes");
          assertThat(one(c, "select count(*) from t")).isEqualTo("0");
        });
  }

  @Test
  void clientInfoProperties_countAsAChange(PostgresServer s, TestNames names) throws Exception {
    setUp(s, names);
    Properties p = new Properties();
    p.setProperty("ApplicationName", "props");
    int pid = request(c -> c.setClientInfo(p));
    assertNextRequest(pid, "select current_setting('application_name')", "userbound");
  }
}
