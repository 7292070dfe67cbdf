package io.userbound.core;

import static io.userbound.core.Fixtures.currentUser;
import static org.assertj.core.api.Assertions.assertThat;

import io.userbound.testkit.CapturedLogs;
import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresOptions;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import io.userbound.testkit.TestPasswords;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Several instances of an application share one server: N x (budgets + concurrent logins)
 * &lt;= max_connections - superuser_reserved_connections keeps every instance inside it, and
 * Userbound warns at start-up when one instance alone does not fit.
 */
@ExtendWith(PostgresExtension.class)
class ManyInstancesTest {

  private static final int INSTANCES = 3;
  private static final int BUDGET = 6;
  private static final int LOGINS_AT_ONCE = 2;
  private static final int RESERVED = 3; // PostgreSQL's default superuser_reserved_connections
  private static final int WATCHER = 1;
  private static final int PEOPLE = 30;
  private static final int THREADS_PER_INSTANCE = 4;
  private static final int ROUNDS = 150;
  private static final String CLIENT_BACKENDS =
      "SELECT count(*) FROM pg_stat_activity"
          + " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()";

  @Test
  void threeInstances_budgetsSummingToTheLimit_neverMeetAFullServer(TestNames names)
      throws Exception {
    // The watcher's own superuser connection takes a slot too: reserved slots are the last
    // ones free, not extra ones.
    int limit = RESERVED + WATCHER + INSTANCES * (BUDGET + LOGINS_AT_ONCE);
    try (PostgresServer server =
        PostgresServer.start(
            PostgresOptions.builder().name("instances").maxConnections(limit).build())) {
      List<String> roles = new ArrayList<>();
      AtomicReferenceArray<char[]> passwords = new AtomicReferenceArray<>(PEOPLE);
      for (int i = 0; i < PEOPLE; i++) {
        char[] pw = TestPasswords.fresh();
        String role = names.role("p" + i);
        server.createLogin(role, pw);
        roles.add(role);
        passwords.set(i, pw);
      }
      int linesBefore = CapturedLogs.lines().size();
      List<Userbound> instances = new ArrayList<>();
      for (int n = 0; n < INSTANCES; n++) {
        instances.add(
            Fixtures.userbound(
                UserboundConfig.builder()
                    .applicationName("instance-" + n)
                    .jmx(false)
                    .loginThrottling(
                        LoginThrottling.builder().maxConcurrentLogins(LOGINS_AT_ONCE).build())
                    .database(
                        DatabaseConfig.builder("main", server.jdbcUrl("postgres"))
                            .budget(BUDGET)
                            .maxConnectionsPerPerson(2)
                            .connectionTimeout(Duration.ofSeconds(20))
                            .build())
                    .build()));
      }
      Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
      AtomicInteger mostBackends = new AtomicInteger();
      AtomicBoolean done = new AtomicBoolean();
      ExecutorService pool = Executors.newFixedThreadPool(INSTANCES * THREADS_PER_INSTANCE + 1);
      try {
        // One connection for the whole watch: a fresh one per sample would leave the last
        // one's backend exiting while the next logs in, two slots for a moment.
        Future<?> watcher =
            pool.submit(
                () -> {
                  try (Connection admin = server.adminConnection("postgres");
                      PreparedStatement count = admin.prepareStatement(CLIENT_BACKENDS)) {
                    while (!done.get()) {
                      try (ResultSet rs = count.executeQuery()) {
                        rs.next();
                        mostBackends.accumulateAndGet(rs.getInt(1), Math::max);
                      }
                      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // sample period
                    }
                  }
                  return null;
                });
        List<Future<Integer>> workers = new ArrayList<>();
        for (Userbound ub : instances) {
          for (int t = 0; t < THREADS_PER_INSTANCE; t++) {
            workers.add(pool.submit(() -> churn(ub, roles, passwords, failures)));
          }
        }
        int served = 0;
        for (Future<Integer> w : workers) {
          served += w.get(5, TimeUnit.MINUTES);
        }
        done.set(true);
        watcher.get(1, TimeUnit.MINUTES);
        assertThat(failures).as("no request failed, none with SQLSTATE 53300").isEmpty();
        assertThat(served).isEqualTo(INSTANCES * THREADS_PER_INSTANCE * ROUNDS);
      } finally {
        done.set(true);
        pool.shutdownNow();
      }
      assertThat(mostBackends.get())
          .as("the instances together stay within max_connections - reserved")
          .isLessThanOrEqualTo(limit - RESERVED - WATCHER);
      for (Userbound ub : instances) {
        DatabaseStats s = ub.stats("main");
        assertThat(s.budgetUsed()).isEqualTo(s.activeConnections() + s.idleConnections());
        assertThat(s.connectionsReclaimed()).as("30 people, a budget of 6").isPositive();
      }
      assertThat(CapturedLogs.lines().subList(linesBefore, CapturedLogs.lines().size()))
          .as("each instance fits: no warning")
          .noneMatch(l -> l.contains("superuser_reserved_connections") && l.startsWith("WARN"));
    }
  }

