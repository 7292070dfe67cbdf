package io.userbound.core;

import static io.userbound.core.Fixtures.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.userbound.core.Fixtures.Person;
import io.userbound.testkit.Await;
import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import io.userbound.testkit.TestPasswords;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** What an operator watches: events, counters, timings, application_name, health, JMX. */
@ExtendWith(PostgresExtension.class)
class OperationsTest {

  /** Collects events. */
  static final class Recorder implements UserboundListener {
    final ConcurrentLinkedQueue<UserboundEvent> events = new ConcurrentLinkedQueue<>();

    @Override
    public void onEvent(UserboundEvent e) {
      events.add(e);
    }

    List<UserboundEvent> of(UserboundEvent.Type type) {
      return events.stream().filter(e -> e.type() == type).toList();
    }
  }

  private static Userbound start(
      PostgresServer server, Recorder recorder, int budget, String application) {
    return Fixtures.userbound(
        UserboundConfig.builder()
            .applicationName(application)
            .listener(recorder)
            .database(
                Fixtures.database("main", server, "postgres")
                    .budget(budget)
                    .maxConnectionsPerPerson(Math.min(budget, 2))
                    .connectionTimeout(Duration.ofMillis(400))
                    .build())
            .build());
  }

  @Test
  void loginsPoolsAndRefusals_areEventsWithoutPasswords(PostgresServer server, TestNames names)
      throws Exception {
    Person alice = person(names);
    Recorder r = new Recorder();
    Userbound ub = start(server, r, 4, "ops-test");
    Login login = ub.login(alice.role(), alice.password(), "10.0.0.1");
    char[] wrong = TestPasswords.fresh();
    assertThatThrownBy(() -> ub.login(alice.role(), wrong, "10.0.0.2"))
        .isInstanceOf(LoginFailedException.class);
    assertThatThrownBy(() -> ub.login("nobody_" + names.prefix(), wrong.clone(), null))
        .isInstanceOf(LoginFailedException.class);
    ub.logout(login);

    UserboundEvent accepted = r.of(UserboundEvent.Type.LOGIN_ACCEPTED).get(0);
    assertThat(accepted.role()).isEqualTo(alice.role());
    assertThat(accepted.database()).isEqualTo("main");
    assertThat(accepted.client()).isEqualTo("10.0.0.1");
    assertThat(r.of(UserboundEvent.Type.LOGIN_REFUSED))
        .extracting(UserboundEvent::role)
        .containsExactly(alice.role(), "nobody_" + names.prefix());
    assertThat(r.of(UserboundEvent.Type.LOGIN_REFUSED).get(0).detail()).contains("28P01");
    assertThat(r.of(UserboundEvent.Type.POOL_OPENED))
        .extracting(UserboundEvent::role)
        .containsExactly(alice.role());
    assertThat(r.of(UserboundEvent.Type.POOL_RETIRED).get(0).detail()).isEqualTo("logout");
    Await.until(
        "the pool closed event",
        Duration.ofSeconds(10),
        () -> !r.of(UserboundEvent.Type.POOL_CLOSED).isEmpty());
    for (UserboundEvent e : r.events) {
      assertThat(e.toString())
          .doesNotContain(new String(alice.password()))
          .doesNotContain(new String(wrong));
    }
  }

  @Test
  void throttledLogins_areEvents(PostgresServer server, TestNames names) {
    Person alice = person(names);
    Recorder r = new Recorder();
    Userbound ub =
        Fixtures.userbound(
            UserboundConfig.builder()
                .listener(r)
                .loginThrottling(
                    LoginThrottling.builder()
                        .failuresPerRole(1)
                        .backoff(Duration.ofMinutes(1))
                        .build())
                .database(Fixtures.database("main", server, "postgres").build())
                .build());
    assertThatThrownBy(() -> ub.login(alice.role(), TestPasswords.fresh()))
        .isInstanceOf(LoginFailedException.class);
    assertThatThrownBy(() -> ub.login(alice.role(), alice.password()))
        .isInstanceOf(LoginThrottledException.class);
    UserboundEvent t = r.of(UserboundEvent.Type.LOGIN_THROTTLED).get(0);
    assertThat(t.role()).isEqualTo(alice.role());
    assertThat(t.database()).isEqualTo("main");
    assertThat(ub.stats("main").loginsThrottled()).isEqualTo(1);
  }

