package io.userbound.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.userbound.core.BudgetExhaustedException;
import io.userbound.core.DatabaseConfig;
import io.userbound.core.Login;
import io.userbound.core.LoginFailedException;
import io.userbound.core.Userbound;
import io.userbound.core.UserboundConfig;
import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import io.userbound.testkit.TestPasswords;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class UserboundMetricsTest {

  private static Userbound start(PostgresServer server, int budget) {
    return Userbound.create(
        UserboundConfig.builder()
            .jmx(false)
            .database(
                DatabaseConfig.builder("main", server.jdbcUrl("postgres"))
                    .budget(budget)
                    .maxConnectionsPerPerson(1)
                    .connectionTimeout(Duration.ofMillis(400))
                    .build())
            .build());
  }

  private static double value(MeterRegistry r, String name, String... tags) {
    var search = r.find(name).tags(tags);
    if (search.gauge() != null) {
      return search.gauge().value();
    }
    return search.functionCounter().count();
  }

  @Test
  void scriptedScenario_givesEachMeterItsValue(PostgresServer server, TestNames names)
      throws Exception {
    char[] pa = TestPasswords.fresh();
    char[] pb = TestPasswords.fresh();
    String alice = names.login(pa);
    String bob = names.login(pb);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Userbound ub = start(server, 1);
        UserboundMetrics metrics = new UserboundMetrics(ub)) {
      metrics.snapshotNanos = 0; // every read is fresh
      metrics.bindTo(registry);
      Login a = ub.login(alice, pa); // accepted, alice's pool opens with the only permit
      Login b = ub.login(bob, pb); // accepted, no free permit: closed after the check
      assertThatThrownBy(() -> ub.login(alice, TestPasswords.fresh()))
          .isInstanceOf(LoginFailedException.class); // refused
      try (Connection c = ub.connection(a, "main")) {
        assertThat(value(registry, "userbound.connections.active", "database", "main"))
            .isEqualTo(1);
        assertThat(value(registry, "userbound.connections.used", "database", "main")).isEqualTo(1);
        // bob waits the whole timeout: budget waited on, and exhausted
        assertThatThrownBy(() -> ub.connection(b, "main"))
            .isInstanceOf(BudgetExhaustedException.class);
      }
      try (Connection c = ub.connection(b, "main"); // reclaims alice's idle connection
          Statement st = c.createStatement()) {
        st.execute("select set_config('metrics.marker', 'x', false)"); // a reset at hand-back
      }
      // two logins, and the real login that opened bob's pool on his request
      assertThat(value(registry, "userbound.logins", "database", "main", "result", "accepted"))
          .isEqualTo(3);
      assertThat(value(registry, "userbound.logins", "database", "main", "result", "refused"))
          .isEqualTo(1);
      assertThat(value(registry, "userbound.logins", "database", "main", "result", "throttled"))
          .isZero();
      assertThat(value(registry, "userbound.connections.max", "database", "main")).isEqualTo(1);
      assertThat(value(registry, "userbound.connections.active", "database", "main")).isZero();
      assertThat(value(registry, "userbound.connections.pending", "database", "main")).isZero();
      assertThat(value(registry, "userbound.connections.reclaimed", "database", "main"))
          .isEqualTo(1);
      assertThat(value(registry, "userbound.budget.waits", "database", "main")).isEqualTo(2);
      assertThat(value(registry, "userbound.budget.exhausted", "database", "main")).isEqualTo(1);
      assertThat(value(registry, "userbound.resets", "database", "main", "result", "performed"))
          .isEqualTo(1);
      assertThat(value(registry, "userbound.resets", "database", "main", "result", "skipped"))
          .isEqualTo(1);
      assertThat(value(registry, "userbound.connections.opened", "database", "main"))
          .isEqualTo(2); // alice's at login, bob's at his request
      assertThat(value(registry, "userbound.pools.evicted", "database", "main")).isEqualTo(1);
      FunctionTimer acquire =
          registry.find("userbound.connections.acquire").tag("database", "main").functionTimer();
      assertThat(acquire.count()).isEqualTo(2); // the borrows that got a connection
      assertThat(acquire.totalTime(TimeUnit.NANOSECONDS)).isGreaterThan(0);
      double p50 = value(registry, "userbound.connections.acquire.percentile", "phi", "0.5");
      double p99 = value(registry, "userbound.connections.acquire.percentile", "phi", "0.99");
      // bob's second borrow paid a real login: slower than alice's warm one
      assertThat(p99).isGreaterThan(p50).isGreaterThan(0);
      assertThat(p99).isLessThanOrEqualTo(acquire.totalTime(TimeUnit.SECONDS) * 1.125);
      assertThat(registry.find("userbound.connections.usage").functionTimer().count()).isEqualTo(2);
      // opened on a request (bob's); the login's own open is timed too
      assertThat(registry.find("userbound.connections.creation").timer().count())
          .isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void meterCount_doesNotGrowWithPeople(PostgresServer server, TestNames names) throws Exception {
    char[] pw = TestPasswords.fresh();
    int people = 1000;
    server.execute(
        "postgres",
        "DO $$ BEGIN FOR i IN 1.."
            + people
            + " LOOP EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', '"
            + names.prefix()
            + "_p' || i, '"
            + new String(pw)
            + "'); END LOOP; END $$");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Userbound ub =
            Userbound.create(
                UserboundConfig.builder()
                    .jmx(false)
                    .database(
                        DatabaseConfig.builder("main", server.jdbcUrl("postgres"))
                            .budget(8)
                            .connectionTimeout(Duration.ofSeconds(10))
                            .build())
                    .build());
        UserboundMetrics metrics = new UserboundMetrics(ub, Tags.of("app", "test"))) {
      metrics.snapshotNanos = 0; // every read is fresh
      metrics.bindTo(registry);
      int before = registry.getMeters().size();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<?>> work = new ArrayList<>();
        for (int i = 1; i <= people; i++) {
          String role = names.prefix() + "_p" + i;
          work.add(
              pool.submit(
                  () -> {
                    Login l = ub.login(role, pw);
                    if (role.endsWith("0")) { // one in ten also makes a request
                      try (Connection c = ub.connection(l, "main")) {
                        c.isValid(1);
                      }
                    }
                    ub.logout(l);
                    return null;
                  }));
        }
        for (Future<?> f : work) {
          f.get(120, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(registry.getMeters()).hasSize(before);
      assertThat(value(registry, "userbound.logins", "database", "main", "result", "accepted"))
          .isGreaterThanOrEqualTo(people);
      assertThat(registry.find("userbound.connections.acquire").functionTimer().count())
          .isEqualTo(people / 10.0);
      assertThat(registry.getMeters())
          .allSatisfy(m -> assertThat(m.getId().getTag("app")).isEqualTo("test"));
    }
  }

  @Test
  void prometheusScrape_namesEveryMeterByDatabase(PostgresServer server, TestNames names)
      throws Exception {
    char[] pa = TestPasswords.fresh();
    String alice = names.login(pa);
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (Userbound ub = start(server, 2);
        UserboundMetrics metrics = new UserboundMetrics(ub)) {
      metrics.bindTo(prometheus);
      Login a = ub.login(alice, pa);
      try (Connection c = ub.connection(a, "main")) {
        c.isValid(1);
      }
      String scrape = prometheus.scrape();
      assertThat(scrape)
          .contains("userbound_connections_active{database=\"main\"}")
          .contains("userbound_connections_max{database=\"main\"} 2.0")
          .contains("userbound_logins_total{database=\"main\",result=\"accepted\"} 1.0")
          .contains("userbound_connections_acquire_seconds_count{database=\"main\"} 1")
          .contains("userbound_connections_acquire_seconds_sum{database=\"main\"}")
          .contains(
              "userbound_connections_acquire_percentile_seconds{database=\"main\",phi=\"0.99\"}")
          .doesNotContain(alice)
          .doesNotContain(new String(pa));
    }
  }

  @Test
  void badPercentiles_areRefused(PostgresServer server) {
    try (Userbound ub = start(server, 2)) {
      assertThatThrownBy(() -> new UserboundMetrics(ub, Tags.empty(), 1.5))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("percentiles");
    }
  }
}
