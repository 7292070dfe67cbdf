package io.userbound.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class ScramAuthenticationTest {
  private static final char[] PASSWORD = "correct horse".toCharArray();

  @Test
  void login_wrongPasswordRefusedWith28P01(PostgresServer server, TestNames names) {
    String role = names.login(PASSWORD);

    assertThatThrownBy(
            () -> Jdbc.connect(server.jdbcUrl("postgres"), role, "wrong".toCharArray()).close())
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
  }

  @Test
  void login_rightPasswordConnects(PostgresServer server, TestNames names) throws SQLException {
    String role = names.login(PASSWORD);

    try (Connection c = Jdbc.connect(server.jdbcUrl("postgres"), role, PASSWORD)) {
      assertThat(Jdbc.queryString(c, "SELECT current_user")).isEqualTo(role);
    }
  }

  @Test
  void admin_wrongPasswordRefusedWith28P01(PostgresServer server) {
    assertThatThrownBy(
            () ->
                Jdbc.connect(
                        server.jdbcUrl("postgres"),
                        server.adminUser(),
                        "not-the-password".toCharArray())
                    .close())
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
  }

  @Test
  void admin_rightPasswordIsSuperuser(PostgresServer server) throws SQLException {
    try (Connection c =
        Jdbc.connect(server.jdbcUrl("postgres"), server.adminUser(), server.adminPassword())) {
      assertThat(Jdbc.queryString(c, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))
          .isEqualTo("t");
    }
  }

  @Test
  void connect_withoutPasswordIsRefused(PostgresServer server, TestNames names) {
    String role = names.login(PASSWORD);

    // The server asks for SCRAM (pg_hba is not "trust"), so the driver has nothing to send.
    assertThatThrownBy(() -> Jdbc.connect(server.jdbcUrl("postgres"), role, null).close())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("SCRAM");
  }

  @Test
  void server_passwordEncryptionIsScram(PostgresServer server, TestNames names) {
    String role = names.login(PASSWORD);

    assertThat(Jdbc.adminQuery(server, "postgres", "SHOW password_encryption"))
        .isEqualTo("scram-sha-256");
    assertThat(
            Jdbc.adminQuery(
                server,
                "postgres",
                "SELECT rolpassword FROM pg_authid WHERE rolname = '" + role + "'"))
        .startsWith("SCRAM-SHA-256$");
  }

  @Test
  void server_hbaRulesAreAllScram(PostgresServer server) throws SQLException {
    List<String> methods = new ArrayList<>();
    try (Connection c = server.adminConnection("postgres");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT DISTINCT auth_method FROM pg_hba_file_rules")) {
      while (rs.next()) {
        methods.add(rs.getString(1));
      }
    }

    assertThat(methods).containsExactly("scram-sha-256");
  }

  @Test
  void adminPassword_isRandomCopyAndNotInToString(PostgresServer server) {
    char[] copy = server.adminPassword();
    copy[0] = '#';

    assertThat(server.adminPassword()).hasSizeGreaterThanOrEqualTo(20).doesNotContain('#');
    assertThat(new String(server.adminPassword())).matches("[A-Za-z0-9]+");
    assertThat(server.toString()).doesNotContain(new String(server.adminPassword()));
  }
}
