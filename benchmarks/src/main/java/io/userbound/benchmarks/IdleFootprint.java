package io.userbound.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.userbound.core.DatabaseStats;
import io.userbound.core.Login;
import io.userbound.core.SessionReset;
import io.userbound.core.Userbound;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/*
 * What an idle logged-in person costs: heap, threads, and physical connections left open.
 * Not JMH: a plain main, run in its own JVM by Main so that nothing else is on the heap.
 *
 * For each scenario: warm up (one login, query and logout in a throw-away instance, so class
 * loading and JIT are not a person's cost), start a fresh instance, measure heap after full GCs
 * and the live thread count, log N people in (keeping their Login objects, as web sessions would),
 * let them sit idle, measure
 * again. Per-person heap = (after - before) / N, so it includes the Login object the
 * application keeps. Threads are counted right after the logins and again after
 * SETTLE_SECONDS, when HikariCP's per-pool connection adder and closer threads (5 s
 * keep-alive) have died.
 *
 * Scenarios:
 *   connected   N people, budget above N: each keeps the one connection its login opened
 *   none        N people, budget 10: all but 10 people have a pool and no open connection,
 *               because logging in the next person closes the least recently used person's
 *               idle connection (the same state idle eviction leaves)
 * The few connected people in "none" are counted in its per-person figure; the corrected
 * figure subtracts their extra cost, measured by "connected".
 */
public final class IdleFootprint {

  /** Longer than HikariCP's 5 s keep-alive of its per-pool adder and closer threads. */
  static final int SETTLE_SECONDS = 7;

  static final int SMALL_BUDGET = 10;

  private IdleFootprint() {}

