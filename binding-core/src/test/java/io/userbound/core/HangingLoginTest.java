package io.userbound.core;

import static io.userbound.core.Fixtures.currentUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import io.userbound.testkit.TestPasswords;
import java.sql.Connection;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class HangingLoginTest {

  @Test
  void firstLoginThatHangs_doesNotDelayAnotherPersonsLogin(PostgresServer server, TestNames names)
      throws Exception {
    char[] hangPw = TestPasswords.fresh();
    String hanging = names.login(hangPw);
    char[] pw = TestPasswords.fresh();
    String fine = names.login(pw);
    try (HangingProxy proxy = new HangingProxy(server.host(), server.port(), Set.of(hanging))) {
      String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres?sslmode=disable";
      Userbound ub =
          Fixtures.userbound(
              DatabaseConfig.builder("main", url).connectionTimeout(Duration.ofSeconds(3)).build());
      ExecutorService threads = Executors.newFixedThreadPool(2);
      try {
        CountDownLatch started = new CountDownLatch(1);
        Future<Throwable> stuck =
            threads.submit(
                () -> {
                  started.countDown();
                  try {
                    ub.login(hanging, hangPw);
                    return null;
                  } catch (Throwable t) {
                    return t;
                  }
                });
        started.await();
        // The hanging login is in flight (it cannot finish before its 3 s login timeout).
        long t0 = System.nanoTime();
        Login login = ub.login(fine, pw);
        try (Connection c = ub.connection(login, "main")) {
          assertThat(currentUser(c)).isEqualTo(fine);
        }
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(stuck.isDone()).as("the hanging login was still hanging meanwhile").isFalse();
        assertThat(tookMs).as("the other login did not wait for the hanging one").isLessThan(2_000);
        Throwable failure = stuck.get(30, TimeUnit.SECONDS);
        assertThat(failure)
            .as("the hanging login ends with a typed error after its timeout")
            .isInstanceOf(UserboundException.class);
        assertThat(ub.stats("main").pools()).isEqualTo(1);
      } finally {
        threads.shutdownNow();
      }
    }
  }

  @Test
  void loginTimeout_againstSilentServer_isTypedAndLeavesNothing(TestNames names) throws Exception {
    try (HangingProxy proxy = new HangingProxy("127.0.0.1", 1, Set.of("everyone"))) {
      String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres?sslmode=disable";
      Userbound ub =
          Fixtures.userbound(
              DatabaseConfig.builder("main", url).connectionTimeout(Duration.ofSeconds(1)).build());
      assertThatThrownBy(() -> ub.login("everyone", TestPasswords.fresh()))
          .isInstanceOf(DatabaseUnavailableException.class);
      assertThat(ub.stats("main").pools()).isZero();
      assertThat(ub.stats("main").budgetUsed()).isZero();
    }
  }
}
