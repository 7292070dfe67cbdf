package io.userbound.core;

import static io.userbound.core.Fixtures.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.userbound.core.Fixtures.Person;
import io.userbound.testkit.Await;
import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import java.io.StringReader;
import java.io.StringWriter;
import java.sql.Array;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;
import org.postgresql.PGStatement;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;
import org.postgresql.jdbc.PgConnection;
import org.postgresql.largeobject.LargeObject;
import org.postgresql.largeobject.LargeObjectManager;

/** Every JDBC object leads back to the Userbound connection; nothing outlives its hand-back. */
@ExtendWith(PostgresExtension.class)
class WayBackTest {

  private Userbound ub;
  private Login login;

  private Connection borrow(PostgresServer server, TestNames names) {
    Person alice = person(names);
    ub =
        Fixtures.userbound(
            Fixtures.database("main", server, "postgres").maxConnectionsPerPerson(1).build());
    login = ub.login(alice.role(), alice.password());
    return ub.connection(login, "main");
  }

  @Test
  void everyStatementKind_leadsBackToTheUserboundConnection(PostgresServer server, TestNames names)
      throws Exception {
    try (Connection c = borrow(server, names)) {
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("select 1")) {
        assertThat(st.getConnection()).isSameAs(c);
        assertThat(rs.getStatement()).isSameAs(st);
        assertThat(rs.getStatement().getConnection()).isSameAs(c);
      }
      try (Statement st = c.createStatement()) {
        assertThat(st.execute("select 2")).isTrue();
        try (ResultSet rs = st.getResultSet()) {
          assertThat(rs.getStatement().getConnection()).isSameAs(c);
        }
      }
      try (PreparedStatement ps = c.prepareStatement("select ?::int"); ) {
        ps.setInt(1, 3);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(ps.getConnection()).isSameAs(c);
          assertThat(rs.getStatement()).isSameAs(ps);
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement("select 1 as id", Statement.RETURN_GENERATED_KEYS)) {
        ps.execute();
        try (ResultSet keys = ps.getGeneratedKeys()) {
          assertThat(keys.getStatement().getConnection()).isSameAs(c);
        }
      }
      try (CallableStatement cs = c.prepareCall("{? = call upper(?)}")) {
        cs.registerOutParameter(1, Types.VARCHAR);
        cs.setString(2, "x");
        cs.execute();
        assertThat(cs.getString(1)).isEqualTo("X");
        assertThat(cs.getConnection()).isSameAs(c);
      }
      DatabaseMetaData md = c.getMetaData();
      assertThat(md.getConnection()).isSameAs(c);
      try (ResultSet tables = md.getTables(null, "pg_catalog", "pg_class", null)) {
        assertThat(tables.next()).isTrue();
        Statement owner = tables.getStatement();
        if (owner != null) {
          assertThat(owner.getConnection()).isSameAs(c);
        }
      }
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("select array[1,2,3]")) {
        rs.next();
        Array array = rs.getArray(1);
        try (ResultSet elements = array.getResultSet()) {
          assertThat(elements.next()).isTrue();
          Statement behind = elements.getStatement();
          if (behind != null) {
            assertThat(behind.getConnection()).isSameAs(c);
          }
        }
        Object asObject = rs.getObject(1);
        assertThat(asObject).isInstanceOf(Array.class);
      }
    }
  }

  @Test
  void closingTheStatementsConnection_isTheHandBack(PostgresServer server, TestNames names)
      throws Exception {
    Connection c = borrow(server, names);
    int pid = c.unwrap(PGConnection.class).getBackendPID();
    Statement st = c.createStatement();
    st.execute("SELECT set_config('app.leftover', 'yes', false), pg_advisory_lock(42)");
    st.getConnection().close(); // what Spring's queryForStream does
    assertThat(c.isClosed()).isTrue();
    assertThat(ub.stats("main").activeConnections()).isZero();
    try (Connection again = ub.connection(login, "main");
        Statement s2 = again.createStatement();
        ResultSet rs =
            s2.executeQuery(
                "select coalesce(current_setting('app.leftover', true), ''), (select count(*) from"
                    + " pg_locks where locktype = 'advisory' and pid = pg_backend_pid()),"
                    + " pg_backend_pid()")) {
      rs.next();
      assertThat(rs.getString(1)).as("setting reset").isEmpty();
      assertThat(rs.getInt(2)).as("advisory lock released").isZero();
      assertThat(rs.getInt(3)).as("same physical connection, reset").isEqualTo(pid);
    }
    ub.logout(login);
    Await.until(
        "pool closed after logout, permit back",
        Duration.ofSeconds(10),
        () -> ub.stats("main").pools() == 0 && ub.stats("main").budgetUsed() == 0);
  }

  @Test
  void resultSetAndMetadataPaths_handBackToo(PostgresServer server, TestNames names)
      throws Exception {
    Connection c = borrow(server, names);
    Statement st = c.createStatement();
    ResultSet rs = st.executeQuery("select 1");
    rs.getStatement().getConnection().close();
    assertThat(ub.stats("main").activeConnections()).isZero();
    Connection c2 = ub.connection(login, "main");
    c2.getMetaData().getConnection().close();
    assertThat(c2.isClosed()).isTrue();
    assertThat(ub.stats("main").activeConnections()).isZero();
  }

  @Test
  void unwrapToTheDriverClass_isRefused_andTheInterfaceIsAView(
      PostgresServer server, TestNames names) throws Exception {
    Connection c = borrow(server, names);
    assertThatThrownBy(() -> c.unwrap(PgConnection.class))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("org.postgresql.PGConnection")
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0A000"));
    assertThat(c.isWrapperFor(PgConnection.class)).isFalse();
    PGConnection pg = c.unwrap(PGConnection.class);
    assertThat(pg.getBackendPID()).isPositive();
    assertThat(c.unwrap(PGConnection.class)).isSameAs(pg);
    assertThat(((Connection) pg).createStatement().getConnection())
        .as("Connection methods of the view")
        .isSameAs(c);
    Statement st = c.createStatement();
    PGStatement pgs = st.unwrap(PGStatement.class);
    assertThat(pgs.getPrepareThreshold()).isPositive();
    c.close();
    assertThatThrownBy(pg::getBackendPID)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("handed back");
    assertThatThrownBy(() -> pg.getNotifications()).isInstanceOf(SQLException.class);
    assertThatThrownBy(c::createStatement)
        .isInstanceOf(SQLException.class)
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08003"));
  }

  @Test
  void copyAndLargeObjects_workThroughTheView_untilHandBack(PostgresServer server, TestNames names)
      throws Exception {
    Connection c = borrow(server, names);
    CopyManager copy = c.unwrap(BaseConnection.class).getCopyAPI();
    StringWriter out = new StringWriter();
    long rows = copy.copyOut("COPY (select g from generate_series(1, 3) g) TO STDOUT", out);
    assertThat(rows).isEqualTo(3);
    assertThat(out.toString()).isEqualTo("1\n2\n3\n");
    try (Statement st = c.createStatement()) {
      st.execute("create temp table sink (x int)");
    }
    assertThat(copy.copyIn("COPY sink FROM STDIN", new StringReader("7\n8\n"))).isEqualTo(2);
    c.setAutoCommit(false);
    LargeObjectManager lobs = c.unwrap(PGConnection.class).getLargeObjectAPI();
    long oid = lobs.createLO();
    try (LargeObject lo = lobs.open(oid, LargeObjectManager.READWRITE)) {
      lo.write(new byte[] {1, 2, 3});
    }
    c.rollback();
    c.close();
    assertThatThrownBy(() -> copy.copyOut("COPY (select 1) TO STDOUT", new StringWriter()))
        .isInstanceOf(SQLException.class);
    assertThatThrownBy(lobs::createLO).isInstanceOf(SQLException.class);
    try (Connection again = ub.connection(login, "main");
        Statement st = again.createStatement();
        ResultSet rs = st.executeQuery("select count(*) from pg_tables where tablename = 'sink'")) {
      rs.next();
      assertThat(rs.getInt(1)).as("the temp table made through COPY's connection is gone").isZero();
    }
  }

  @Test
  void abort_endsTheLeaseAndTheConnection(PostgresServer server, TestNames names) throws Exception {
    Connection c = borrow(server, names);
    int pid = c.unwrap(PGConnection.class).getBackendPID();
    c.abort(Runnable::run);
    assertThat(c.isClosed()).isTrue();
    assertThat(ub.stats("main").activeConnections()).isZero();
    Await.until(
        "the aborted backend is gone and its permit back",
        Duration.ofSeconds(10),
        () ->
            server.backends().stream().noneMatch(b -> b.pid() == pid)
                && ub.stats("main").budgetUsed() == 0);
    try (Connection again = ub.connection(login, "main")) {
      assertThat(again.unwrap(PGConnection.class).getBackendPID()).isNotEqualTo(pid);
    }
  }
}