  private static int churn(
      Userbound ub,
      List<String> roles,
      AtomicReferenceArray<char[]> passwords,
      Map<String, AtomicLong> failures) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    int served = 0;
    Login[] logins = new Login[PEOPLE];
    for (int round = 0; round < ROUNDS; round++) {
      int i = r.nextInt(PEOPLE);
      try {
        if (logins[i] == null) {
          logins[i] = loginWhenLetIn(ub, roles.get(i), passwords.get(i));
        }
        try (Connection c = ub.connection(logins[i], "main")) {
          assertThat(currentUser(c)).isEqualTo(logins[i].role());
        }
        served++;
        if (r.nextInt(10) == 0) {
          ub.logout(logins[i]);
          logins[i] = null;
        }
      } catch (UserboundException e) {
        failures
            .computeIfAbsent(
                e.getClass().getSimpleName() + " SQLSTATE " + e.sqlState() + ": " + e.getMessage(),
                k -> new AtomicLong())
            .incrementAndGet();
      } catch (SQLException e) {
        failures
            .computeIfAbsent("SQLException SQLSTATE " + e.getSQLState(), k -> new AtomicLong())
            .incrementAndGet();
      }
    }
    return served;
  }

  /**
   * Logs in, waiting while the instance's logins in flight are at maxConcurrentLogins (those
   * are refused at once, LoginThrottledException, so that a login never queues).
   */
  private static Login loginWhenLetIn(Userbound ub, String role, char[] password) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        return ub.login(role, password);
      } catch (LoginThrottledException e) {
        if (System.nanoTime() - deadline > 0) {
          throw e;
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // the retry pause
      }
    }
  }

  @Test
  void oneInstanceThatDoesNotFit_isWarnedAboutOnce(PostgresServer server, TestNames names) {
    char[] pw = TestPasswords.fresh();
    String role = names.login(pw);
    String a = "limits_a_" + Integer.toHexString(names.prefix().hashCode());
    String b = "limits_b_" + Integer.toHexString(names.prefix().hashCode());
    Userbound ub =
        Fixtures.userbound(
            UserboundConfig.builder()
                .jmx(false)
                .database(DatabaseConfig.builder(a, server.jdbcUrl("postgres")).budget(150).build())
                .database(DatabaseConfig.builder(b, server.jdbcUrl("postgres")).budget(60).build())
                .build());
    ub.logout(ub.login(role, pw));
    ub.logout(ub.login(role, pw));
    List<String> warnings =
        CapturedLogs.lines().stream()
            .filter(l -> l.startsWith("WARN") && l.contains("[" + a + ", " + b + "]"))
            .toList();
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0))
        .contains("max_connections 200")
        .contains("may open 218 there")
        .contains("N x 218 <= 197");
  }
}
