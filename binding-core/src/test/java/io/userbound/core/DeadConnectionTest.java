package io.userbound.core;

import static io.userbound.core.Fixtures.currentUser;
import static org.assertj.core.api.Assertions.assertThat;

import io.userbound.testkit.Await;
import io.userbound.testkit.PostgresOptions;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestPasswords;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A pooled connection whose backend died while it sat idle (pg_terminate_backend, a
 * server restart) is never handed to a request: the borrow finds it dead locally and
 * takes another, so the request succeeds as a fresh connection would have. Requests in
 * flight at the moment of the fault are not covered: they fail with a typed error.
 */
class DeadConnectionTest {

  private static PostgresServer server;

  @BeforeAll
  static void startServer() {
    server = PostgresServer.start(PostgresOptions.builder().name("dead").build());
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private static Userbound userbound() {
    return Fixtures.track(
        Userbound.create(
            UserboundConfig.builder()
                .database(
                    DatabaseConfig.builder("main", server.jdbcUrl("postgres"))
                        .maxConnectionsPerPerson(2)
                        .connectionTimeout(Duration.ofSeconds(3))
                        .build())
                .build()));
  }

  private static List<Login> people(Userbound ub, String prefix, int n) {
    List<Login> logins = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      char[] pw = TestPasswords.fresh();
      server.createLogin(prefix + i, pw);
      logins.add(ub.login(prefix + i, pw));
    }
    return logins;
  }

  /** Load on some people while the idle backends of others are terminated, then load on those. */
  @Test
  void terminatedIdleBackends_neverFailARequest_underLoad() throws Exception {
    Userbound ub = userbound();
    List<Login> busy = people(ub, "dead_busy_", 4);
    List<Login> victims = people(ub, "dead_victim_", 4);
    Map<String, Long> failures = new ConcurrentHashMap<>();
    AtomicLong served = new AtomicLong();
    AtomicReference<List<Login>> target = new AtomicReference<>(busy);
    // Odd while backends are being terminated: a request that overlaps a terminate may
    // fail (its backend died under it); only requests that started and ended in an even
    // epoch met connections that died while idle.
    AtomicLong epoch = new AtomicLong();
    AtomicLong overlapping = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService workers = Executors.newFixedThreadPool(4);
    List<Future<?>> running = new ArrayList<>();
    try {
      for (int w = 0; w < 4; w++) {
        int offset = w;
        running.add(
            workers.submit(
                () -> {
                  for (int n = offset; !stop.get(); n++) {
                    long started = epoch.get();
                    List<Login> people = target.get();
                    Login login = people.get(n % people.size());
                    try (Connection c = ub.connection(login, "main")) {
                      assertThat(currentUser(c)).isEqualTo(login.role());
                      served.incrementAndGet();
                    } catch (UserboundException | SQLException e) {
                      if (started % 2 == 0 && epoch.get() == started) {
                        failures.merge(
                            e.getClass().getSimpleName() + " " + e.getMessage(), 1L, Long::sum);
                      } else {
                        overlapping.incrementAndGet();
                      }
                    }
                  }
                  return null;
                }));
      }
      for (int round = 0; round < 5; round++) {
        // Warm the victims' pools, then let them sit idle while the load runs on the others.
        for (Login v : victims) {
          try (Connection c1 = ub.connection(v, "main");
              Connection c2 = ub.connection(v, "main")) {
            currentUser(c1);
            currentUser(c2);
          }
        }
        target.set(busy);
        epoch.incrementAndGet();
        long killed = terminateAll("dead_victim_%");
        assertThat(killed).isPositive();
        Await.until(
            "victims' backends gone",
            Duration.ofSeconds(10),
            () -> server.backends().stream().noneMatch(b -> b.user().startsWith("dead_victim_")));
        epoch.incrementAndGet();
        long before = served.get();
        target.set(victims); // every idle connection of these people is dead now
        Await.until(
            "requests on the victims served",
            Duration.ofSeconds(20),
            () -> served.get() > before + 200);
      }
    } finally {
      stop.set(true);
      for (Future<?> f : running) {
        f.get(30, TimeUnit.SECONDS);
      }
      workers.shutdownNow();
    }
    System.out.println(
        "terminate under load: served="
            + served.get()
            + ", failures="
            + failures
            + ", failed while a terminate ran="
            + overlapping.get());
    assertThat(failures).as("requests failed by a connection that died while idle").isEmpty();
  }

