package io.userbound.sample.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.userbound.core.DatabaseStats;
import io.userbound.core.Userbound;
import io.userbound.sample.DemoServers;
import io.userbound.testkit.Await;
import io.userbound.testkit.BackendPeaks;
import io.userbound.testkit.Pinning;
import io.userbound.testkit.Pinning.PinnedEvent;
import io.userbound.testkit.TestPasswords;
import jakarta.servlet.Filter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import tools.jackson.databind.JsonNode;

/**
 * The sample with {@code spring.threads.virtual.enabled=true}: thousands of requests at once,
 * each served on a virtual thread, each sees only its own person on both databases (two
 * servers), the budget holds on both servers, and, once warm, no virtual thread pins with
 * Userbound's code on its stack (the warm-up wave's pins, class loading and initialization, are
 * printed, not failed). JDK 21+ only: the JDK 25 pass runs it (tag virtual-threads).
 */
@Tag("virtual-threads")
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.threads.virtual.enabled=true",
      // Spring Boot gives Jetty a VirtualThreadPool of server.jetty.threads.max (200) tasks.
      "server.jetty.threads.max=" + (2 * SpringVirtualThreadsTest.REQUESTS),
      "userbound.login-throttling.failures-per-client=1000",
      "userbound.jmx=false",
      // Fewer connections than people, so connections move between people all the time.
      "userbound.databases.finance.budget=" + SpringVirtualThreadsTest.BUDGET,
      "userbound.databases.staff.budget=" + SpringVirtualThreadsTest.BUDGET,
      "userbound.databases.finance.connection-timeout=90s",
      "userbound.databases.staff.connection-timeout=90s"
    })
class SpringVirtualThreadsTest {

  static final int BUDGET = 10;
  private static final int PEOPLE = 20;
  static final int REQUESTS = 2000;
  private static final int WARM_UP = 300;

  /** Counts, in front of everything, the requests served on virtual and on platform threads. */
  @TestConfiguration
  static class Probe {
    static final AtomicInteger VIRTUAL = new AtomicInteger();
    static final AtomicInteger PLATFORM = new AtomicInteger();
    static final AtomicInteger IN_FLIGHT = new AtomicInteger();
    static final AtomicInteger PEAK_IN_FLIGHT = new AtomicInteger();

    @Bean
    FilterRegistrationBean<Filter> threadProbe() {
      Filter probe =
          (request, response, chain) -> {
            (Pinning.onVirtualThread() ? VIRTUAL : PLATFORM).incrementAndGet();
            PEAK_IN_FLIGHT.accumulateAndGet(IN_FLIGHT.incrementAndGet(), Math::max);
            try {
              chain.doFilter(request, response);
            } finally {
              IN_FLIGHT.decrementAndGet();
            }
          };
      FilterRegistrationBean<Filter> bean = new FilterRegistrationBean<>(probe);
      bean.setOrder(Ordered.HIGHEST_PRECEDENCE);
      return bean;
    }
  }

  @Value("${local.server.port}")
  int port;

  @Autowired Userbound userbound;
  @Autowired DemoServers servers;

  @BeforeEach
  void checkForLeaks() {
    Leaks.checkAfterTheTest(userbound);
  }

