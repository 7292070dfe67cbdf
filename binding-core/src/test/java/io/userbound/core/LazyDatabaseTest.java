package io.userbound.core;

import static io.userbound.core.Fixtures.currentUser;
import static io.userbound.core.Fixtures.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.userbound.core.Fixtures.Person;
import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import io.userbound.testkit.TestPasswords;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;

@ExtendWith(PostgresExtension.class)
class LazyDatabaseTest {

  @Test
  void otherDatabase_opensOnFirstUseOnly(PostgresServer server, TestNames names) throws Exception {
    Person alice = person(names);
    String staff = names.createDatabase();
    Userbound ub =
        Fixtures.userbound(
            Fixtures.database("finance", server, "postgres").build(),
            Fixtures.database("staff", server, staff).build());
    Login login = ub.login(alice.role(), alice.password());
    assertThat(ub.stats("staff").pools()).isZero();
    assertThat(ub.stats("staff").budgetUsed()).isZero();
    try (Binding b = ub.bind(login);
        Connection c = ub.connection("staff")) {
      assertThat(currentUser(c)).isEqualTo(alice.role());
      try (var st = c.createStatement();
          var rs = st.executeQuery("select current_database()")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo(staff);
      }
    }
    assertThat(ub.stats("staff").pools()).isEqualTo(1);
  }

  @Test
  void otherDatabase_withoutConnectPrivilege_isAccessDenied(
      PostgresServer server, TestNames names) {
    Person alice = person(names);
    String locked = names.createDatabase();
    server.execute(locked, "REVOKE CONNECT ON DATABASE \"" + locked + "\" FROM PUBLIC");
    Userbound ub =
        Fixtures.userbound(
            Fixtures.database("finance", server, "postgres").build(),
            Fixtures.database("locked", server, locked).build());
    Login login = ub.login(alice.role(), alice.password());
    assertThatThrownBy(() -> ub.connection(login, "locked"))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("locked")
        .satisfies(e -> assertThat(((AccessDeniedException) e).sqlState()).isEqualTo("42501"));
    assertThat(ub.stats("locked").pools()).isZero();
    assertThat(ub.stats("locked").budgetUsed()).isZero();
  }

  @Test
  void otherDatabase_onAnotherServerWithAnotherPassword_isLoginFailed(
      PostgresServer server, TestNames names) {
    Person alice = person(names);
    String other = names.createDatabase();
    Userbound ub =
        Fixtures.userbound(
            Fixtures.database("finance", server, "postgres").build(),
            Fixtures.database("staff", server, other).build());
    Login login = ub.login(alice.role(), alice.password());
    try (Connection admin = server.adminConnection("postgres")) {
      admin
          .unwrap(PGConnection.class)
          .alterUserPassword(alice.role(), TestPasswords.fresh(), "scram-sha-256");
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
    assertThatThrownBy(() -> ub.connection(login, "staff"))
        .isInstanceOf(LoginFailedException.class)
        .satisfies(e -> assertThat(((LoginFailedException) e).database()).isEqualTo("staff"));
  }
}
