package io.userbound.core;

import static io.userbound.core.Fixtures.currentUser;
import static io.userbound.core.Fixtures.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.userbound.core.Fixtures.Person;
import io.userbound.testkit.Await;
import io.userbound.testkit.PgBouncer;
import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import io.userbound.testkit.TestPasswords;
import java.sql.Connection;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@ExtendWith(PostgresExtension.class)
class LoginTest {

  @Tag("pg-smoke")
  @Test
  void login_rightPassword_givesConnectionsAsThatRole(PostgresServer server, TestNames names)
      throws Exception {
    Person alice = person(names);
    Userbound ub = Fixtures.userbound(server);
    Login login = ub.login(alice.role(), alice.password());
    assertThat(login.role()).isEqualTo(alice.role());
    try (Binding b = ub.bind(login);
        Connection c = ub.connection("main")) {
      assertThat(currentUser(c)).isEqualTo(alice.role());
    }
    DatabaseStats s = ub.stats("main");
    assertThat(s.pools()).isEqualTo(1);
    assertThat(s.loginsAccepted()).isEqualTo(1);
    assertThat(s.budgetUsed()).isEqualTo(1); // the login's own connection became the pool's first
  }

  @Tag("pg-smoke")
  @Test
  void login_wrongPassword_isRefusedWith28P01AndLeavesNothing(
      PostgresServer server, TestNames names) {
    Person alice = person(names);
    Userbound ub = Fixtures.userbound(server);
    char[] wrong = TestPasswords.fresh();
    assertThatThrownBy(() -> ub.login(alice.role(), wrong))
        .isInstanceOf(LoginFailedException.class)
        .satisfies(e -> assertThat(((LoginFailedException) e).sqlState()).isEqualTo("28P01"))
        .hasMessageNotContaining(new String(wrong));
    DatabaseStats s = ub.stats("main");
    assertThat(s.pools()).isZero();
    assertThat(s.budgetUsed()).isZero();
    assertThat(s.loginsRefused()).isEqualTo(1);
  }

  @Test
  void login_unknownRole_looksLikeWrongPassword(PostgresServer server, TestNames names) {
    Person alice = person(names);
    Userbound ub = Fixtures.userbound(server);
    char[] pw = TestPasswords.fresh();
    Throwable unknown = Assertions.catchThrowable(() -> ub.login(names.role("ghost"), pw));
    Throwable wrong = Assertions.catchThrowable(() -> ub.login(alice.role(), pw));
    assertThat(unknown).isInstanceOf(LoginFailedException.class);
    assertThat(wrong).isInstanceOf(LoginFailedException.class);
    assertThat(unknown.getMessage().replace(names.role("ghost"), "X"))
        .isEqualTo(wrong.getMessage().replace(alice.role(), "X"));
    assertThat(((LoginFailedException) unknown).sqlState())
        .isEqualTo(((LoginFailedException) wrong).sqlState());
  }

  @Test
  void login_roleWithoutLoginPrivilege_isRefused(PostgresServer server, TestNames names) {
    Person bob = person(names);
    server.execute("postgres", "ALTER ROLE \"" + bob.role() + "\" NOLOGIN");
    Userbound ub = Fixtures.userbound(server);
    // PgBouncer's lookup (pg_shadow) has no row for a NOLOGIN role: "no such user", which
    // Userbound reports as the wrong-password refusal, 28P01.
    String expected = PgBouncer.suiteMode().isPresent() ? "28P01" : "28000";
    assertThatThrownBy(() -> ub.login(bob.role(), bob.password()))
        .isInstanceOf(LoginFailedException.class)
        .satisfies(e -> assertThat(((LoginFailedException) e).sqlState()).isEqualTo(expected));
    assertThat(ub.stats("main").pools()).isZero();
  }

