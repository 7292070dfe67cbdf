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
import io.userbound.testkit.PostgresOptions;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import io.userbound.testkit.TestPasswords;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postgresql.PGConnection;

/**
 * Userbound through a real PgBouncer (session and transaction mode): what differs from a
 * direct server, and that Userbound gives the same typed answers and the same isolation.
 */
@ExtendWith(PostgresExtension.class)
class PgBouncerTest {

  private static DatabaseConfig.Builder through(PgBouncer bouncer, String name, String db) {
    return DatabaseConfig.builder(name, bouncer.jdbcUrl(db))
        .connectionTimeout(Duration.ofSeconds(3));
  }

  @ParameterizedTest
  @EnumSource(PoolMode.class)
  void refusedLogins_areLoginFailed_notAnOutage(
      PoolMode mode, PostgresServer server, TestNames names) throws SQLException {
    Person alice = person(names);
    String locked = names.login(TestPasswords.fresh());
    server.execute("postgres", "ALTER ROLE \"" + locked + "\" NOLOGIN");
    try (PgBouncer bouncer = PgBouncer.start(server, mode)) {
      Userbound ub = Fixtures.userbound(through(bouncer, "main", "postgres").build());
      // PgBouncer says 08P01 for each ("SASL authentication failed", "no such user").
      List<Throwable> refusals = new ArrayList<>();
      refusals.add(refusal(ub, alice.role(), "wrong".toCharArray()));
      refusals.add(refusal(ub, names.role("nobody"), alice.password()));
      refusals.add(refusal(ub, locked, alice.password()));
      refusals.add(refusal(ub, server.adminUser(), server.adminPassword()));
      for (Throwable t : refusals) {
        assertThat(t).isInstanceOf(LoginFailedException.class);
        assertThat(((LoginFailedException) t).sqlState()).isEqualTo("28P01");
      }
      assertThat(refusals)
          .as("one message, whatever the reason")
          .allSatisfy(
              t ->
                  assertThat(t.getMessage())
                      .contains("(wrong password, unknown role, or a role that may not log in)"));
      assertThat(ub.stats("main").loginsRefused()).isEqualTo(4);
      assertThat(ub.health("main").status()).isEqualTo(DatabaseHealth.Status.UP);

      Login login = ub.login(alice.role(), alice.password());
      try (Connection c = ub.connection(login, "main")) {
        assertThat(currentUser(c)).isEqualTo(alice.role());
      }
    }
  }

