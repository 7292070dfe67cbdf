package io.userbound.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.userbound.testkit.PgBouncer.PoolMode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;

/** The test kit's PgBouncer: SCRAM through auth_query, both pool modes, lifecycle, clean-up. */
@ExtendWith(PostgresExtension.class)
class PgBouncerTest {

  @Test
  void session_personLogsInWithScramThroughTheLookup(PostgresServer server, TestNames names)
      throws SQLException {
    char[] pw = TestPasswords.fresh();
    String role = names.login(pw);
    try (PgBouncer bouncer = PgBouncer.start(server, PoolMode.SESSION);
        Connection c = Jdbc.connect(bouncer.jdbcUrl("postgres"), role, pw)) {
      assertThat(Jdbc.queryString(c, "select current_user || '/' || session_user"))
          .isEqualTo(role + "/" + role);
      assertThat(bouncer.clientCount(role)).isEqualTo(1);
      assertThat(bouncer.serverCount(role)).isEqualTo(1);
      assertThat(server.backendCount(role)).isEqualTo(1);
    }
  }

  @Test
  void session_refusalsAre08P01WithPgBouncersOwnMessages(PostgresServer server, TestNames names) {
    char[] pw = TestPasswords.fresh();
    String role = names.login(pw);
    String locked = names.login(TestPasswords.fresh());
    server.execute("postgres", "ALTER ROLE " + locked + " NOLOGIN");
    char[] expiredPassword = TestPasswords.fresh();
    String expired = names.login(expiredPassword);
    server.execute("postgres", "ALTER ROLE " + expired + " VALID UNTIL '2000-01-01'");
    try (PgBouncer bouncer = PgBouncer.start(server, PoolMode.SESSION)) {
      String url = bouncer.jdbcUrl("postgres");
      assertRefused(() -> Jdbc.connect(url, role, "wrong".toCharArray()), "SASL authentication");
      assertRefused(() -> Jdbc.connect(url, names.role("nobody"), pw), "no such user");
      assertRefused(() -> Jdbc.connect(url, locked, pw), "no such user");
      // No verifier for an expired password: PgBouncer refuses it itself (CVE-2025-2291).
      assertRefused(() -> Jdbc.connect(url, expired, expiredPassword), "no such user");
      // The lookup never returns a superuser: the admin goes to the server directly.
      assertRefused(() -> Jdbc.connect(url, server.adminUser(), server.adminPassword()), "no such");
    }
  }

  private interface Connect {
    Connection open() throws SQLException;
  }

  private static void assertRefused(Connect connect, String message) {
    assertThatThrownBy(() -> connect.open().close())
        .isInstanceOfSatisfying(
            SQLException.class,
            e -> {
              assertThat(e.getSQLState()).isEqualTo("08P01");
              assertThat(e.getMessage()).contains(message);
            });
  }

  @Test
  void session_passwordChangeRefusesTheOldPasswordAtOnce(PostgresServer server, TestNames names)
      throws SQLException {
    char[] pw = TestPasswords.fresh();
    String role = names.login(pw);
    try (PgBouncer bouncer = PgBouncer.start(server, PoolMode.SESSION)) {
      String url = bouncer.jdbcUrl("postgres");
      Jdbc.connect(url, role, pw).close();
      char[] renewed = TestPasswords.fresh();
      try (Connection admin = server.adminConnection("postgres")) {
        admin.unwrap(PGConnection.class).alterUserPassword(role, renewed.clone(), "scram-sha-256");
      }
      assertRefused(() -> Jdbc.connect(url, role, pw), "SASL authentication");
      try (Connection c = Jdbc.connect(url, role, renewed)) {
        assertThat(Jdbc.queryString(c, "select current_user")).isEqualTo(role);
      }
    }
  }

