package io.userbound.core;

import static io.userbound.core.Fixtures.currentUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.userbound.testkit.Await;
import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import io.userbound.testkit.TestPasswords;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class BudgetTest {

  @Test
  void budget_fiftyPeopleTakingTurns_neverExceedsTenBackends(PostgresServer server, TestNames names)
      throws Exception {
    int people = 50;
    List<String> roles = new ArrayList<>();
    List<char[]> passwords = new ArrayList<>();
    for (int i = 0; i < people; i++) {
      char[] pw = TestPasswords.fresh();
      roles.add(names.login(pw));
      passwords.add(pw);
    }
    Set<String> ours = Set.copyOf(roles);
    Userbound ub =
        Fixtures.userbound(
            UserboundConfig.builder()
                .database(
                    Fixtures.database("main", server, "postgres")
                        .budget(10)
                        .maxConnectionsPerPerson(2)
                        .connectionTimeout(Duration.ofSeconds(10))
                        .build())
                .loginThrottling(LoginThrottling.builder().maxConcurrentLogins(4).build())
                .build());

    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger maxSeen = new AtomicInteger();
    AtomicInteger samples = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(5);
    try {
      Future<?> watcher =
          pool.submit(
              () -> {
                while (!done.get()) {
                  long n = server.backends().stream().filter(b -> ours.contains(b.user())).count();
                  maxSeen.accumulateAndGet((int) n, Math::max);
                  samples.incrementAndGet();
                }
                return null;
              });
      List<Future<Integer>> workers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int offset = t;
        workers.add(
            pool.submit(
                () -> {
                  int ok = 0;
                  for (int round = 0; round < 3; round++) {
                    for (int i = offset; i < people; i += 4) {
                      Login login = ub.login(roles.get(i), passwords.get(i));
                      try (Binding b = ub.bind(login);
                          Connection c = ub.connection("main")) {
                        assertThat(currentUser(c)).isEqualTo(roles.get(i));
                        ok++;
                      }
                    }
                  }
                  return ok;
                }));
      }
      int total = 0;
      for (Future<Integer> w : workers) {
        total += w.get(120, TimeUnit.SECONDS);
      }
      done.set(true);
      watcher.get(30, TimeUnit.SECONDS);
      assertThat(total).isEqualTo(people * 3);
    } finally {
      done.set(true);
      pool.shutdownNow();
    }
    System.out.printf(
        "budget 10, %d people: max backends seen %d over %d samples, reclaimed %d%n",
        people, maxSeen.get(), samples.get(), ub.stats("main").connectionsReclaimed());
    assertThat(samples.get()).isPositive();
    // The budget's 10, plus at most 4 logins being verified outside it (one per worker).
    assertThat(maxSeen.get()).isLessThanOrEqualTo(14);
    assertThat(ub.stats("main").budgetUsed()).isLessThanOrEqualTo(10);
    assertThat(ub.stats("main").connectionsReclaimed()).isPositive();
  }

  @Test
  void budget_allHeld_nextCallerGetsBudgetExhaustedWithState(PostgresServer server, TestNames names)
      throws Exception {
    Userbound ub =
        Fixtures.userbound(
            Fixtures.database("main", server, "postgres")
                .budget(10)
                .maxConnectionsPerPerson(1)
                .connectionTimeout(Duration.ofMillis(600))
                .build());
    List<Connection> held = new ArrayList<>();
    try {
      for (int i = 0; i < 10; i++) {
        char[] pw = TestPasswords.fresh();
        Login l = ub.login(names.login(pw), pw);
        held.add(ub.connection(l, "main"));
      }
      char[] pw = TestPasswords.fresh();
      String late = names.login(pw);
      Login lateLogin =
          ub.login(late, pw); // verified outside the budget; its connection is not kept
      assertThat(server.backends().stream().filter(b -> b.user().equals(late)).count()).isZero();
      long start = System.nanoTime();
      assertThatThrownBy(() -> ub.connection(lateLogin, "main"))
          .isInstanceOf(BudgetExhaustedException.class)
          .hasMessageContaining("database 'main'")
          .hasMessageContaining("budget 10")
          .hasMessageContaining("in use 10")
          .hasMessageContaining("active 10")
          .hasMessageContaining("idle 0")
          .hasMessageContaining("waiting");
      long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(waitedMs).as("waited about the connection timeout").isGreaterThanOrEqualTo(550);
      assertThat(server.backends().stream().filter(b -> b.user().equals(late)).count()).isZero();
      assertThat(ub.stats("main").pools()).isEqualTo(10);
    } finally {
      for (Connection c : held) {
        c.close();
      }
    }
  }

  @Test
  void budget_samePersonsSecondConnection_neverReclaimsAnotherPersonsOnlyConnection(
      PostgresServer server, TestNames names) throws Exception {
    Userbound ub =
        Fixtures.userbound(
            Fixtures.database("main", server, "postgres")
                .budget(2)
                .maxConnectionsPerPerson(2)
                .connectionTimeout(Duration.ofMillis(500))
                .build());
    char[] pa = TestPasswords.fresh();
    char[] pb = TestPasswords.fresh();
    Login a = ub.login(names.login(pa), pa);
    Login b = ub.login(names.login(pb), pb); // budget now full: a and b hold one idle each
    try (Connection a1 = ub.connection(a, "main")) {
      assertThatThrownBy(() -> ub.connection(a, "main"))
          .isInstanceOf(BudgetExhaustedException.class);
      assertThat(currentUser(a1)).isEqualTo(a.role());
    }
    assertThat(ub.stats("main").connectionsReclaimed()).isZero();
    assertThat(server.backendCount(b.role())).as("b keeps its connection").isEqualTo(1);
    // Once a's own connection is back, a's next request is served by it.
    try (Connection again = ub.connection(a, "main")) {
      assertThat(currentUser(again)).isEqualTo(a.role());
    }
  }

  @Test
  void budget_firstConnectionOfAPerson_reclaimsTheLeastRecentlyUsedIdleOne(
      PostgresServer server, TestNames names) throws Exception {
    Userbound ub =
        Fixtures.userbound(
            Fixtures.database("main", server, "postgres")
                .budget(2)
                .maxConnectionsPerPerson(2)
                .build());
    char[] pa = TestPasswords.fresh();
    char[] pb = TestPasswords.fresh();
    char[] pc = TestPasswords.fresh();
    Login a = ub.login(names.login(pa), pa);
    Login b = ub.login(names.login(pb), pb);
    try (Connection c = ub.connection(b, "main")) {
      assertThat(currentUser(c)).isEqualTo(b.role()); // b is now more recently used than a
    }
    Login c = ub.login(names.login(pc), pc); // a login never reclaims
    assertThat(ub.stats("main").connectionsReclaimed()).isZero();
    assertThat(server.backendCount(a.role())).isEqualTo(1);
    try (Connection first = ub.connection(c, "main")) { // c's first request: a's is reclaimed
      assertThat(currentUser(first)).isEqualTo(c.role());
    }
    assertThat(ub.stats("main").connectionsReclaimed()).isEqualTo(1);
    assertThat(server.backendCount(a.role())).isZero();
    assertThat(server.backendCount(b.role())).isEqualTo(1);
    assertThat(server.backendCount(c.role())).isEqualTo(1);
    Set<String> users = server.backends().stream().map(x -> x.user()).collect(Collectors.toSet());
    assertThat(users).doesNotContain(a.role());
  }

  /**
   * People who all fit take turns, with fewer permits free than reclaimAhead wants: nobody
   * ever finds the budget spent, so reclaim ahead closes nothing (it used to close the least
   * recently used people's connections, who in round robin are the next to come back, and
   * each of them then closed the next one's: a new login on almost every request).
   */
  @Test
  void reclaimAhead_steadyStateBelowTheBudget_reclaimsNothing(
      PostgresServer server, TestNames names) throws Exception {
    int budget = 24;
    int people = budget - 2; // 2 permits free, the reserve wants 8
    Userbound ub =
        Fixtures.userbound(
            Fixtures.database("main", server, "postgres")
                .budget(budget)
                .reclaimAhead(8)
                .maxConnectionsPerPerson(2)
                .build());
    List<Login> logins = new ArrayList<>();
    for (int i = 0; i < people; i++) {
      char[] pw = TestPasswords.fresh();
      logins.add(ub.login(names.login(pw), pw));
    }
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Integer>> workers = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        int offset = t;
        workers.add(
            pool.submit(
                () -> {
                  int ok = 0;
                  for (int round = 0; round < 20; round++) {
                    for (int i = offset; i < people; i += 2) {
                      Login login = logins.get(i);
                      try (Connection c = ub.connection(login, "main")) {
                        assertThat(currentUser(c)).isEqualTo(login.role());
                        ok++;
                      }
                    }
                  }
                  return ok;
                }));
      }
      int total = 0;
      for (Future<Integer> w : workers) {
        total += w.get(120, TimeUnit.SECONDS);
      }
      assertThat(total).isEqualTo(people * 20);
    } finally {
      pool.shutdownNow();
    }
    DatabaseStats stats = ub.stats("main");
    assertThat(stats.connectionsReclaimed()).as("reclaimed in a steady state").isZero();
    assertThat(stats.connectionsOpened()).as("one connection per person").isEqualTo(people);
    assertThat(stats.budgetUsed()).isEqualTo(people);
  }

  /**
   * The budget is spent on idle people and new people log in: the first one finds no permit
   * free (a miss), and reclaim ahead frees the reserve on the closer thread, so the next ones
   * move their verified connection under the budget without waiting or reclaiming.
   */
  @Test
  void reclaimAhead_loginBurstOnASpentBudget_freesTheReserveForTheNextLogins(
      PostgresServer server, TestNames names) throws Exception {
    int budget = 12;
    int reserve = 4;
    Userbound ub =
        Fixtures.userbound(
            Fixtures.database("main", server, "postgres")
                .budget(budget)
                .reclaimAhead(reserve)
                .maxConnectionsPerPerson(1)
                .build());
    for (int i = 0; i < budget; i++) {
      char[] pw = TestPasswords.fresh();
      Login idle = ub.login(names.login(pw), pw);
      try (Connection c = ub.connection(idle, "main")) {
        assertThat(currentUser(c)).isEqualTo(idle.role());
      }
    }
    assertThat(ub.stats("main").budgetUsed()).isEqualTo(budget);
    assertThat(ub.stats("main").connectionsReclaimed()).isZero();

    char[] pw = TestPasswords.fresh();
    Login first = ub.login(names.login(pw), pw); // no permit free: a miss
    try (Connection c = ub.connection(first, "main")) {
      assertThat(currentUser(c)).isEqualTo(first.role());
    }
    Await.until(
        "the reserve freed ahead of demand",
        Duration.ofSeconds(10),
        () -> ub.stats("main").budgetUsed() <= budget - reserve + 1);
    DatabaseStats before = ub.stats("main");
    for (int i = 0; i < reserve - 1; i++) {
      char[] p = TestPasswords.fresh();
      Login next = ub.login(names.login(p), p);
      try (Connection c = ub.connection(next, "main")) {
        assertThat(currentUser(c)).isEqualTo(next.role());
      }
    }
    DatabaseStats after = ub.stats("main");
    assertThat(after.budgetWaits()).as("waits for budget").isEqualTo(before.budgetWaits());
    assertThat(after.budgetUsed()).isLessThanOrEqualTo(budget);
  }
}
