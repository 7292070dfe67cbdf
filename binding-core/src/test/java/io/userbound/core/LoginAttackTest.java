package io.userbound.core;

import static io.userbound.core.Fixtures.currentUser;
import static io.userbound.core.Fixtures.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.userbound.core.Fixtures.Person;
import io.userbound.testkit.Await;
import io.userbound.testkit.CapturedLogs;
import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import io.userbound.testkit.TestPasswords;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The login form will be attacked: failed logins cost nobody else anything, and a login proves what
 * it should.
 */
@ExtendWith(PostgresExtension.class)
class LoginAttackTest {

  private static int backendPid(Connection c) throws Exception {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  void failedLoginFlood_neitherReclaimsNorReconnectsALoggedInPerson(
      PostgresServer server, TestNames names) throws Exception {
    Person steady = person(names);
    Userbound ub =
        Fixtures.userbound(
            UserboundConfig.builder()
                .database(
                    Fixtures.database("main", server, "postgres")
                        .budget(2)
                        .maxConnectionsPerPerson(1)
                        .build())
                .build());
    Login login = ub.login(steady.role(), steady.password());
    int pid;
    try (Connection c = ub.connection(login, "main")) {
      pid = backendPid(c);
    }
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong attempts = new AtomicLong();
    AtomicLong throttled = new AtomicLong();
    ExecutorService flood = Executors.newFixedThreadPool(4);
    List<Future<?>> flooders = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int thread = t;
      flooders.add(
          flood.submit(
              () -> {
                for (int i = 0; !stop.get(); i++) {
                  try {
                    ub.login(names.role("made_up_" + thread + "_" + i), "guess".toCharArray());
                  } catch (LoginFailedException expected) {
                    attempts.incrementAndGet();
                  } catch (LoginThrottledException expected) {
                    throttled.incrementAndGet();
                  }
                }
                return null;
              }));
    }
    long worst = 0;
    int requests = 0;
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while ((attempts.get() < 300 || requests < 20) && System.nanoTime() < deadline) {
        long t0 = System.nanoTime();
        try (Connection c = ub.connection(login, "main")) {
          assertThat(backendPid(c))
              .as("the steady person's connection was never replaced")
              .isEqualTo(pid);
        }
        worst = Math.max(worst, System.nanoTime() - t0);
        requests++;
      }
    } finally {
      stop.set(true);
      for (Future<?> f : flooders) {
        f.get(30, TimeUnit.SECONDS);
      }
      flood.shutdownNow();
    }
    DatabaseStats s = ub.stats("main");
    System.out.printf(
        "failed-login flood: %d refused, %d throttled; steady person: %d requests, no reconnect,"
            + " worst %.1f ms; reclaimed %d%n",
        attempts.get(), throttled.get(), requests, worst / 1e6, s.connectionsReclaimed());
    assertThat(attempts.get()).isGreaterThanOrEqualTo(300);
    assertThat(s.connectionsReclaimed()).as("no reclaim for unverified logins").isZero();
    assertThat(s.budgetUsed()).isEqualTo(1);
  }

  @Test
  void repeatedFailures_throttleTheRole_withoutAskingTheDatabase(
      PostgresServer server, TestNames names) {
    Person alice = person(names);
    Userbound ub =
        Fixtures.userbound(
            UserboundConfig.builder()
                .database(Fixtures.database("main", server, "postgres").build())
                .loginThrottling(
                    LoginThrottling.builder()
                        .failuresPerRole(3)
                        .backoff(Duration.ofMillis(300))
                        .maxBackoffPerRole(Duration.ofMillis(300))
                        .build())
                .build());
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> ub.login(alice.role(), "wrong".toCharArray()))
          .isInstanceOf(LoginFailedException.class);
    }
    long refusedBefore = ub.stats("main").loginsRefused();
    assertThatThrownBy(() -> ub.login(alice.role(), alice.password()))
        .as("even the right password waits out the back-off")
        .isInstanceOf(LoginThrottledException.class)
        .satisfies(e -> assertThat(((LoginThrottledException) e).retryAfter()).isPositive());
    assertThat(ub.stats("main").loginsRefused())
        .as("the database was not asked")
        .isEqualTo(refusedBefore);
    assertThat(ub.stats("main").loginsThrottled()).isEqualTo(1);
    Await.until(
        "the back-off ends",
        Duration.ofSeconds(10),
        () -> {
          try {
            ub.logout(ub.login(alice.role(), alice.password()));
            return true;
          } catch (LoginThrottledException e) {
            return false;
          }
        });
  }

  @Test
  void repeatedFailures_throttleTheClient_acrossRoles(PostgresServer server, TestNames names) {
    Person alice = person(names);
    Userbound ub =
        Fixtures.userbound(
            UserboundConfig.builder()
                .database(Fixtures.database("main", server, "postgres").build())
                .loginThrottling(LoginThrottling.builder().failuresPerClient(4).build())
                .build());
    for (int i = 0; i < 4; i++) {
      String role = names.role("nobody" + i);
      assertThatThrownBy(() -> ub.login(role, "x".toCharArray(), "203.0.113.7"))
          .isInstanceOf(LoginFailedException.class);
    }
    assertThatThrownBy(() -> ub.login(alice.role(), alice.password(), "203.0.113.7"))
        .isInstanceOf(LoginThrottledException.class);
    ub.logout(
        ub.login(
            alice.role(), alice.password(), "198.51.100.2")); // another client is not throttled
  }

  @Test
  void privilegedRoles_areRefusedLikeAWrongPassword(PostgresServer server, TestNames names) {
    Userbound ub = Fixtures.userbound(server);
    char[] admin = server.adminPassword();
    assertThatThrownBy(() -> ub.login(server.adminUser(), admin))
        .isInstanceOf(LoginFailedException.class)
        .hasMessage(
            "database 'main' refused the login of '"
                + server.adminUser()
                + "' (wrong password, unknown role, or a role that may not log in)");
    for (String attribute : List.of("BYPASSRLS", "REPLICATION")) {
      Person p = person(names);
      server.execute("postgres", "ALTER ROLE \"" + p.role() + "\" " + attribute);
      assertThatThrownBy(() -> ub.login(p.role(), p.password()))
          .as(attribute)
          .isInstanceOf(LoginFailedException.class)
          .hasMessageContaining("wrong password, unknown role");
    }
    assertThat(CapturedLogs.lines())
        .anySatisfy(l -> assertThat(l).contains("the login policy refused").contains("superuser"));
    assertThat(ub.stats("main").pools()).isZero();
    assertThat(ub.stats("main").budgetUsed()).isZero();
    Userbound open =
        Fixtures.userbound(
            UserboundConfig.builder()
                .database(Fixtures.database("main", server, "postgres").build())
                .loginPolicy(LoginPolicy.anyRole())
                .build());
    open.logout(open.login(server.adminUser(), admin));
  }

  /*
   * The policy's question runs in the person's new session, where their own ALTER ROLE ...
   * SET search_path already applies: an outsider with a schema of their own puts an "=" on
   * oid that always says yes before pg_catalog, which would make every group theirs.
   */
  @Test
  void allowMembersOf_cannotBeBentByTheOutsidersOwnOperators(PostgresServer server, TestNames names)
      throws Exception {
    Person member = person(names);
    Person outsider = person(names);
    String group = names.role("readers");
    String schema = names.role("mine");
    server.createGroupRole(group);
    server.execute("postgres", "GRANT \"" + group + "\" TO \"" + member.role() + "\"");
    server.execute(
        "postgres", "CREATE SCHEMA " + schema + " AUTHORIZATION \"" + outsider.role() + "\"");
    server.execute(
        "postgres",
        "CREATE FUNCTION "
            + schema
            + ".yes(oid, oid) RETURNS boolean LANGUAGE sql AS $$ select true $$;"
            + " CREATE OPERATOR "
            + schema
            + ".= (LEFTARG = oid, RIGHTARG = oid, FUNCTION = "
            + schema
            + ".yes); ALTER ROLE \""
            + outsider.role()
            + "\" SET search_path = "
            + schema
            + ", pg_catalog");
    try (Connection c =
            DriverManager.getConnection(
                server.jdbcUrl("postgres"), outsider.role(), new String(outsider.password()));
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select 1::oid = 2::oid")) {
      rs.next();
      assertThat(rs.getBoolean(1)).as("the outsider's = is the one found").isTrue();
    }
    Userbound ub =
        Fixtures.userbound(
            UserboundConfig.builder()
                .database(Fixtures.database("main", server, "postgres").build())
                .loginPolicy(LoginPolicy.allowMembersOf(group))
                .build());
    ub.logout(ub.login(member.role(), member.password()));
    assertThatThrownBy(() -> ub.login(outsider.role(), outsider.password()))
        .isInstanceOf(LoginFailedException.class);
  }

  @Test
  void allowMembersOf_admitsOnlyMembersOfTheGroups(PostgresServer server, TestNames names) {
    Person member = person(names);
    Person indirect = person(names);
    Person outsider = person(names);
    String group = names.role("readers");
    String nested = names.role("nested");
    server.createGroupRole(group);
    server.createGroupRole(nested);
    server.execute(
        "postgres",
        "GRANT \""
            + group
            + "\" TO \""
            + member.role()
            + "\"; GRANT \""
            + group
            + "\" TO \""
            + nested
            + "\"; GRANT \""
            + nested
            + "\" TO \""
            + indirect.role()
            + "\"");
    Userbound ub =
        Fixtures.userbound(
            UserboundConfig.builder()
                .database(Fixtures.database("main", server, "postgres").build())
                .loginPolicy(LoginPolicy.allowMembersOf(group))
                .build());
    ub.logout(ub.login(member.role(), member.password()));
    ub.logout(ub.login(indirect.role(), indirect.password()));
    assertThatThrownBy(() -> ub.login(outsider.role(), outsider.password()))
        .isInstanceOf(LoginFailedException.class)
        .hasMessageContaining("wrong password, unknown role");
  }

  @Test
  void noConnectOnTheLoginDatabase_provesThePassword_andThatDatabaseIsDenied(
      PostgresServer server, TestNames names) throws Exception {
    Person alice = person(names);
    String closed = names.createDatabase();
    server.execute("postgres", "REVOKE CONNECT ON DATABASE \"" + closed + "\" FROM PUBLIC");
    Userbound ub =
        Fixtures.userbound(
            Fixtures.database("finance", server, closed).build(),
            Fixtures.database("staff", server, "postgres").build());
    Login login =
        ub.login(alice.role(), alice.password()); // finance verifies: 42501 after the password
    assertThatThrownBy(() -> ub.connection(login, "finance"))
        .isInstanceOf(AccessDeniedException.class);
    long accepted = ub.stats("finance").loginsAccepted();
    assertThatThrownBy(() -> ub.connection(login, "finance"))
        .isInstanceOf(AccessDeniedException.class);
    assertThat(ub.stats("finance").loginsAccepted())
        .as("remembered: not asked again")
        .isEqualTo(accepted);
    try (Connection c = ub.connection(login, "staff")) {
      assertThat(currentUser(c)).isEqualTo(alice.role());
    }
    assertThatThrownBy(() -> ub.login(alice.role(), "wrong".toCharArray()))
        .isInstanceOf(LoginFailedException.class);
  }

  @Test
  void verifyingDatabases_areTriedInOrder_untilOneAnswers(PostgresServer server, TestNames names)
      throws Exception {
    Person alice = person(names);
    Userbound ub =
        Fixtures.userbound(
            UserboundConfig.builder()
                .database(
                    DatabaseConfig.builder("down", "jdbc:postgresql://127.0.0.1:1/none")
                        .connectionTimeout(Duration.ofMillis(500))
                        .build())
                .database(Fixtures.database("up", server, "postgres").build())
                .verifyLoginsOn("down", "up")
                .build());
    Login login = ub.login(alice.role(), alice.password());
    try (Connection c = ub.connection(login, "up")) {
      assertThat(currentUser(c)).isEqualTo(alice.role());
    }
    assertThatThrownBy(() -> ub.login(alice.role(), "wrong".toCharArray()))
        .isInstanceOf(LoginFailedException.class);
    Userbound allDown =
        Fixtures.userbound(
            UserboundConfig.builder()
                .database(
                    DatabaseConfig.builder("down", "jdbc:postgresql://127.0.0.1:1/none")
                        .connectionTimeout(Duration.ofMillis(500))
                        .build())
                .build());
    assertThatThrownBy(() -> allDown.login(alice.role(), alice.password()))
        .isInstanceOf(DatabaseUnavailableException.class);
  }

  @Test
  void passwordThatSaslPrepCannotPrepare_isARefusedLogin(PostgresServer server, TestNames names) {
    Person alice = person(names);
    Userbound ub = Fixtures.userbound(server);
    int before = CapturedLogs.lines().size();
    assertThatThrownBy(() -> ub.login(alice.role(), "\u00AD\u200B".toCharArray()))
        .isInstanceOf(LoginFailedException.class);
    assertThat(ub.stats("main").loginsRefused()).isEqualTo(1);
    assertThat(CapturedLogs.lines().subList(before, CapturedLogs.lines().size()))
        .noneSatisfy(l -> assertThat(l).startsWith("WARN"));
  }

  @Test
  void logoutWhileARequestWaitsForBudget_leavesNoPool(PostgresServer server, TestNames names)
      throws Exception {
    Person alice = person(names);
    Person bob = person(names);
    Userbound ub =
        Fixtures.userbound(
            Fixtures.database("main", server, "postgres")
                .budget(1)
                .maxConnectionsPerPerson(1)
                .connectionTimeout(Duration.ofSeconds(10))
                .build());
    Login b = ub.login(bob.role(), bob.password());
    Login a =
        ub.login(alice.role(), alice.password()); // verified; no budget to keep its connection
    Connection held = ub.connection(b, "main");
    CompletableFuture<Object> request =
        CompletableFuture.supplyAsync(
            () -> {
              try (Connection c = ub.connection(a, "main")) {
                return currentUser(c);
              } catch (Exception | AssertionError e) {
                return e;
              }
            });
    Await.until(
        "alice's request waits for the budget",
        Duration.ofSeconds(10),
        () -> ub.stats("main").waiting() == 1);
    ub.logout(a);
    held.close();
    Object outcome = request.get(30, TimeUnit.SECONDS);
    assertThat(outcome).isInstanceOf(LoginFailedException.class);
    Await.until(
        "no pool and no backend left for the logged-out person",
        Duration.ofSeconds(10),
        () -> ub.stats("main").pools() == 1 && server.backendCount(alice.role()) == 0);
    assertThat(ub.stats("main").budgetUsed()).isLessThanOrEqualTo(1);
  }

  @Test
  void sessionRunningAsAnotherRole_isRefused_andOpensNoPool(
      PostgresServer server, TestNames names) {
    Person alice = person(names);
    String group = names.role("grp");
    server.createGroupRole(group);
    server.execute(
        "postgres",
        "GRANT \""
            + group
            + "\" TO \""
            + alice.role()
            + "\"; ALTER ROLE \""
            + alice.role()
            + "\" SET role = '"
            + group
            + "'");
    Userbound ub = Fixtures.userbound(server);
    assertThatThrownBy(() -> ub.login(alice.role(), alice.password()))
        .isInstanceOf(LoginFailedException.class)
        .hasMessageContaining("current_user '" + group + "'")
        .hasMessageContaining("ALTER ROLE");
    assertThat(ub.stats("main").pools()).isZero();
    assertThat(server.backendCount(alice.role())).isZero();
  }

  @Test
  void unverifiedTlsToAnotherHost_isWarnedAtStartUp() {
    int before = CapturedLogs.lines().size();
    try (Userbound remote =
        Userbound.create(
            UserboundConfig.builder()
                .database(
                    DatabaseConfig.builder("far", "jdbc:postgresql://db.example.com:5432/app")
                        .build())
                .database(
                    DatabaseConfig.builder(
                            "verified", "jdbc:postgresql://db.example.com/app?sslmode=verify-full")
                        .build())
                .database(
                    DatabaseConfig.builder("local", "jdbc:postgresql://127.0.0.1/app").build())
                .build())) {
      List<String> lines = CapturedLogs.lines().subList(before, CapturedLogs.lines().size());
      assertThat(lines).filteredOn(l -> l.contains("sslmode=")).hasSize(1);
      assertThat(lines)
          .anySatisfy(
              l -> assertThat(l).startsWith("WARN").contains("'far'").contains("sslmode=prefer"));
    }
  }

  @Test
  void impossibleInputs_areRefusedBeforeAnyDatabase(PostgresServer server) {
    Userbound ub = Fixtures.userbound(server);
    char[] pw = TestPasswords.fresh();
    for (String role : new String[] {"", "x".repeat(64), "a\0b", "\uD800"}) {
      assertThatThrownBy(() -> ub.login(role, pw)).isInstanceOf(LoginFailedException.class);
    }
    assertThat(ub.stats("main").loginsRefused()).as("no database asked").isZero();
  }
}