  /** After a restart, the first requests meet only dead pooled connections: none may fail. */
  @Test
  void restart_noRequestAfterItFails() throws Exception {
    Userbound ub = userbound();
    List<Login> people = people(ub, "dead_restart_", 6);
    for (Login p : people) {
      try (Connection c1 = ub.connection(p, "main");
          Connection c2 = ub.connection(p, "main")) {
        currentUser(c1);
        currentUser(c2);
      }
    }
    AtomicLong failuresBefore = new AtomicLong();
    Map<String, Long> failuresAfter = new ConcurrentHashMap<>();
    AtomicLong servedAfter = new AtomicLong();
    AtomicBoolean restarted = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService workers = Executors.newFixedThreadPool(4);
    List<Future<?>> running = new ArrayList<>();
    try {
      for (int w = 0; w < 4; w++) {
        int offset = w;
        running.add(
            workers.submit(
                () -> {
                  for (int n = offset; !stop.get(); n++) {
                    Login login = people.get(n % people.size());
                    boolean after = restarted.get();
                    try (Connection c = ub.connection(login, "main")) {
                      assertThat(currentUser(c)).isEqualTo(login.role());
                      if (after) {
                        servedAfter.incrementAndGet();
                      }
                    } catch (UserboundException | SQLException e) {
                      if (after) {
                        failuresAfter.merge(
                            e.getClass().getSimpleName() + " " + e.getMessage(), 1L, Long::sum);
                      } else {
                        failuresBefore.incrementAndGet();
                      }
                    }
                  }
                  return null;
                }));
      }
      server.restart();
      restarted.set(true);
      Await.until(
          "requests served after the restart",
          Duration.ofSeconds(30),
          () -> servedAfter.get() > 500);
    } finally {
      stop.set(true);
      for (Future<?> f : running) {
        f.get(30, TimeUnit.SECONDS);
      }
      workers.shutdownNow();
    }
    System.out.println(
        "restart under load: failed during the restart="
            + failuresBefore.get()
            + ", served after="
            + servedAfter.get()
            + ", failed after="
            + failuresAfter);
    assertThat(failuresAfter).as("requests that started after the server was back").isEmpty();
  }

  /**
   * Idle past HikariCP's alive bypass window (500 ms), so HikariCP's alive check runs on the
   * borrow and gives the one liveness answer of it: the terminated backend's FATAL is seen
   * there, and the request runs on a new backend.
   */
  @Test
  void terminatedBackend_idlePastHikariAliveWindow_requestRunsOnANewBackend() throws Exception {
    Userbound ub = userbound();
    Login login = people(ub, "dead_window_", 1).get(0);
    int before;
    try (Connection c = ub.connection(login, "main")) {
      before = backendPid(c);
    }
    long usedAt = System.nanoTime();
    assertThat(terminateAll("dead_window_%")).isPositive();
    Await.until(
        "backend gone and the connection idle past HikariCP's alive bypass window",
        Duration.ofSeconds(10),
        () ->
            System.nanoTime() - usedAt > TimeUnit.MILLISECONDS.toNanos(600)
                && server.backends().stream().noneMatch(b -> b.user().startsWith("dead_window_")));
    try (Connection c = ub.connection(login, "main")) {
      assertThat(currentUser(c)).isEqualTo(login.role());
      assertThat(backendPid(c)).isNotEqualTo(before);
    }
  }

  /**
   * HikariCP's alive check answered at the borrow, but the backend died before the first
   * statement: the first use asks again (the answer is only shared for a moment), so the
   * statement runs on a new backend, not on the dead one.
   */
  @Test
  void backendTerminatedBetweenBorrowAndFirstUse_statementRunsOnANewBackend() throws Exception {
    Userbound ub = userbound();
    Login login = people(ub, "dead_between_", 1).get(0);
    int before;
    try (Connection c = ub.connection(login, "main")) {
      before = backendPid(c);
    }
    try (Connection c = ub.connection(login, "main")) {
      assertThat(terminateAll("dead_between_%")).isPositive();
      Await.until(
          "backend gone",
          Duration.ofSeconds(10),
          () -> server.backends().stream().noneMatch(b -> b.user().startsWith("dead_between_")));
      assertThat(currentUser(c)).isEqualTo(login.role());
      assertThat(backendPid(c)).isNotEqualTo(before);
    }
  }

  private static int backendPid(Connection c) throws SQLException {
    try (var st = c.createStatement();
        var rs = st.executeQuery("select pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static long terminateAll(String rolePattern) {
    long[] n = new long[1];
    try (Connection admin = server.adminConnection("postgres");
        var st =
            admin.prepareStatement(
                "select count(pg_terminate_backend(pid)) from pg_stat_activity"
                    + " where usename like ?")) {
      st.setString(1, rolePattern);
      try (var rs = st.executeQuery()) {
        rs.next();
        n[0] = rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
    return n[0];
  }
}
