package io.userbound.core;

import static io.userbound.core.Fixtures.currentUser;
import static io.userbound.core.Fixtures.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.userbound.core.Fixtures.Person;
import io.userbound.testkit.Await;
import io.userbound.testkit.PgBouncer;
import io.userbound.testkit.PgBouncer.PoolMode;
import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Expired passwords through PgBouncer (the class of PgBouncer's CVE-2025-2291). PgBouncer
 * checks a client only against the verifier its {@code auth_query} returns; in session mode it
 * then hands the client a server connection it still holds for the same role, and PostgreSQL
 * never checks that login. The test kit's lookup returns no verifier for a role whose {@code
 * VALID UNTIL} has passed, so the login is refused before any server connection is involved.
 */
@ExtendWith(PostgresExtension.class)
class PgBouncerExpiryTest {

  /** Longer than a test takes: an idle server connection of a person stays while it runs. */
  private static final Duration HELD = Duration.ofMinutes(2);

  private static Userbound through(PgBouncer bouncer) {
    return Fixtures.userbound(
        DatabaseConfig.builder("main", bouncer.jdbcUrl("postgres"))
            .connectionTimeout(Duration.ofSeconds(3))
            .build());
  }

  private static void expire(PostgresServer server, String role) {
    server.execute("postgres", "ALTER ROLE \"" + role + "\" VALID UNTIL '2000-01-01 00:00:00+00'");
  }

  private static int backendPid(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  void expiredPassword_isLoginFailed(PostgresServer server, TestNames names) {
    Person alice = person(names);
    expire(server, alice.role());
    try (PgBouncer bouncer = PgBouncer.start(server, PoolMode.SESSION, HELD)) {
      Userbound ub = through(bouncer);
      assertThatThrownBy(() -> ub.login(alice.role(), alice.password()))
          .isInstanceOfSatisfying(
              LoginFailedException.class, e -> assertThat(e.sqlState()).isEqualTo("28P01"));
      assertThat(ub.stats("main").loginsAccepted()).isZero();
    }
  }

  @Test
  void expiredPassword_isLoginFailed_whilePgBouncerHoldsTheirServerConnection(
      PostgresServer server, TestNames names) throws SQLException {
    Person alice = person(names);
    try (PgBouncer bouncer = PgBouncer.start(server, PoolMode.SESSION, HELD)) {
      Userbound ub = through(bouncer);
      Login first = ub.login(alice.role(), alice.password());
      int pid;
      try (Connection c = ub.connection(first, "main")) {
        assertThat(currentUser(c)).isEqualTo(alice.role());
        pid = backendPid(c);
      }
      ub.logout(first);
      Await.until(
          "alice's clients gone from PgBouncer",
          Duration.ofSeconds(10),
          () -> bouncer.clientCount(alice.role()) == 0);
      // The path under test exists: a new login of hers is served by the held connection.
      Login again = ub.login(alice.role(), alice.password());
      try (Connection c = ub.connection(again, "main")) {
        assertThat(backendPid(c)).as("PgBouncer handed back the server connection").isEqualTo(pid);
      }
      ub.logout(again);
      Await.until(
          "alice's clients gone from PgBouncer",
          Duration.ofSeconds(10),
          () -> bouncer.clientCount(alice.role()) == 0);
      assertThat(bouncer.serverCount(alice.role())).as("held for her").isEqualTo(1);

      expire(server, alice.role());
      assertThatThrownBy(() -> ub.login(alice.role(), alice.password()))
          .isInstanceOfSatisfying(
              LoginFailedException.class,
              e -> {
                assertThat(e.sqlState()).isEqualTo("28P01");
                assertThat(e.getMessage())
                    .contains("(wrong password, unknown role, or a role that may not log in)");
              });
      assertThat(bouncer.serverCount(alice.role()))
          .as("the connection was still held when the login was refused")
          .isEqualTo(1);
      assertThat(ub.stats("main").loginsRefused()).isEqualTo(1);
    }
  }
}