  @Test
  void session_afterAPasswordChangeANewServerLoginUsesTheNewKeys(
      PostgresServer server, TestNames names) throws SQLException {
    char[] pw = TestPasswords.fresh();
    String role = names.login(pw);
    try (PgBouncer bouncer = PgBouncer.start(server, PoolMode.SESSION)) {
      String url = bouncer.jdbcUrl("postgres");
      Jdbc.connect(url, role, pw).close();
      // No server connection of this person is left for PgBouncer to hand out again.
      Jdbc.adminQuery(
          server,
          "postgres",
          "select count(pg_terminate_backend(pid))::text from pg_stat_activity where usename = '"
              + role
              + "'");
      char[] renewed = TestPasswords.fresh();
      try (Connection admin = server.adminConnection("postgres")) {
        admin.unwrap(PGConnection.class).alterUserPassword(role, renewed.clone(), "scram-sha-256");
      }
      try (Connection c = Jdbc.connect(url, role, renewed)) {
        assertThat(Jdbc.queryString(c, "select current_user")).isEqualTo(role);
        assertThat(bouncer.serverCount(role)).isEqualTo(1);
      }
    }
  }

  @Test
  void transaction_noSessionStateOutlivesATransactionAndNoNamedStatements(
      PostgresServer server, TestNames names) throws SQLException {
    char[] pw = TestPasswords.fresh();
    String role = names.login(pw);
    try (PgBouncer bouncer = PgBouncer.start(server, PoolMode.TRANSACTION)) {
      assertThat(bouncer.jdbcUrl("postgres")).contains("prepareThreshold=0");
      try (Connection c = Jdbc.connect(bouncer.jdbcUrl("postgres"), role, pw)) {
        Jdbc.queryString(c, "select set_config('userbound.marker', 'left', false)");
        assertThat(Jdbc.queryString(c, "select current_setting('userbound.marker', true)"))
            .as("server_reset_query_always: DISCARD ALL after every transaction")
            .isNullOrEmpty();
        try (PreparedStatement ps = c.prepareStatement("select ?::int + 1")) {
          for (int i = 0; i < 10; i++) { // past pgjdbc's default prepareThreshold of 5
            ps.setInt(1, i);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              assertThat(rs.getInt(1)).isEqualTo(i + 1);
            }
          }
        }
      }
    }
  }

  @Test
  void restartKeepsThePortAndCloseLeavesNothing(PostgresServer server, TestNames names)
      throws Exception {
    char[] pw = TestPasswords.fresh();
    String role = names.login(pw);
    Set<Long> before = pgbouncerPids();
    PgBouncer bouncer = PgBouncer.start(server, PoolMode.SESSION);
    int port = bouncer.port();
    String lookup;
    try {
      Connection held = Jdbc.connect(bouncer.jdbcUrl("postgres"), role, pw);
      lookup =
          Jdbc.adminQuery(
              server,
              "postgres",
              "select string_agg(rolname, ',') from pg_roles"
                  + " where rolname like 'userbound_pgbouncer_lookup_%'");
      assertThat(lookup).isNotEmpty();

      bouncer.restart();
      assertThat(bouncer.port()).isEqualTo(port);
      assertThat(bouncer.isRunning()).isTrue();
      assertThatThrownBy(() -> Jdbc.queryString(held, "select 1"))
          .as("a restart closes every client connection")
          .isInstanceOf(SQLException.class);
      held.close();
      try (Connection c = Jdbc.connect(bouncer.jdbcUrl("postgres"), role, pw)) {
        assertThat(Jdbc.queryString(c, "select current_user")).isEqualTo(role);
      }
      assertThat(pgbouncerPids()).hasSize(before.size() + 1);
    } finally {
      bouncer.close();
    }
    assertThat(bouncer.isRunning()).isFalse();
    bouncer.close(); // idempotent
    assertThat(pgbouncerPids()).isEqualTo(before);
    assertThat(accepts(port)).as("nothing listens on its port").isFalse();
    assertThat(
            Jdbc.adminQuery(
                server,
                "postgres",
                "select count(*) from pg_roles where rolname = any(string_to_array('"
                    + lookup
                    + "', ','))"))
        .isEqualTo("0");
    Await.until(
        "PgBouncer's server connections gone",
        Duration.ofSeconds(10),
        () -> server.backendCount(role) == 0);
  }

  private static Set<Long> pgbouncerPids() {
    return ProcessHandle.allProcesses()
        .filter(
            p ->
                p.info()
                    .commandLine()
                    .map(c -> c.contains("pgbouncer") && c.contains("userbound-pgbouncer-"))
                    .orElse(false))
        .filter(p -> !p.info().command().map(c -> c.endsWith("runuser")).orElse(false))
        .map(ProcessHandle::pid)
        .collect(Collectors.toSet());
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