  @Test
  void budgetWaitReclaimAndExhaustion_areCountedAndTold(PostgresServer server, TestNames names)
      throws Exception {
    Person alice = person(names);
    Person bob = person(names);
    Recorder r = new Recorder();
    Userbound ub = start(server, r, 1, "ops-test");
    Login a = ub.login(alice.role(), alice.password());
    Login b = ub.login(bob.role(), bob.password()); // no free budget: verified, then closed
    try (Connection c = ub.connection(a, "main")) {
      assertThat(Fixtures.currentUser(c)).isEqualTo(alice.role());
      // bob waits the whole connection timeout: alice's only connection is in use
      assertThatThrownBy(() -> ub.connection(b, "main"))
          .isInstanceOf(BudgetExhaustedException.class);
    }
    // now alice's connection is idle: bob reclaims it
    try (Connection c = ub.connection(b, "main")) {
      assertThat(Fixtures.currentUser(c)).isEqualTo(bob.role());
    }
    DatabaseStats s = ub.stats("main");
    assertThat(s.budgetExhausted()).isEqualTo(1);
    assertThat(s.budgetWaits()).isEqualTo(2);
    assertThat(s.connectionsReclaimed()).isEqualTo(1);
    assertThat(r.of(UserboundEvent.Type.BUDGET_EXHAUSTED))
        .extracting(UserboundEvent::role)
        .containsExactly(bob.role());
    UserboundEvent reclaim = r.of(UserboundEvent.Type.RECLAIM).get(0);
    assertThat(reclaim.role()).isEqualTo(alice.role());
    assertThat(reclaim.detail()).contains(bob.role());
  }

  @Test
  void resets_performedAndSkipped_areCounted(PostgresServer server, TestNames names)
      throws Exception {
    Person alice = person(names);
    Userbound ub = start(server, new Recorder(), 4, "ops-test");
    Login a = ub.login(alice.role(), alice.password());
    for (int i = 0; i < 3; i++) {
      try (Connection c = ub.connection(a, "main");
          Statement st = c.createStatement()) {
        st.executeQuery("select 1").close();
      }
    }
    try (Connection c = ub.connection(a, "main");
        Statement st = c.createStatement()) {
      st.execute("select set_config('ops.marker', 'x', false)");
    }
    try (Connection c = ub.connection(a, "main")) {
      // borrowed and handed back without a statement
      assertThat(c.isClosed()).isFalse();
    }
    DatabaseStats s = ub.stats("main");
    assertThat(s.resetsPerformed()).isEqualTo(1);
    assertThat(s.resetsSkipped()).isEqualTo(4);
  }

  @Test
  void timings_reachTheListener(PostgresServer server, TestNames names) throws Exception {
    Person alice = person(names);
    Userbound ub = start(server, new Recorder(), 4, "ops-test");
    AtomicLong borrowed = new AtomicLong();
    AtomicLong opened = new AtomicLong();
    AtomicLong used = new AtomicLong();
    TimingListener t =
        new TimingListener() {
          @Override
          public void borrowed(String database, long nanos) {
            assertThat(database).isEqualTo("main");
            borrowed.addAndGet(nanos > 0 ? 1 : 1_000_000);
          }

          @Override
          public void opened(String database, long nanos) {
            opened.addAndGet(nanos > 0 ? 1 : 1_000_000);
          }

          @Override
          public void used(String database, long nanos) {
            used.addAndGet(nanos > 0 ? 1 : 1_000_000);
          }
        };
    ub.addTimingListener(t);
    Login a = ub.login(alice.role(), alice.password()); // opens one connection
    for (int i = 0; i < 3; i++) {
      try (Connection c = ub.connection(a, "main")) {
        Fixtures.currentUser(c);
      }
    }
    ub.removeTimingListener(t);
    try (Connection c = ub.connection(a, "main")) {
      Fixtures.currentUser(c);
    }
    assertThat(borrowed.get()).isEqualTo(3);
    assertThat(used.get()).isEqualTo(3);
    assertThat(opened.get()).isEqualTo(1);
  }