  private static Throwable refusal(Userbound ub, String role, char[] password) {
    try {
      ub.login(role, password);
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("the login of " + role + " was accepted");
  }

  @Test
  void connectRefused_isAccessDenied_asDirect(PostgresServer server, TestNames names) {
    Person alice = person(names);
    String closed = names.createDatabase();
    server.execute("postgres", "REVOKE CONNECT ON DATABASE \"" + closed + "\" FROM PUBLIC");
    try (PgBouncer bouncer = PgBouncer.start(server, PoolMode.SESSION)) {
      bouncer.admitLookup(closed);
      Userbound ub =
          Fixtures.userbound(
              through(bouncer, "finance", closed).build(),
              through(bouncer, "staff", "postgres").build());
      // PgBouncer forwards the server's 42501 as 08P01 "permission denied for database ...".
      Login login = ub.login(alice.role(), alice.password());
      assertThatThrownBy(() -> ub.connection(login, "finance"))
          .isInstanceOfSatisfying(
              AccessDeniedException.class, e -> assertThat(e.sqlState()).isEqualTo("42501"));
      assertThat(ub.stats("finance").budgetUsed()).isZero();
      assertThatThrownBy(() -> ub.login(alice.role(), "wrong".toCharArray()))
          .isInstanceOf(LoginFailedException.class);
    }
  }

  @Test
  void aServerLoginFailurePgBouncerRemembers_costsNoRequestOnceItsCauseIsGone(
      PostgresServer server, TestNames names) throws SQLException {
    Person alice = person(names);
    String role = "\"" + alice.role() + "\"";
    try (PgBouncer bouncer = PgBouncer.start(server, PoolMode.SESSION)) {
      Userbound ub =
          Fixtures.userbound(
              through(bouncer, "main", "postgres").maxConnectionsPerPerson(2).build());
      Login login = ub.login(alice.role(), alice.password());
      try (Connection held = ub.connection(login, "main")) {
        assertThat(currentUser(held)).isEqualTo(alice.role());
        server.execute("postgres", "ALTER ROLE " + role + " CONNECTION LIMIT 1");
        // A second server connection of this pool: the server refuses PgBouncer's login.
        assertThatThrownBy(() -> ub.connection(login, "main"))
            .isInstanceOf(DatabaseUnavailableException.class);
        server.execute("postgres", "ALTER ROLE " + role + " CONNECTION LIMIT -1");
      }
      // Every server connection of the pool gone: the next request needs a new one.
      ub.logout(login);
      server.execute(
          "postgres",
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '"
              + alice.role()
              + "'");
      Await.until(
          "the person's server connections gone",
          Duration.ofSeconds(10),
          () -> bouncer.serverCount(alice.role()) == 0);
      // PgBouncer refuses the pool's clients at once for server_login_retry (1 s here); after
      // that, the first client is refused with "server login has been failing" while PgBouncer
      // tries the server again. The scenario needs that second to pass: it is PgBouncer's
      // timer, not a wait for something to happen.
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1_300));
      Login again = ub.login(alice.role(), alice.password());
      try (Connection c = ub.connection(again, "main")) {
        assertThat(currentUser(c)).isEqualTo(alice.role());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(PoolMode.class)
  void concurrentPeople_eachRunsAsThemselves_andStateStaysWithTheRequest(
      PoolMode mode, PostgresServer server, TestNames names) throws Exception {
    int people = 8;
    List<Person> persons = new ArrayList<>();
    for (int i = 0; i < people; i++) {
      persons.add(person(names));
    }
    try (PgBouncer bouncer = PgBouncer.start(server, mode)) {
      Userbound ub =
          Fixtures.userbound(
              through(bouncer, "main", "postgres").budget(6).maxConnectionsPerPerson(2).build());
      List<Login> logins = new ArrayList<>();
      for (Person p : persons) {
        logins.add(ub.login(p.role(), p.password()));
      }
      ExecutorService pool = Executors.newFixedThreadPool(people);
      try {
        List<Future<Integer>> done = new ArrayList<>();
        for (int t = 0; t < people; t++) {
          int me = t;
          done.add(
              pool.submit(
                  () -> {
                    int checked = 0;
                    for (int i = 0; i < 150; i++) {
                      Login login = logins.get((me + i) % people);
                      try (Binding b = ub.bind(login);
                          Connection c = ub.connection("main");
                          Statement st = c.createStatement()) {
                        try (ResultSet rs =
                            st.executeQuery(
                                "select current_user, session_user,"
                                    + " coalesce(current_setting('userbound.marker', true), '')")) {
                          rs.next();
                          assertThat(rs.getString(1)).isEqualTo(login.role());
                          assertThat(rs.getString(2)).isEqualTo(login.role());
                          assertThat(rs.getString(3)).as("left by an earlier request").isEmpty();
                        }
                        if (i % 3 == 0) {
                          st.execute("select set_config('userbound.marker', 'left', false)");
                        }
                        checked++;
                      }
                    }
                    return checked;
                  }));
        }
        int total = 0;
        for (Future<Integer> f : done) {
          total += f.get(120, TimeUnit.SECONDS);
        }
        assertThat(total).isEqualTo(people * 150);
      } finally {
        pool.shutdownNow();
      }
      DatabaseStats stats = ub.stats("main");
      assertThat(stats.budgetUsed()).isLessThanOrEqualTo(6);
      long clients = persons.stream().mapToLong(p -> bouncer.clientCount(p.role())).sum();
      assertThat(clients)
          .as("PgBouncer's clients are Userbound's connections")
          .isEqualTo(stats.budgetUsed());
    }
  }

  @Test
  void transactionMode_preparedStatementsWork_withPrepareThresholdZero(
      PostgresServer server, TestNames names) throws SQLException {
    Person alice = person(names);
    try (PgBouncer bouncer = PgBouncer.start(server, PoolMode.TRANSACTION)) {
      Userbound ub = Fixtures.userbound(through(bouncer, "main", "postgres").build());
      Login login = ub.login(alice.role(), alice.password());
      for (int request = 0; request < 3; request++) {
        try (Connection c = ub.connection(login, "main");
            PreparedStatement ps = c.prepareStatement("select ?::int * 2")) {
          for (int i = 0; i < 8; i++) {
            ps.setInt(1, i);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              assertThat(rs.getInt(1)).isEqualTo(2 * i);
            }
          }
        }
      }
    }
  }

  @Test
  void passwordChange_oldPasswordRefused_newLoginServed(PostgresServer server, TestNames names)
      throws SQLException {
    Person alice = person(names);
    try (PgBouncer bouncer = PgBouncer.start(server, PoolMode.SESSION)) {
      Userbound ub = Fixtures.userbound(through(bouncer, "main", "postgres").build());
      Login old = ub.login(alice.role(), alice.password());
      try (Connection c = ub.connection(old, "main")) {
        assertThat(currentUser(c)).isEqualTo(alice.role());
      }
      char[] renewed = TestPasswords.fresh();
      try (Connection admin = server.adminConnection("postgres")) {
        admin
            .unwrap(PGConnection.class)
            .alterUserPassword(alice.role(), renewed.clone(), "scram-sha-256");
      }
      assertThatThrownBy(() -> ub.login(alice.role(), alice.password()))
          .isInstanceOf(LoginFailedException.class);
      Login renewedLogin = ub.login(alice.role(), renewed);
      try (Connection c = ub.connection(renewedLogin, "main")) {
        assertThat(currentUser(c)).isEqualTo(alice.role());
      }
      assertThat(ub.stats("main").poolsEvicted()).as("the old pool is retired").isEqualTo(1);
    }
  }

  @Test
  void pgBouncerRestart_failsTyped_thenRecovers_withoutLeakingPermits(
      PostgresServer server, TestNames names) throws Exception {
    Person alice = person(names);
    try (PgBouncer bouncer = PgBouncer.start(server, PoolMode.SESSION)) {
      Userbound ub = Fixtures.userbound(through(bouncer, "main", "postgres").build());
      Login login = ub.login(alice.role(), alice.password());
      Connection held = ub.connection(login, "main");
      assertThat(currentUser(held)).isEqualTo(alice.role());

      bouncer.restart();
      assertThatThrownBy(() -> currentUser(held))
          .as("the request under way loses its connection")
          .isInstanceOf(SQLException.class);
      held.close();
      long recovered = awaitServed(ub, login);
      assertThat(recovered).isGreaterThan(0);
      Await.until(
          "permits equal open connections",
          Duration.ofSeconds(10),
          () -> {
            DatabaseStats s = ub.stats("main");
            return s.budgetUsed() == s.activeConnections() + s.idleConnections();
          });
      assertThat(ub.stats("main").budgetUsed()).isLessThanOrEqualTo(1);
    }
  }

  @Test
  void serverDownBehindPgBouncer_isDownAndUnavailable_thenRecovers(TestNames names)
      throws Exception {
    try (PostgresServer own =
            PostgresServer.start(PostgresOptions.builder().name("behind-pgbouncer").build());
        PgBouncer bouncer = PgBouncer.start(own, PoolMode.SESSION)) {
      char[] pw = TestPasswords.fresh();
      String role = names.role("behind");
      own.createLogin(role, pw);
      Userbound ub = Fixtures.userbound(through(bouncer, "main", "postgres").build());
      Login login = ub.login(role, pw);
      try (Connection c = ub.connection(login, "main")) {
        assertThat(currentUser(c)).isEqualTo(role);
      }
      own.stop();
      Await.until(
          "health DOWN while PgBouncer cannot reach the server",
          Duration.ofSeconds(15),
          () -> ub.health("main").status() == DatabaseHealth.Status.DOWN);
      assertThatThrownBy(() -> ub.connection(login, "main"))
          .isInstanceOf(DatabaseUnavailableException.class);
      own.start();
      assertThat(awaitServed(ub, login)).isGreaterThan(0);
      Await.until(
          "health back",
          Duration.ofSeconds(15),
          () -> ub.health("main").status() != DatabaseHealth.Status.DOWN);
      DatabaseStats s = ub.stats("main");
      assertThat(s.budgetUsed()).isEqualTo(s.activeConnections() + s.idleConnections());
      ub.close();
    }
  }

  /** Borrows until one succeeds as the person; every failure on the way must be typed. */
  private static long awaitServed(Userbound ub, Login login) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    long attempts = 0;
    while (System.nanoTime() - deadline < 0) {
      attempts++;
      try (Connection c = ub.connection(login, "main")) {
        assertThat(currentUser(c)).isEqualTo(login.role());
        return attempts;
      } catch (UserboundException | SQLException e) {
        // typed: the pooler or the server is still coming back
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // the poll period
    }
    throw new AssertionError("not served again within 20 s");
  }
}