  @Test
  void thousandsOfRequestsOnVirtualThreads_eachSeesItsOwnPerson_withinTheBudget_unpinned()
      throws Exception {
    List<String> roles = new ArrayList<>();
    List<String> sessions = new ArrayList<>();
    for (int i = 0; i < PEOPLE; i++) {
      String role = "spring_vt" + i;
      char[] pw = TestPasswords.remember((role + "-pw").toCharArray());
      servers.finance().createLogin(role, pw);
      servers.staff().createLogin(role, pw);
      servers.staff().execute(DemoServers.STAFF, "GRANT staff_reader TO " + role);
      Client c = new Client(port);
      assertThat(c.login(role, role + "-pw").statusCode()).isEqualTo(200);
      roles.add(role);
      sessions.add(c.cookie("JSESSIONID"));
    }
    // The backends of the login checks are gone before the count starts.
    Await.until(
        "at most " + BUDGET + " backends on finance",
        Duration.ofSeconds(10),
        () ->
            servers.finance().backends().stream()
                    .filter(b -> b.database().equals(DemoServers.FINANCE))
                    .count()
                <= BUDGET);
    ExecutorService clients = Pinning.virtualThreadPerTaskExecutor();
    try {
      HttpClient http =
          HttpClient.newBuilder()
              .executor(clients)
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(30))
              .build();

      // Warm-up: the first requests load and initialize classes with many virtual threads at
      // the door; a thread waiting for a class another is initializing is pinned, whatever code
      // it runs. Reported, not failed.
      Pinning warmUp = Pinning.start();
      List<PinnedEvent> warmUpPins;
      Wave first;
      try {
        first = wave(http, clients, roles, sessions, WARM_UP);
      } finally {
        warmUpPins = warmUp.stop();
      }
      first.assertAllRight();

      int virtualBefore = Probe.VIRTUAL.get();
      int platformBefore = Probe.PLATFORM.get();
      Probe.PEAK_IN_FLIGHT.set(0);
      Pinning pinning = Pinning.start();
      List<PinnedEvent> pinned;
      Wave wave;
      try (BackendPeaks finance = BackendPeaks.start(servers.finance(), DemoServers.FINANCE);
          BackendPeaks staff = BackendPeaks.start(servers.staff(), DemoServers.STAFF)) {
        try {
          Pinning.pinOnPurpose();
          wave = wave(http, clients, roles, sessions, REQUESTS);
        } finally {
          pinned = pinning.stop();
        }
        int virtual = Probe.VIRTUAL.get() - virtualBefore;
        int platform = Probe.PLATFORM.get() - platformBefore;
        DatabaseStats stats = userbound.stats("finance");
        System.out.printf(
            "spring virtual threads: %d requests for %d people in %d ms (%d on virtual threads,"
                + " %d on platform threads, at most %d at once); %d right, %d wrong, %d failed;"
                + " backends at most finance %d, staff %d (budget %d); finance opened %d"
                + " connections, reclaimed %d; pinned events: %d (%d with Userbound frames) in"
                + " the warm-up of %d requests, %d (%d) after%n",
            REQUESTS,
            PEOPLE,
            wave.millis,
            virtual,
            platform,
            Probe.PEAK_IN_FLIGHT.get(),
            wave.right.get(),
            wave.wrong.size(),
            wave.failed.size(),
            finance.peak(DemoServers.FINANCE),
            staff.peak(DemoServers.STAFF),
            BUDGET,
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
        assertThat(virtual).as("requests served on virtual threads").isEqualTo(REQUESTS);
        assertThat(platform).as("requests served on platform threads").isZero();
        assertThat(Probe.PEAK_IN_FLIGHT.get())
            .as("requests in the server at once (a loaded 2-core CI saw 479)")
            .isGreaterThan(REQUESTS / 8);
        assertThat(finance.peak(DemoServers.FINANCE)).isPositive().isLessThanOrEqualTo(BUDGET);
        assertThat(staff.peak(DemoServers.STAFF)).isPositive().isLessThanOrEqualTo(BUDGET);
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
   * Sends this many {@code GET /api/me} at once, one virtual thread each, person after person,
   * and waits for every answer.
   */
  private Wave wave(
      HttpClient http,
      ExecutorService clients,
      List<String> roles,
      List<String> sessions,
      int requests)
      throws Exception {
    Wave wave = new Wave(requests);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      String role = roles.get(i % roles.size());
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/me"))
              .header("Cookie", "JSESSIONID=" + sessions.get(i % roles.size()))
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
                    return null;
                  }
                  JsonNode me = Client.json(r);
                  String f = me.path("databases").path("finance").path("current_user").asString();
                  String s = me.path("databases").path("staff").path("current_user").asString();
                  if (role.equals(me.path("user").asString()) && role.equals(f) && role.equals(s)) {
                    wave.right.incrementAndGet();
                  } else {
                    wave.wrong.add(role + " saw " + me);
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
}