  static Stream<Arguments> hostileRoles() {
    return Stream.of(
        Arguments.of("quote", "ali\"ce"),
        Arguments.of("single quote and semicolon", "x'; DROP ROLE postgres; --"),
        Arguments.of("nul", "ali\0ce"),
        Arguments.of("empty", ""),
        Arguments.of("10,000 characters", "a".repeat(10_000)),
        Arguments.of("64 bytes", "b".repeat(64)),
        Arguments.of("unpaired surrogate", "ali\uD800ce"),
        Arguments.of("emoji and accents", "zoë_\uD83D\uDE00"),
        Arguments.of("newline", "alice\nINFO fake log line"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileRoles")
  void login_hostileRoleName_isTypedAndCreatesNothing(
      String label, String role, PostgresServer server) throws Exception {
    Userbound ub = Fixtures.userbound(server);
    char[] pw = TestPasswords.fresh();
    assertThatThrownBy(() -> ub.login(role, pw)).isInstanceOf(LoginFailedException.class);
    assertThat(ub.stats("main").pools()).isZero();
    assertThat(ub.stats("main").budgetUsed()).isZero();
    try (Connection c = server.adminConnection("postgres");
        var st = c.createStatement();
        var rs = st.executeQuery("select 1")) {
      assertThat(rs.next()).as("server still fine").isTrue();
    }
  }

  @Test
  void login_hostileRoleThatExists_works(PostgresServer server, TestNames names) throws Exception {
    String role = names.role("hostile") + "q\"u;o't";
    char[] pw = TestPasswords.fresh();
    server.createLogin(role, pw);
    try {
      Userbound ub = Fixtures.userbound(server);
      Login login = ub.login(role, pw);
      try (Connection c = ub.connection(login, "main")) {
        assertThat(currentUser(c)).isEqualTo(role);
      }
    } finally {
      server.dropRole(role);
    }
  }

  @Test
  void login_emptyOrHugePassword_isTyped(PostgresServer server, TestNames names) {
    Person alice = person(names);
    Userbound ub = Fixtures.userbound(server);
    assertThatThrownBy(() -> ub.login(alice.role(), new char[0]))
        .isInstanceOf(LoginFailedException.class)
        .hasMessageContaining("password is empty");
    char[] huge = new char[1_000_000];
    Arrays.fill(huge, 'x');
    assertThatThrownBy(() -> ub.login(alice.role(), huge))
        .isInstanceOf(LoginFailedException.class)
        .hasMessageContaining("longer than");
    char[] long4000 = TestPasswords.remember("y".repeat(4000).toCharArray());
    assertThatThrownBy(() -> ub.login(alice.role(), long4000))
        .isInstanceOf(LoginFailedException.class)
        .satisfies(e -> assertThat(((LoginFailedException) e).sqlState()).isEqualTo("28P01"));
    assertThat(ub.stats("main").pools()).isZero();
  }

  @Test
  void login_callerMayWipeItsPassword(PostgresServer server, TestNames names) throws Exception {
    Person alice = person(names);
    Userbound ub = Fixtures.userbound(server);
    char[] copy = alice.password().clone();
    Login login = ub.login(alice.role(), copy);
    Arrays.fill(copy, '\0');
    ub.stats("main");
    // A second connection while the first is held needs a new physical login with the stored copy.
    try (Connection a = ub.connection(login, "main");
        Connection b = ub.connection(login, "main")) {
      assertThat(currentUser(a)).isEqualTo(alice.role());
      assertThat(currentUser(b)).isEqualTo(alice.role());
    }
  }

  @Test
  void toString_neverShowsPassword(PostgresServer server, TestNames names) throws Exception {
    Person alice = person(names);
    Userbound ub = Fixtures.userbound(server);
    Login login = ub.login(alice.role(), alice.password());
    String pw = new String(alice.password());
    try (Binding b = ub.bind(login);
        Connection c = ub.connection("main")) {
      assertThat(login.toString()).contains(alice.role()).doesNotContain(pw);
      assertThat(b.toString()).doesNotContain(pw);
      assertThat(c.toString()).doesNotContain(pw);
      assertThat(ub.toString()).doesNotContain(pw);
      assertThat(ub.config().toString()).doesNotContain(pw);
    }
  }

  @Tag("pg-smoke")
  @Test
  void logout_closesPoolsAtOnceAndRefusesTheLogin(PostgresServer server, TestNames names)
      throws Exception {
    Person alice = person(names);
    Userbound ub = Fixtures.userbound(server);
    Login login = ub.login(alice.role(), alice.password());
    try (Connection c = ub.connection(login, "main")) {
      assertThat(currentUser(c)).isEqualTo(alice.role());
    }
    assertThat(server.backendCount(alice.role())).isEqualTo(1);
    ub.logout(login);
    assertThat(login.isLoggedOut()).isTrue();
    Await.until(
        "alice's backends closed",
        Duration.ofSeconds(10),
        () -> server.backendCount(alice.role()) == 0);
    assertThat(ub.stats("main").budgetUsed()).isZero();
    assertThatThrownBy(() -> ub.connection(login, "main"))
        .isInstanceOf(LoginFailedException.class)
        .hasMessageContaining("logged out");
    ub.logout(login); // idempotent
  }

  @Test
  void logout_whileConnectionInUse_closesItOnlyWhenHandedBack(
      PostgresServer server, TestNames names) throws Exception {
    Person alice = person(names);
    Userbound ub = Fixtures.userbound(server);
    Login login = ub.login(alice.role(), alice.password());
    Connection held = ub.connection(login, "main");
    ub.logout(login);
    assertThat(currentUser(held)).as("still usable under the request").isEqualTo(alice.role());
    held.close();
    Await.until(
        "backend closed after hand-back",
        Duration.ofSeconds(10),
        () -> server.backendCount(alice.role()) == 0);
  }

  @Test
  void release_refusesThatLoginButKeepsThePersonsPools(PostgresServer server, TestNames names)
      throws Exception {
    Person alice = person(names);
    Userbound ub = Fixtures.userbound(server);
    Login first = ub.login(alice.role(), alice.password());
    Login second = ub.login(alice.role(), alice.password());
    try (Connection c = ub.connection(second, "main")) {
      assertThat(currentUser(c)).isEqualTo(alice.role());
    }
    ub.release(first);
    assertThat(first.isLoggedOut()).isTrue();
    assertThatThrownBy(() -> ub.connection(first, "main")).isInstanceOf(LoginFailedException.class);
    try (Connection c = ub.connection(second, "main")) {
      assertThat(currentUser(c)).isEqualTo(alice.role());
    }
    assertThat(ub.stats("main").poolsEvicted()).isZero();
  }

  @Test
  void loginOfAnotherInstance_isRejected(PostgresServer server, TestNames names) {
    Person alice = person(names);
    Userbound one = Fixtures.userbound(server);
    Userbound two = Fixtures.userbound(server);
    Login login = one.login(alice.role(), alice.password());
    assertThatThrownBy(() -> two.bind(login)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> two.connection(login, "main"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
