package io.userbound.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.userbound.testkit.PostgresOptions;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestPasswords;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.PGConnection;

/**
 * Many people, many threads, constant churn: every borrow must run as the bound person.
 * Its own server, so that 200 people fit under max_connections.
 */
class IsolationStressTest {

  private static final int PEOPLE = 200;
  private static final int WORKERS = 8;
  private static final int BORROWS_PER_WORKER = 7_000;

  private static final String GATEWAY = "stress_gateway";

  private static PostgresServer server;
  private static char[] gatewayPassword;
  private static final List<String> roles = new ArrayList<>();
  private static final AtomicReferenceArray<char[]> passwords = new AtomicReferenceArray<>(PEOPLE);

  @BeforeAll
  static void startServer() {
    server =
        PostgresServer.start(PostgresOptions.builder().name("stress").maxConnections(300).build());
    for (int i = 0; i < PEOPLE; i++) {
      String role = "stress_" + i;
      char[] pw = TestPasswords.fresh();
      server.createLogin(role, pw);
      roles.add(role);
      passwords.set(i, pw);
    }
    gatewayPassword = TestPasswords.fresh();
    server.createLogin(GATEWAY, gatewayPassword);
    server.execute("postgres", "ALTER ROLE " + GATEWAY + " NOINHERIT");
    server.grantToGateway(GATEWAY, roles.toArray(String[]::new));
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @ParameterizedTest
  @MethodSource("io.userbound.core.Strategies#supported")
  void isolation_underLoadWithLogoutsEvictionsAndPasswordChanges(IsolationStrategy strategy)
      throws Exception {
    boolean switching = strategy == IsolationStrategy.ROLE_SWITCHING;
    DatabaseConfig.Builder db =
        DatabaseConfig.builder("main", server.jdbcUrl("postgres"))
            .budget(switching ? 24 : 250)
            .maxConnectionsPerPerson(2)
            .maxPools(185)
            .connectionTimeout(Duration.ofSeconds(20));
    if (switching) {
      db.roleSwitching(GATEWAY, gatewayPassword); // few connections: nearly every borrow switches
    }
    Userbound ub =
        Fixtures.track(Userbound.create(UserboundConfig.builder().database(db.build()).build()));
    AtomicReferenceArray<Login> logins = new AtomicReferenceArray<>(PEOPLE);
    for (int i = 0; i < PEOPLE; i++) {
      logins.set(i, ub.login(roles.get(i), passwords.get(i)));
    }

    AtomicLong borrows = new AtomicLong();
    AtomicLong mismatches = new AtomicLong();
    AtomicLong refusals = new AtomicLong();
    AtomicLong logouts = new AtomicLong();
    AtomicLong passwordChanges = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService threads = Executors.newFixedThreadPool(WORKERS + 1);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < WORKERS; w++) {
        workers.add(
            threads.submit(
                () -> {
                  ThreadLocalRandom random = ThreadLocalRandom.current();
                  for (int n = 0; n < BORROWS_PER_WORKER; n++) {
                    int i = random.nextInt(PEOPLE);
                    Login login = logins.get(i);
                    String session = switching ? GATEWAY : login.role();
                    try (Binding b = ub.bind(login);
                        Connection c = ub.connection("main");
                        Statement st = c.createStatement()) {
                      try (ResultSet rs =
                          st.executeQuery(
                              "select current_user, session_user,"
                                  + " coalesce(current_setting('stress.marker', true), '')")) {
                        rs.next();
                        if (!login.role().equals(rs.getString(1))
                            || !session.equals(rs.getString(2))
                            || !rs.getString(3).isEmpty()) {
                          mismatches.incrementAndGet();
                        }
                      }
                      if (random.nextInt(4) == 0) {
                        // session state the next request, whoever it is, must not see
                        st.execute("select set_config('stress.marker', '" + i + "', false)");
                      }
                      borrows.incrementAndGet();
                    } catch (LoginFailedException e) {
                      refusals.incrementAndGet(); // a login that was logged out or whose password
                      // changed
                    }
                  }
                  return null;
                }));
      }
      Future<?> chaos =
          threads.submit(
              () -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (!stop.get()) {
                  int i = random.nextInt(PEOPLE);
                  if (random.nextBoolean()) {
                    Login old = logins.get(i);
                    ub.logout(old);
                    logins.set(i, ub.login(roles.get(i), passwords.get(i)));
                    logouts.incrementAndGet();
                  } else {
                    char[] pw = TestPasswords.fresh();
                    try (Connection admin = server.adminConnection("postgres")) {
                      admin
                          .unwrap(PGConnection.class)
                          .alterUserPassword(roles.get(i), pw.clone(), "scram-sha-256");
                    }
                    passwords.set(i, pw);
                    logins.set(i, ub.login(roles.get(i), pw));
                    passwordChanges.incrementAndGet();
                  }
                  LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                }
                return null;
              });
      for (Future<?> f : workers) {
        f.get(10, TimeUnit.MINUTES);
      }
      stop.set(true);
      chaos.get(1, TimeUnit.MINUTES);
    } finally {
      stop.set(true);
      threads.shutdownNow();
      threads.awaitTermination(30, TimeUnit.SECONDS);
    }
    DatabaseStats s = ub.stats("main");
    System.out.printf(
        "isolation ("
            + strategy
            + "): %d threads, %d roles, %d borrows, %d mismatches, %d refusals of stale logins,"
            + " %d logouts, %d password changes, %d pools evicted, %d logins accepted, %d role"
            + " switches%n",
        WORKERS,
        PEOPLE,
        borrows.get(),
        mismatches.get(),
        refusals.get(),
        logouts.get(),
        passwordChanges.get(),
        s.poolsEvicted(),
        s.loginsAccepted(),
        s.roleSwitches());
    assertThat(mismatches.get()).isZero();
    assertThat(borrows.get()).isGreaterThanOrEqualTo(50_000);
    assertThat(logouts.get()).isPositive();
    assertThat(passwordChanges.get()).isPositive();
    if (switching) {
      assertThat(s.roleSwitches()).isPositive();
      assertThat(s.budgetUsed()).isLessThanOrEqualTo(24);
    } else {
      assertThat(s.poolsEvicted()).isGreaterThan(logouts.get() + passwordChanges.get());
    }
  }
}
