package io.userbound.servlet;

import static io.userbound.servlet.Fixtures.person;
import static org.assertj.core.api.Assertions.assertThat;

import io.userbound.core.DatabaseConfig;
import io.userbound.core.DatabaseStats;
import io.userbound.core.IsolationStrategy;
import io.userbound.servlet.Fixtures.Person;
import io.userbound.testkit.Await;
import io.userbound.testkit.BackendPeaks;
import io.userbound.testkit.Pinning;
import io.userbound.testkit.Pinning.PinnedEvent;
import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import io.userbound.testkit.TestPasswords;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Thousands of requests at once through the filter on Jetty 12's {@link VirtualThreadPool}:
 * every request runs on a virtual thread, sees only its own person on both databases, the
 * budget holds on the server, and, once warm, no virtual thread pins with Userbound's code on
 * its stack (JFR's {@code jdk.VirtualThreadPinned}, threshold 0). The warm-up wave's pins are
 * printed, not failed: they are class loading and initialization, which pins any code. JDK 21+
 * only: the JDK 25 pass runs it (tag virtual-threads).
 */
@Tag("virtual-threads")
@ExtendWith(PostgresExtension.class)
class VirtualThreadsTest {

  private static final int REQUESTS = 2000;
  private static final int WARM_UP = 300;

  @ParameterizedTest
  @EnumSource(IsolationStrategy.class)
  void thousandsOfRequestsOnVirtualThreads_eachSeesItsOwnPerson_withinTheBudget_unpinned(
      IsolationStrategy strategy, PostgresServer server, TestNames names) throws Exception {
    boolean switching = strategy == IsolationStrategy.ROLE_SWITCHING;
    // More people than connections, so that connections move between people all the time.
    int people = switching ? 100 : 20;
    int budget = switching ? 4 : 10;
    List<Person> persons = new ArrayList<>();
    for (int i = 0; i < people; i++) {
      persons.add(person(names));
    }
    UnaryOperator<DatabaseConfig.Builder> tweak =
        b -> b.budget(budget).connectionTimeout(Duration.ofSeconds(90));
    if (switching) {
      char[] pw = TestPasswords.fresh();
      String gateway = names.login(pw);
      server.execute("postgres", "ALTER ROLE " + gateway + " NOINHERIT");
      server.grantToGateway(gateway, persons.stream().map(Person::role).toArray(String[]::new));
      tweak =
          b ->
              b.roleSwitching(gateway, pw).budget(budget).connectionTimeout(Duration.ofSeconds(90));
    }
    String finance = names.createDatabase();
    String staff = names.createDatabase();
    TestApp app =
        TestApp.plain(Fixtures.userbound(Fixtures.twoDatabases(server, finance, staff, tweak)));
    VirtualThreadPool threads = new VirtualThreadPool(2 * REQUESTS);
    threads.setName("vt-" + strategy);
    TestServer web = app.start(threads, 4096, List.of());

    Map<String, String> sessions = new HashMap<>();
    for (Person p : persons) {
      Browser b = new Browser(web);
      assertThat(b.login(p.role(), p.password()).statusCode()).isEqualTo(200);
      sessions.put(p.role(), b.sessionId().orElseThrow());
    }
    awaitAtMostBackends(server, budget, finance, staff);
    List<PinnedEvent> warmUpPins;

    ExecutorService clients = Pinning.virtualThreadPerTaskExecutor();
    try {
      HttpClient http =
          HttpClient.newBuilder()
              .executor(clients)
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(30))
              .build();
      List<String> roles = persons.stream().map(Person::role).toList();

      // Warm-up: the first requests load and initialize classes (Userbound's, HikariCP's,
      // pgjdbc's) with thousands of virtual threads at the door. A thread that waits for a class
      // another thread is initializing is pinned, whatever code it runs: reported, not failed.
      Pinning warmUp = Pinning.start();
      Wave first;
      try {
        first = wave(http, clients, web, roles, sessions, WARM_UP);
      } finally {
        warmUpPins = warmUp.stop();
      }
      first.assertAllRight();

      app.peakInFlight.set(0);
      Pinning pinning = Pinning.start();
      List<PinnedEvent> pinned;
      Wave wave;
      try (BackendPeaks sampler = BackendPeaks.start(server, finance, staff)) {
        try {
          Pinning.pinOnPurpose();
          wave = wave(http, clients, web, roles, sessions, REQUESTS);
        } finally {
          pinned = pinning.stop();
        }
        DatabaseStats stats = app.userbound.stats("finance");
        System.out.printf(
            "virtual threads (%s): %d requests for %d people in %d ms, at most %d in the servlet"
                + " at once; %d right, %d wrong, %d failed; backends at most %s (budget %d);"
                + " finance opened %d connections, reclaimed %d; pinned events: %d (%d with"
                + " Userbound frames) in the warm-up of %d requests, %d (%d) after%n",
            strategy,
            REQUESTS,
            people,
            wave.millis,
            app.peakInFlight.get(),
            wave.right.get(),
            wave.wrong.size(),
            wave.failed.size(),
            sampler.peaks(),
            budget,
            stats.connectionsOpened(),
            stats.connectionsReclaimed(),
            warmUpPins.size(),
            Pinning.userbound(warmUpPins).size(),
            WARM_UP,
            pinned.size(),
            Pinning.userbound(pinned).size());
        warmUpPins.stream().limit(3).forEach(e -> System.out.println("warm-up " + e));
        pinned.stream().filter(e -> !e.isCanary()).limit(5).forEach(System.out::println);

        wave.assertAllRight();
        // Thousands at once is the point: most requests were in the servlet together, waiting.
        assertThat(app.peakInFlight.get()).isGreaterThan(REQUESTS / 4);
        assertThat(sampler.samples()).isPositive();
        assertThat(sampler.peak(finance)).isPositive().isLessThanOrEqualTo(budget);
        assertThat(sampler.peak(staff)).isPositive().isLessThanOrEqualTo(budget);
      }
      assertThat(pinned)
          .as("the canary pinned, so the recording works")
          .anyMatch(PinnedEvent::isCanary);
      assertThat(Pinning.userbound(pinned)).as("pinned with Userbound on the stack").isEmpty();
    } finally {
      clients.shutdownNow();
    }
  }

  /** The outcome of one wave of requests. */
  private static final class Wave {
    final ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> failed = new ConcurrentLinkedQueue<>();
    final AtomicInteger right = new AtomicInteger();
    final int requests;
    long millis;

    Wave(int requests) {
      this.requests = requests;
    }

    void assertAllRight() {
      assertThat(wrong).as("requests that saw another person").isEmpty();
      assertThat(failed).as("failed requests").isEmpty();
      assertThat(right.get()).isEqualTo(requests);
    }
  }

  /**
   * Sends this many requests to {@code /both} at once, one virtual thread each, person after
   * person, and waits for every answer.
   */
  private static Wave wave(
      HttpClient http,
      ExecutorService clients,
      TestServer web,
      List<String> roles,
      Map<String, String> sessions,
      int requests)
      throws Exception {
    Wave wave = new Wave(requests);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      String role = roles.get(i % roles.size());
      HttpRequest request =
          HttpRequest.newBuilder(web.uri("/both"))
              .header("Cookie", "JSESSIONID=" + sessions.get(role))
              .timeout(Duration.ofMinutes(2))
              .GET()
              .build();
      done.add(
          clients.submit(
              () -> {
                go.await();
                try {
                  HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                  if (r.statusCode() != 200) {
                    wave.failed.add(role + ": HTTP " + r.statusCode() + " " + r.body());
                  } else if (!r.body().equals(role + " " + role + " virtual")) {
                    wave.wrong.add(role + " saw " + r.body());
                  } else {
                    wave.right.incrementAndGet();
                  }
                } catch (IOException e) {
                  wave.failed.add(role + ": " + e);
                }
                return null;
              }));
    }
    long started = System.nanoTime();
    go.countDown();
    for (Future<?> f : done) {
      f.get(3, TimeUnit.MINUTES);
    }
    wave.millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    return wave;
  }

  /** Waits until the backends of the login checks are gone. */
  private static void awaitAtMostBackends(PostgresServer server, int budget, String... databases) {
    Await.until(
        "at most " + budget + " backends on each database",
        Duration.ofSeconds(10),
        () -> {
          for (String db : databases) {
            if (server.backends().stream().filter(b -> b.database().equals(db)).count() > budget) {
              return false;
            }
          }
          return true;
        });
  }
}