  @Test
  void applicationName_isWhatPgStatActivityShows(PostgresServer server, TestNames names)
      throws Exception {
    Person alice = person(names);
    Userbound ub = start(server, new Recorder(), 4, "payroll-" + names.prefix());
    Login a = ub.login(alice.role(), alice.password());
    try (Connection c = ub.connection(a, "main");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("show application_name")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("payroll-" + names.prefix());
    }
    for (String bad : List.of("", "x".repeat(64), "tab\there", "caf\u00e9")) {
      assertThatThrownBy(() -> UserboundConfig.builder().applicationName(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("applicationName");
    }
  }

  @Test
  void health_upSaturatedAndDown(PostgresServer server, TestNames names) throws Exception {
    Person alice = person(names);
    Userbound ub =
        Fixtures.userbound(
            UserboundConfig.builder()
                .database(
                    Fixtures.database("main", server, "postgres")
                        .budget(1)
                        .maxConnectionsPerPerson(1)
                        .build())
                .database(
                    DatabaseConfig.builder("gone", "jdbc:postgresql://127.0.0.1:1/postgres")
                        .connectionTimeout(Duration.ofMillis(500))
                        .build())
                .build());
    DatabaseHealth up = ub.health("main");
    assertThat(up.status()).isEqualTo(DatabaseHealth.Status.UP);
    assertThat(up.reachable()).isTrue();
    assertThat(up.ready()).isTrue();
    DatabaseHealth down = ub.health("gone");
    assertThat(down.status()).isEqualTo(DatabaseHealth.Status.DOWN);
    assertThat(down.ready()).isFalse();
    assertThat(down.detail()).contains("127.0.0.1:1");
    assertThat(ub.health()).extracting(DatabaseHealth::database).containsExactly("main", "gone");

    Login a = ub.login(alice.role(), alice.password());
    try (Connection c = ub.connection(a, "main")) {
      DatabaseHealth full = ub.health("main");
      assertThat(full.status()).isEqualTo(DatabaseHealth.Status.SATURATED);
      assertThat(full.saturation()).isEqualTo(1.0);
      assertThat(full.ready()).isTrue();
    }
    // A flood of health checks reuses a fresh result: the server sees one probe a second.
    for (int i = 0; i < 200; i++) {
      assertThat(ub.health("main").reachable()).isTrue();
    }
    // The probe authenticates nobody and leaves no backend behind.
    Await.until(
        "no probe backend left",
        Duration.ofSeconds(10),
        () -> server.backends().stream().noneMatch(b -> "userbound_health_probe".equals(b.user())));
  }

  @Test
  void jmx_showsFiguresAndLogsARoleOutEverywhere(PostgresServer server, TestNames names)
      throws Exception {
    Person alice = person(names);
    String app = "jmx-" + names.prefix();
    Userbound ub =
        Fixtures.userbound(
            UserboundConfig.builder()
                .applicationName(app)
                .database(Fixtures.database("main", server, "postgres").budget(3).build())
                .database(Fixtures.database("other", server, "postgres").budget(2).build())
                .build());
    MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
    ObjectName main =
        new ObjectName("io.userbound:type=Database,application=\"" + app + "\",name=\"main\"");
    assertThat(mbs.getAttribute(main, "Budget")).isEqualTo(3);
    assertThat(mbs.getAttribute(main, "Health")).isEqualTo("UP");

    Login a = ub.login(alice.role(), alice.password());
    try (Connection c = ub.connection(a, "other")) {
      Fixtures.currentUser(c);
    }
    assertThat(mbs.getAttribute(main, "LoginsAccepted")).isEqualTo(1L);
    assertThat(mbs.getAttribute(main, "IdleConnections")).isEqualTo(1);

    Object had =
        mbs.invoke(
            main, "logoutRole", new Object[] {alice.role()}, new String[] {"java.lang.String"});
    assertThat(had).isEqualTo(2);
    // Web layers ask the login itself before they bind it (a session then counts as logged out).
    assertThat(a.isLoggedOut()).isTrue();
    assertThatThrownBy(() -> ub.connection(a, "main")).isInstanceOf(LoginFailedException.class);
    Await.until(
        "alice's backends closed",
        Duration.ofSeconds(10),
        () -> server.backendCount(alice.role()) == 0);
    // A login made after it works.
    Login again = ub.login(alice.role(), alice.password());
    assertThat(again.isLoggedOut()).isFalse();
    try (Connection c = ub.connection(again, "main")) {
      assertThat(Fixtures.currentUser(c)).isEqualTo(alice.role());
    }
    Object closing = mbs.invoke(main, "closeIdlePools", new Object[0], new String[0]);
    assertThat(closing).isEqualTo(1);
    assertThat(ub.stats("main").pools()).isLessThanOrEqualTo(1); // closing, off this thread
    Await.until(
        "the idle connection closed",
        Duration.ofSeconds(10),
        () -> ub.stats("main").idleConnections() == 0 && server.backendCount(alice.role()) == 0);

    // A second instance of the same application gets its own names; closing unregisters.
    Userbound twin =
        Userbound.create(
            UserboundConfig.builder()
                .applicationName(app)
                .database(Fixtures.database("main", server, "postgres").build())
                .build());
    Set<ObjectName> both =
        mbs.queryNames(new ObjectName("io.userbound:application=\"" + app + "\",*"), null);
    assertThat(both).hasSize(3);
    twin.close();
    ub.close();
    assertThat(mbs.queryNames(new ObjectName("io.userbound:application=\"" + app + "\",*"), null))
        .isEmpty();
    assertThat(
            UserboundConfig.builder()
                .jmx(false)
                .database(Fixtures.database("main", server, "postgres").build())
                .build()
                .jmx())
        .isFalse();
  }

  @Test
  void auditLog_escapesHostileRolesAndSetsMdc(PostgresServer server, TestNames names) {
    List<ILoggingEvent> seen = new ArrayList<>();
    AppenderBase<ILoggingEvent> capture =
        new AppenderBase<>() {
          @Override
          protected synchronized void append(ILoggingEvent e) {
            e.prepareForDeferredProcessing(); // the MDC as it was at the call
            seen.add(e);
          }
        };
    Logger audit = (Logger) LoggerFactory.getLogger("io.userbound.audit");
    capture.setContext(audit.getLoggerContext());
    capture.start();
    audit.addAppender(capture);
    try {
      Userbound ub = Fixtures.userbound(server);
      char[] pw = TestPasswords.fresh();
      String hostile = "evil\nINFO forged line " + names.prefix();
      assertThatThrownBy(() -> ub.login(hostile, pw, "1.2.3.4\r\n"))
          .isInstanceOf(LoginFailedException.class);
      ILoggingEvent e;
      synchronized (capture) {
        e =
            seen.stream()
                .filter(x -> x.getFormattedMessage().contains("LOGIN_REFUSED"))
                .findFirst()
                .orElseThrow();
      }
      assertThat(e.getLevel().toString()).isEqualTo("INFO");
      assertThat(e.getFormattedMessage())
          .doesNotContain("\n")
          .doesNotContain("\r")
          .doesNotContain(new String(pw));
      Map<String, String> mdc = e.getMDCPropertyMap();
      assertThat(mdc.get("userbound.database")).isEqualTo("main");
      assertThat(mdc.get("userbound.role")).contains("forged line").doesNotContain("\n");
      assertThat(MDC.get("userbound.role")).isNull(); // put back afterwards
    } finally {
      audit.detachAppender(capture);
    }
  }
}
