package io.userbound.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.userbound.testkit.Await;
import io.userbound.testkit.PostgresOptions;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestPasswords;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * High availability with PostgreSQL's own streaming replication and a multi-host URL
 * ({@code targetServerType=primary}): the primary crashes under load, the standby is promoted,
 * and every logged-in person carries on on the new primary without logging in again, never as
 * anyone else; the requests that fail in between fail typed. The recovery time is measured.
 */
class FailoverTest {

  private static final int PEOPLE = 6;
  private static final int THREADS = 4;

  @ParameterizedTest
  @EnumSource(IsolationStrategy.class)
  void primaryCrashesUnderLoad_standbyPromoted_everyoneCarriesOnWithoutLoggingIn(
      IsolationStrategy strategy) throws Exception {
    try (PostgresServer primary =
            PostgresServer.start(PostgresOptions.builder().name("failover").build());
        PostgresServer standby = primary.startStandby()) {
      primary.createDatabase("finance");
      List<String> roles = new ArrayList<>();
      Map<String, char[]> passwords = new HashMap<>();
      for (int i = 0; i < PEOPLE; i++) {
        String role = "failover_" + i;
        char[] pw = TestPasswords.fresh();
        primary.createLogin(role, pw);
        roles.add(role);
        passwords.put(role, pw);
      }
      char[] gatewayPassword = TestPasswords.fresh();
      if (strategy == IsolationStrategy.ROLE_SWITCHING) {
        primary.createLogin("failover_gateway", gatewayPassword);
        primary.execute("postgres", "ALTER ROLE failover_gateway NOINHERIT");
        primary.grantToGateway("failover_gateway", roles.toArray(String[]::new));
      }
      Await.until(
          "the standby has replayed the roles and the database",
          Duration.ofSeconds(30),
          () -> standby.replayedEverythingOf(primary));

      // pgjdbc remembers which host is a standby for hostRecheckSeconds (default 10).
      String url =
          "jdbc:postgresql://127.0.0.1:"
              + primary.port()
              + ",127.0.0.1:"
              + standby.port()
              + "/finance?sslmode=disable&targetServerType=primary&hostRecheckSeconds=1"
              + "&connectTimeout=2";
      DatabaseConfig.Builder db =
          DatabaseConfig.builder("finance", url).connectionTimeout(Duration.ofSeconds(2)).budget(8);
      if (strategy == IsolationStrategy.ROLE_SWITCHING) {
        db.roleSwitching("failover_gateway", gatewayPassword);
      }
      Userbound ub = Fixtures.userbound(db.build());
      Map<String, Login> logins = new ConcurrentHashMap<>();
      for (String role : roles) {
        logins.put(role, ub.login(role, passwords.get(role)));
      }

      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong okOnPrimary = new AtomicLong();
      AtomicLong okOnNewPrimary = new AtomicLong();
      AtomicLong firstOnNewPrimary = new AtomicLong();
      AtomicLong firstFailure = new AtomicLong();
      AtomicLong lastFailure = new AtomicLong();
      Map<String, Long> failures = new ConcurrentHashMap<>();
      ConcurrentLinkedQueue<String> untyped = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
      ExecutorService threads = Executors.newFixedThreadPool(THREADS);
      List<Future<?>> workers = new ArrayList<>();
      long crashed;
      long promoted;
      try {
        for (int w = 0; w < THREADS; w++) {
          int offset = w;
          workers.add(
              threads.submit(
                  () -> {
                    int n = offset;
                    while (!stop.get()) {
                      String role = roles.get(n++ % roles.size());
                      try (Connection c = ub.connection(logins.get(role), "finance");
                          Statement st = c.createStatement();
                          ResultSet rs =
                              st.executeQuery("SELECT current_user, inet_server_port()")) {
                        rs.next();
                        if (!role.equals(rs.getString(1))) {
                          wrong.add(role + " ran as " + rs.getString(1));
                        }
                        if (rs.getInt(2) == standby.port()) {
                          firstOnNewPrimary.compareAndSet(0, System.nanoTime());
                          okOnNewPrimary.incrementAndGet();
                        } else {
                          okOnPrimary.incrementAndGet();
                        }
                      } catch (UserboundException | SQLException e) {
                        long now = System.nanoTime();
                        firstFailure.compareAndSet(0, now);
                        lastFailure.set(now);
                        String type = e.getClass().getSimpleName();
                        if (e instanceof SQLException sql) {
                          if (sql.getSQLState() == null) {
                            untyped.add(e.toString());
                          }
                          type += " " + sql.getSQLState();
                        }
                        failures.merge(type, 1L, Long::sum);
                      }
                    }
                    return null;
                  }));
        }
        Await.until("load running", Duration.ofSeconds(20), () -> okOnPrimary.get() > 200);
        crashed = System.nanoTime();
        primary.crash();
        standby.promote();
        promoted = System.nanoTime();
        Await.until(
            "requests succeed on the new primary",
            Duration.ofSeconds(30),
            () -> okOnNewPrimary.get() > 200);
        stop.set(true);
        for (Future<?> f : workers) {
          f.get(30, TimeUnit.SECONDS); // no thread is left stuck
        }
      } finally {
        stop.set(true);
        threads.shutdownNow();
      }

      long recovered = firstOnNewPrimary.get();
      System.out.printf(
          "failover (%s): %d requests on the primary, %d on the new one; crash to promoted %d"
              + " ms, promoted to first request served %d ms, crash to first request served %d ms;"
              + " failures between %d ms and %d ms after the crash, by type: %s%n",
          strategy,
          okOnPrimary.get(),
          okOnNewPrimary.get(),
          TimeUnit.NANOSECONDS.toMillis(promoted - crashed),
          TimeUnit.NANOSECONDS.toMillis(recovered - promoted),
          TimeUnit.NANOSECONDS.toMillis(recovered - crashed),
          firstFailure.get() == 0
              ? -1
              : TimeUnit.NANOSECONDS.toMillis(firstFailure.get() - crashed),
          lastFailure.get() == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(lastFailure.get() - crashed),
          failures);

      assertThat(wrong).as("requests that ran as someone else").isEmpty();
      assertThat(untyped).as("failures without a type or SQLSTATE").isEmpty();
      assertThat(failures.keySet())
          .as("failures are DatabaseUnavailableException or connection-class SQLSTATEs")
          .allMatch(
              t ->
                  t.equals("DatabaseUnavailableException")
                      || t.matches("\\w*SQLException (08|57P)\\w*"));
      assertThat(recovered).isGreaterThan(crashed);
      // Everyone's next request works on the new primary, with the login they already had.
      for (String role : roles) {
        try (Connection c = ub.connection(logins.get(role), "finance");
            Statement st = c.createStatement();
            ResultSet rs =
                st.executeQuery("SELECT current_user, inet_server_port(), pg_is_in_recovery()")) {
          rs.next();
          assertThat(rs.getString(1)).isEqualTo(role);
          assertThat(rs.getInt(2)).isEqualTo(standby.port());
          assertThat(rs.getBoolean(3)).isFalse();
        }
      }
    }
  }
}
