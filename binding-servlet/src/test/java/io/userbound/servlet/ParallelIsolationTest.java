package io.userbound.servlet;

import static io.userbound.servlet.Fixtures.person;
import static org.assertj.core.api.Assertions.assertThat;

import io.userbound.core.DatabaseConfig;
import io.userbound.core.IsolationStrategy;
import io.userbound.servlet.Fixtures.Person;
import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import io.userbound.testkit.TestPasswords;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@ExtendWith(PostgresExtension.class)
class ParallelIsolationTest {

  private static final int THREADS = 8;
  private static final int REQUESTS_PER_THREAD = 260;

  @ParameterizedTest
  @EnumSource(IsolationStrategy.class)
  void twoPeopleHammeringInParallel_eachOnlyEverSeeThemselves(
      IsolationStrategy strategy, PostgresServer server, TestNames names) throws Exception {
    Person alice = person(names);
    Person bob = person(names);
    UnaryOperator<DatabaseConfig.Builder> tweak = b -> b;
    if (strategy == IsolationStrategy.ROLE_SWITCHING) {
      char[] pw = TestPasswords.fresh();
      String gateway = names.login(pw);
      server.execute("postgres", "ALTER ROLE " + gateway + " NOINHERIT");
      server.grantToGateway(gateway, alice.role(), bob.role());
      tweak = b -> b.roleSwitching(gateway, pw).budget(4); // fewer connections than threads
    }
    TestApp app = TestApp.plain(Fixtures.userbound(Fixtures.twoDatabases(server, names, tweak)));
    TestServer web = app.start("hammer");
    Browser aliceBrowser = new Browser(web);
    Browser bobBrowser = new Browser(web);
    assertThat(aliceBrowser.login(alice.role(), alice.password()).statusCode()).isEqualTo(200);
    assertThat(bobBrowser.login(bob.role(), bob.password()).statusCode()).isEqualTo(200);

    AtomicInteger ok = new AtomicInteger();
    AtomicInteger mismatches = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    ExecutorService clients = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        boolean isAlice = t % 2 == 0;
        Browser browser = isAlice ? aliceBrowser : bobBrowser;
        String expected = isAlice ? alice.role() : bob.role();
        done.add(
            clients.submit(
                () -> {
                  for (int i = 0; i < REQUESTS_PER_THREAD; i++) {
                    HttpResponse<String> r =
                        browser.get(i % 2 == 0 ? "/whoami?db=finance" : "/whoami?db=staff");
                    if (r.statusCode() != 200) {
                      failures.incrementAndGet();
                    } else if (r.body().equals(expected)) {
                      ok.incrementAndGet();
                    } else {
                      mismatches.incrementAndGet();
                    }
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      clients.shutdownNow();
    }
    int total = THREADS * REQUESTS_PER_THREAD;
    System.out.printf(
        "hammer (%s): %d requests by %d client threads for 2 people: %d right, %d mismatches,"
            + " %d failed%n",
        strategy, total, THREADS, ok.get(), mismatches.get(), failures.get());
    assertThat(mismatches.get()).isZero();
    assertThat(failures.get()).isZero();
    assertThat(ok.get()).isEqualTo(total);
  }
}
