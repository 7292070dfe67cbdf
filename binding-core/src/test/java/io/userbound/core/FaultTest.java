package io.userbound.core;

import static io.userbound.core.Fixtures.currentUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.userbound.testkit.Await;
import io.userbound.testkit.PgBouncer;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Server restarts, dropped roles, revoked LOGIN: typed errors, then recovery without a restart. */
class FaultTest {

  private static PostgresServer server;

  @BeforeAll
  static void startServer() {
    server = PostgresServer.start(PostgresOptions.builder().name("faults").build());
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
                        .connectionTimeout(Duration.ofMillis(1500))
                        .build())
                .build()));
  }

  private static Login person(Userbound ub, String role) {
    char[] pw = TestPasswords.fresh();
    server.createLogin(role, pw);
    return ub.login(role, pw);
  }

  /**
   * The role's backends on the server itself: through PgBouncer in transaction mode a
   * client connection outlives the server connection it used.
   */
  private static long serverBackends(String role) {
    return PgBouncer.in(server).map(PgBouncer::server).orElse(server).backendCount(role);
  }

  @Test
  void restart_underLoad_recoversWithoutApplicationRestart() throws Exception {
    Userbound ub = userbound();
    List<Login> people = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      people.add(person(ub, "restart_" + i));
    }
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong ok = new AtomicLong();
    Map<String, Long> failures = new ConcurrentHashMap<>();
    ExecutorService threads = Executors.newFixedThreadPool(4);
    List<Future<?>> workers = new ArrayList<>();
    try {
      for (int w = 0; w < 4; w++) {
        int offset = w;
        workers.add(
            threads.submit(
                () -> {
                  int n = offset;
                  while (!stop.get()) {
                    Login login = people.get(n++ % people.size());
                    try (Connection c = ub.connection(login, "main")) {
                      assertThat(currentUser(c)).isEqualTo(login.role());
                      ok.incrementAndGet();
                    } catch (UserboundException | SQLException e) {
                      failures.merge(e.getClass().getSimpleName(), 1L, Long::sum);
                    }
                  }
                  return null;
                }));
      }
      Await.until("load running", Duration.ofSeconds(10), () -> ok.get() > 100);
      server.restart();
      long afterRestart = ok.get();
      Await.until(
          "requests succeed again after the restart",
          Duration.ofSeconds(30),
          () -> ok.get() > afterRestart + 200);
      stop.set(true);
      for (Future<?> f : workers) {
        f.get(30, TimeUnit.SECONDS); // no thread is left stuck
      }
    } finally {
      stop.set(true);
      threads.shutdownNow();
    }
    System.out.println("restart under load: ok=" + ok.get() + ", failures by type=" + failures);
    for (Login login : people) {
      try (Connection c = ub.connection(login, "main")) {
        assertThat(currentUser(c)).isEqualTo(login.role());
      }
    }
  }

  @Test
  void serverDown_givesDatabaseUnavailablePromptly_thenRecovers() throws Exception {
    Userbound ub = userbound();
    Login login = person(ub, "down_1");
    server.stop();
    try {
      long t0 = System.nanoTime();
      assertThatThrownBy(
              () -> {
                try (Connection c = ub.connection(login, "main")) {
                  currentUser(c);
                }
              })
          .isInstanceOfAny(DatabaseUnavailableException.class, SQLException.class);
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(5_000);
      assertThatThrownBy(() -> ub.login("down_1", TestPasswords.fresh()))
          .isInstanceOf(DatabaseUnavailableException.class);
    } finally {
      server.start();
    }
    Await.until(
        "works again",
        Duration.ofSeconds(30),
        () -> {
          try (Connection c = ub.connection(login, "main")) {
            return "down_1".equals(currentUser(c));
          } catch (UserboundException | SQLException e) {
            return false;
          }
        });
  }

  @Test
  void revokedLogin_isTyped_andRegrantRecovers() throws Exception {
    Userbound ub = userbound();
    Login login = person(ub, "revoked_1");
    try (Connection c = ub.connection(login, "main")) {
      assertThat(currentUser(c)).isEqualTo("revoked_1");
    }
    server.execute(
        "postgres",
        "ALTER ROLE revoked_1 NOLOGIN; "
            + "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'revoked_1'");
    Await.until("backends gone", Duration.ofSeconds(10), () -> serverBackends("revoked_1") == 0);
    assertThatThrownBy(
            () -> {
              try (Connection c = ub.connection(login, "main")) {
                currentUser(c);
              }
            })
        .isInstanceOfAny(LoginFailedException.class, SQLException.class);
    assertThatThrownBy(
            () -> {
              try (Connection c = ub.connection(login, "main")) {
                currentUser(c);
              }
            })
        .isInstanceOf(LoginFailedException.class);
    server.execute("postgres", "ALTER ROLE revoked_1 LOGIN");
    Await.until(
        "works again after LOGIN is granted back",
        Duration.ofSeconds(20),
        () -> {
          try (Connection c = ub.connection(login, "main")) {
            return "revoked_1".equals(currentUser(c));
          } catch (UserboundException | SQLException e) {
            return false;
          }
        });
  }

  @Test
  void droppedRole_isTyped() throws Exception {
    Userbound ub = userbound();
    Login login = person(ub, "dropped_1");
    server.dropRole("dropped_1");
    Await.until("backends gone", Duration.ofSeconds(10), () -> serverBackends("dropped_1") == 0);
    assertThatThrownBy(
            () -> {
              try (Connection c = ub.connection(login, "main")) {
                currentUser(c);
              }
            })
        .isInstanceOfAny(LoginFailedException.class, SQLException.class);
    assertThatThrownBy(() -> ub.login("dropped_1", TestPasswords.fresh()))
        .isInstanceOf(LoginFailedException.class);
  }
}
