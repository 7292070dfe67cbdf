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
import io.userbound.testkit.TestPasswords;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;

@ExtendWith(PostgresExtension.class)
class PasswordChangeTest {

  @Test
  void wrongPassword_forRoleWithLivePool_getsNothingFromIt(PostgresServer server, TestNames names)
      throws Exception {
    Person alice = person(names);
    Userbound ub = Fixtures.userbound(server);
    Login good = ub.login(alice.role(), alice.password());
    try (Connection c = ub.connection(good, "main")) {
      assertThat(currentUser(c)).isEqualTo(alice.role());
    }
    int pid = pidOf(ub, good);
    assertThatThrownBy(() -> ub.login(alice.role(), TestPasswords.fresh()))
        .isInstanceOf(LoginFailedException.class);
    // The live pool is untouched: same backend, still serving the right password.
    assertThat(pidOf(ub, good)).isEqualTo(pid);
    assertThat(ub.stats("main").pools()).isEqualTo(1);
    assertThat(ub.stats("main").poolsEvicted()).isZero();
  }

  @Test
  void changedPassword_retiresTheOldPool(PostgresServer server, TestNames names) throws Exception {
    Person alice = person(names);
    Userbound ub = Fixtures.userbound(server);
    Login old = ub.login(alice.role(), alice.password());
    int oldPid = pidOf(ub, old);

    char[] newPassword = TestPasswords.fresh();
    try (Connection admin = server.adminConnection("postgres")) {
      admin
          .unwrap(PGConnection.class)
          .alterUserPassword(alice.role(), newPassword.clone(), "scram-sha-256");
    }
    Login renewed = ub.login(alice.role(), newPassword);
    int newPid = pidOf(ub, renewed);
    assertThat(newPid).isNotEqualTo(oldPid);
    Await.until(
        "old pool's backend closed",
        Duration.ofSeconds(10),
        () -> server.backends().stream().noneMatch(b -> b.pid() == oldPid));
    assertThat(ub.stats("main").poolsEvicted()).isEqualTo(1);

    // The stale login is refused by PostgreSQL and does not disturb the new pool.
    assertThatThrownBy(() -> ub.connection(old, "main")).isInstanceOf(LoginFailedException.class);
    assertThat(pidOf(ub, renewed)).isEqualTo(newPid);
  }

  @Test
  void passwordChangedServerSide_nextNewConnectionIsRefused(PostgresServer server, TestNames names)
      throws Exception {
    Person alice = person(names);
    Userbound ub =
        Fixtures.userbound(
            Fixtures.database("main", server, "postgres")
                .connectionTimeout(Duration.ofMillis(500))
                .build());
    Login login = ub.login(alice.role(), alice.password());
    try (Connection admin = server.adminConnection("postgres")) {
      admin
          .unwrap(PGConnection.class)
          .alterUserPassword(alice.role(), TestPasswords.fresh(), "scram-sha-256");
    }
    // The existing connection still works (PostgreSQL keeps sessions), a new one is refused.
    try (Connection held = ub.connection(login, "main")) {
      assertThat(currentUser(held)).isEqualTo(alice.role());
      assertThatThrownBy(() -> ub.connection(login, "main"))
          .isInstanceOf(LoginFailedException.class);
    }
  }

  private static int pidOf(Userbound ub, Login login) throws Exception {
    try (Connection c = ub.connection(login, "main")) {
      return c.unwrap(PGConnection.class).getBackendPID();
    }
  }
}