  /**
   * Runs the scenarios and writes a JSON file.
   *
   * @param args the output file, then a comma-separated list of person counts (e.g. {@code
   *     1000,10000})
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: IdleFootprint <out.json> <people,people,...>");
      System.exit(2);
    }
    Path out = Path.of(args[0]);
    List<Integer> counts = new ArrayList<>();
    for (String s : args[1].split(",")) {
      counts.add(Integer.parseInt(s.trim()));
    }
    int most = counts.stream().mapToInt(Integer::intValue).max().orElseThrow();
    int smallest = counts.stream().mapToInt(Integer::intValue).min().orElseThrow();
    List<Map<String, Object>> rows = new ArrayList<>();
    String version;
    long t0 = System.nanoTime();
    try (Fixture fixture = Fixture.start("footprint", smallest + SMALL_BUDGET + 40, most + 1)) {
      version = fixture.serverVersion();
      System.out.printf(
          "footprint: server up with %,d people in %d ms%n",
          most + 1, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
      Scenario connected = run(fixture, smallest, smallest + SMALL_BUDGET, "connected");
      rows.add(connected.toMap());
      for (int n : counts) {
        Scenario none = run(fixture, n, SMALL_BUDGET, "none");
        none.correct(connected);
        rows.add(none.toMap());
      }
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("postgres", version);
    doc.put("settleSeconds", SETTLE_SECONDS);
    doc.put("scenarios", rows);
    Files.createDirectories(out.toAbsolutePath().getParent());
    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out.toFile(), doc);
    System.out.println("footprint: wrote " + out);
  }

  private static Scenario run(Fixture fixture, int people, int budget, String kind)
      throws Exception {
    Scenario s = new Scenario(kind, people, budget);
    // Warm up in a throw-away instance: the spare last person logs in, runs a query and logs
    // out, so class loading and JIT are not counted as anybody's cost. Closing the instance
    // stops all of its threads.
    try (Userbound warmUp = Pools.userbound(fixture, budget, SessionReset.TRACKED)) {
      Login warm = warmUp.login(fixture.people[fixture.people.length - 1], fixture.password());
      try (var c = warmUp.connection(warm, Fixture.DATABASE)) {
        Work.select1(c);
      }
      warmUp.logout(warm);
    }
    try (Userbound userbound = Pools.userbound(fixture, budget, SessionReset.TRACKED)) {
      Thread.sleep(500);
      s.heapBefore = heap();
      s.threadsBefore = threads();

      long started = System.nanoTime();
      List<Login> logins =
          Fixture.parallel(people, i -> userbound.login(fixture.people[i], fixture.password()));
      try {
        s.loginMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        s.threadsAfterLogins = threads();
        Thread.sleep(TimeUnit.SECONDS.toMillis(SETTLE_SECONDS));
        s.threadsSettled = threads();
        s.threadNames = threadGroups();
        s.heapAfter = heap();
        DatabaseStats stats = userbound.stats(Fixture.DATABASE);
        s.pools = stats.pools();
        s.openConnections = stats.idleConnections() + stats.activeConnections();
        s.serverBackends =
            (int)
                fixture.server.backends().stream()
                    .filter(b -> "userbound".equals(b.applicationName()))
                    .count();
        if (logins.size() != people) {
          throw new IllegalStateException("lost logins");
        }
      } finally {
        Reference.reachabilityFence(logins); // the logins are what is measured
      }
    }
    s.backendsAfterClose = waitForNoBackends(fixture);
    System.out.println("footprint: " + s.toMap());
    return s;
  }

  private static long heap() throws InterruptedException {
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(100);
      least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return least;
  }

  private static int threads() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }

  /**
   * Live threads by name with trailing numbers stripped, e.g. {@code userbound-1-housekeeper-1 ->
   * userbound-#-housekeeper-#}.
   */
  private static Map<String, Integer> threadGroups() {
    Map<String, Integer> groups = new TreeMap<>();
    for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
      groups.merge(t.getThreadName().replaceAll("\\d+", "#"), 1, Integer::sum);
    }
    return groups;
  }

  private static int waitForNoBackends(Fixture fixture) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    int left;
    do {
      left =
          (int)
              fixture.server.backends().stream()
                  .filter(b -> "userbound".equals(b.applicationName()))
                  .count();
      if (left == 0) {
        return 0;
      }
      Thread.sleep(50);
    } while (System.nanoTime() < deadline);
    return left;
  }

  private static final class Scenario {
    final String kind;
    final int people;
    final int budget;
    long heapBefore;
    long heapAfter;
    int threadsBefore;
    int threadsAfterLogins;
    int threadsSettled;
    Map<String, Integer> threadNames;
    int pools;
    int openConnections;
    int serverBackends;
    int backendsAfterClose;
    long loginMillis;
    double correctedBytesPerPerson = Double.NaN;

    Scenario(String kind, int people, int budget) {
      this.kind = kind;
      this.people = people;
      this.budget = budget;
    }

    double bytesPerPerson() {
      return (double) (heapAfter - heapBefore) / people;
    }

    /** Takes out the extra heap of the people who still hold a connection. */
    void correct(Scenario connected) {
      double perConnected = connected.bytesPerPerson();
      int withConnection = openConnections;
      int without = people - withConnection;
      if (without > 0) {
        // heapDelta = without * x + withConnection * perConnected
        correctedBytesPerPerson =
            ((heapAfter - heapBefore) - withConnection * perConnected) / without;
      }
    }

    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("kind", kind);
      m.put("people", people);
      m.put("budget", budget);
      m.put("heapBefore", heapBefore);
      m.put("heapAfter", heapAfter);
      m.put("bytesPerPerson", bytesPerPerson());
      m.put(
          "bytesPerPersonWithoutConnection",
          Double.isNaN(correctedBytesPerPerson) ? null : correctedBytesPerPerson);
      m.put("threadsBefore", threadsBefore);
      m.put("threadsAfterLogins", threadsAfterLogins);
      m.put("threadsSettled", threadsSettled);
      m.put("pools", pools);
      m.put("openConnections", openConnections);
      m.put("serverBackends", serverBackends);
      m.put("backendsAfterClose", backendsAfterClose);
      m.put("loginMillis", loginMillis);
      m.put("threads", threadNames);
      return m;
    }
  }
}
