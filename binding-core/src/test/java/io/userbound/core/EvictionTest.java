package io.userbound.core;

import static io.userbound.core.Fixtures.currentUser;
import static io.userbound.core.Fixtures.person;
import static org.assertj.core.api.Assertions.assertThat;

import io.userbound.core.Fixtures.Person;
import io.userbound.testkit.Await;
import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import io.userbound.testkit.TestPasswords;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class EvictionTest {

  /**
   * A clock the test moves by hand: expiry happens when the test says, not when the machine is
   * idle.
   */
  private static final class HandClock implements Ticker {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Override
    public long read() {
      return now.get();
    }

    void advance(Duration d) {
      now.addAndGet(d.toNanos());
    }
  }

  private static Userbound userbound(PostgresServer server, HandClock clock, Duration idle) {
    return Fixtures.userbound(
        UserboundConfig.builder()
            .database(Fixtures.database("main", server, "postgres").idleTimeout(idle).build())
            .ticker(clock)
            .build());
  }

  @Test
  void idlePool_closesAfterIdleTimeout_andReopensOnNextUse(PostgresServer server, TestNames names)
      throws Exception {
    Person alice = person(names);
    HandClock clock = new HandClock();
    Userbound ub = userbound(server, clock, Duration.ofMinutes(10));
    Login login = ub.login(alice.role(), alice.password());
    try (Connection c = ub.connection(login, "main")) {
      assertThat(currentUser(c)).isEqualTo(alice.role());
    }
    clock.advance(Duration.ofMinutes(9));
    assertThat(ub.stats("main").pools()).as("not idle long enough").isEqualTo(1);
    clock.advance(Duration.ofMinutes(2));
    Await.until(
        "idle pool evicted and its backend closed",
        Duration.ofSeconds(15),
        () -> ub.stats("main").pools() == 0 && server.backendCount(alice.role()) == 0);
    assertThat(ub.stats("main").poolsEvicted()).isEqualTo(1);
    assertThat(ub.stats("main").budgetUsed()).isZero();
    try (Connection c = ub.connection(login, "main")) {
      assertThat(currentUser(c)).as("re-opened from the kept login").isEqualTo(alice.role());
    }
  }

  @Test
  void poolInUse_isNotClosedUnderTheRequestWhenItExpires(PostgresServer server, TestNames names)
      throws Exception {
    Person alice = person(names);
    HandClock clock = new HandClock();
    Userbound ub = userbound(server, clock, Duration.ofMinutes(10));
    Login login = ub.login(alice.role(), alice.password());
    try (Connection c = ub.connection(login, "main")) {
      clock.advance(Duration.ofMinutes(11));
      assertThat(ub.stats("main").poolsEvicted()).as("expired while in use").isEqualTo(1);
      assertThat(currentUser(c))
          .as("connection still works under the request")
          .isEqualTo(alice.role());
      assertThat(server.backendCount(alice.role())).isEqualTo(1);
    }
    Await.until(
        "closed once handed back",
        Duration.ofSeconds(15),
        () -> server.backendCount(alice.role()) == 0);
  }

  @Test
  void maxPools_boundsThePoolCount(PostgresServer server, TestNames names) throws Exception {
    Userbound ub =
        Fixtures.userbound(Fixtures.database("main", server, "postgres").maxPools(5).build());
    for (int i = 0; i < 12; i++) {
      Person p = person(names);
      Login l = ub.login(p.role(), p.password());
      try (Connection c = ub.connection(l, "main")) {
        assertThat(currentUser(c)).isEqualTo(p.role());
      }
    }
    Await.until(
        "pool count bounded by maxPools",
        Duration.ofSeconds(15),
        () -> ub.stats("main").pools() <= 5);
    assertThat(ub.stats("main").poolsEvicted()).isGreaterThanOrEqualTo(7);
  }

  @Test
  void maxPoolsOfOne_everyRequestIsStillServed(PostgresServer server, TestNames names)
      throws Exception {
    Userbound ub =
        Fixtures.userbound(Fixtures.database("main", server, "postgres").maxPools(1).build());
    List<Login> people = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Person p = person(names);
      people.add(ub.login(p.role(), p.password()));
    }
    for (int round = 0; round < 30; round++) {
      Login l = people.get(round % people.size());
      try (Connection c = ub.connection(l, "main")) {
        assertThat(currentUser(c)).isEqualTo(l.role());
      }
    }
    Await.until(
        "at most one pool left", Duration.ofSeconds(15), () -> ub.stats("main").pools() <= 1);
  }

  @Test
  void failedLogins_leaveNothingBehind(PostgresServer server, TestNames names) {
    Userbound ub = Fixtures.userbound(server);
    for (int i = 0; i < 300; i++) {
      try {
        ub.login(names.role("nobody" + i), "wrong-password-xyz".toCharArray());
      } catch (LoginFailedException expected) {
        // refused, as it should be
      }
    }
    DatabaseStats s = ub.stats("main");
    assertThat(s.pools()).isZero();
    assertThat(s.budgetUsed()).isZero();
    assertThat(s.loginsRefused()).isEqualTo(300);
  }

  @Test
  void thousandIdlePools_costNoThreads(PostgresServer server, TestNames names) throws Exception {
    int people = 1_000;
    List<String> roles = new ArrayList<>();
    char[] pw = TestPasswords.fresh();
    for (int i = 0; i < people; i++) {
      roles.add(names.login(pw));
    }
    Userbound ub =
        Fixtures.userbound(
            Fixtures.database("main", server, "postgres")
                .budget(20)
                .connectionTimeout(Duration.ofSeconds(20))
                .build());
    int before = Thread.getAllStackTraces().size();
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int offset = t;
        done.add(
            threads.submit(
                () -> {
                  for (int i = offset; i < people; i += 4) {
                    Login l = ub.login(roles.get(i), pw);
                    try (Connection c = ub.connection(l, "main")) {
                      assertThat(currentUser(c)).isEqualTo(roles.get(i));
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(300, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
      threads.awaitTermination(10, TimeUnit.SECONDS);
    }
    // Everyone was served; a pool whose connections were reclaimed is gone, so the map
    // holds at most one pool per budget permit, not one per person logged in.
    // (A pool a reclaim just retired still counts until its close completes on the closer
    // thread.)
    Await.until(
        "at most one pool per permit",
        Duration.ofSeconds(10),
        () -> ub.stats("main").pools() <= 20);
    assertThat(ub.stats("main").connectionsReclaimed()).isGreaterThanOrEqualTo(people - 20);
    // HikariCP's per-pool adder and closer threads die after 5 s idle, Userbound's closer
    // threads after 10 s; only the instance's housekeeper stays.
    Await.until(
        "threads back to the baseline",
        Duration.ofSeconds(60),
        () -> Thread.getAllStackTraces().size() <= before + 1);
    int after = Thread.getAllStackTraces().size();
    System.out.printf(
        "threads with %d idle pools: %d (before: %d); budget used %d, reclaimed %d%n",
        people,
        after,
        before,
        ub.stats("main").budgetUsed(),
        ub.stats("main").connectionsReclaimed());
    assertThat(ub.stats("main").budgetUsed()).isLessThanOrEqualTo(20);
  }
}
