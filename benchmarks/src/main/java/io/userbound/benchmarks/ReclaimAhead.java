package io.userbound.benchmarks;

import io.userbound.core.DatabaseConfig;
import io.userbound.core.DatabaseStats;
import io.userbound.core.Login;
import io.userbound.core.Userbound;
import io.userbound.core.UserboundConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/*
 * Reclaim ahead, side by side with and without it (reclaimAhead = the default 8, and 0), in
 * one JVM on one server, alternating, so that the two phases it is about are measured alike:
 *
 *   steady  `budget - 2` people logged in take turns (2 threads, round robin): two permits
 *           free, fewer than the reserve wants. Nobody finds the budget spent; the figure to
 *           watch is connections reclaimed (should be 0) and µs per request.
 *   burst   then `burst` new people log in and make one request each (2 threads): the budget
 *           is spent on idle people after two of them. Reclaim ahead frees permits on the
 *           closer thread at the first miss, so the next logins move their verified
 *           connection under the budget; without it each new person's first request reclaims
 *           someone's idle connection itself, waits for that backend to exit, and logs in a
 *           second time. Figure: ms per new person (login + first request), median and p90.
 *
 *   java -cp benchmarks/target/benchmarks.jar io.userbound.benchmarks.ReclaimAhead \
 *       [budget=200] [burst=100] [requests=20000] [repeats=3]
 */
public final class ReclaimAhead {

  private ReclaimAhead() {}

  /**
   * Runs both settings, alternating, and prints a table.
   *
   * @param args key=value settings, see the class comment
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> a = new LinkedHashMap<>();
    for (String arg : args) {
      String[] kv = arg.split("=", 2);
      a.put(kv[0], kv[1]);
    }
    int budget = Integer.parseInt(a.getOrDefault("budget", "200"));
    int burst = Integer.parseInt(a.getOrDefault("burst", "100"));
    int requests = Integer.parseInt(a.getOrDefault("requests", "20000"));
    int repeats = Integer.parseInt(a.getOrDefault("repeats", "3"));
    int steady = budget - 2;
    try (Fixture f = Fixture.start("reclaim-ahead", budget + 60, steady + burst)) {
      System.out.printf(
          Locale.ROOT,
          "reclaim ahead: budget %d, %d people steady, %d new in the burst, 2 threads%n",
          budget,
          steady,
          burst);
      System.out.println(
          "reclaimAhead | steady µs/request | steady reclaimed | burst ms/person p50 | p90 |"
              + " burst reclaimed | burst budget waits | burst connections opened");
      for (int r = 0; r < repeats; r++) {
        for (int reserve : new int[] {8, 0}) {
          run(f, budget, reserve, steady, burst, requests);
        }
      }
    }
  }

  private static void run(Fixture f, int budget, int reserve, int steady, int burst, int requests)
      throws Exception {
    try (Userbound ub =
        Userbound.create(
            UserboundConfig.builder()
                .database(
                    DatabaseConfig.builder(Fixture.DATABASE, f.url)
                        .budget(budget)
                        .reclaimAhead(reserve)
                        .build())
                .build())) {
      Login[] people = new Login[steady];
      for (int i = 0; i < steady; i++) {
        people[i] = ub.login(f.people[i], f.password());
        request(ub, people[i]);
      }
      ExecutorService threads = Executors.newFixedThreadPool(2);
      try {
        // Steady: every person in turn, each thread its own half (no person on two at once).
        DatabaseStats s0 = ub.stats(Fixture.DATABASE);
        long t0 = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
          int me = t;
          done.add(
              threads.submit(
                  () -> {
                    int even = steady - steady % 2;
                    for (int n = 0; n < requests; n++) {
                      request(ub, people[(me + 2 * n) % even]);
                    }
                    return null;
                  }));
        }
        for (Future<?> d : done) {
          d.get();
        }
        double steadyUs = (System.nanoTime() - t0) / 1000.0 / requests;
        DatabaseStats s1 = ub.stats(Fixture.DATABASE);

        // Burst: new people log in and make their first request.
        long[] ms = new long[burst];
        done.clear();
        for (int t = 0; t < 2; t++) {
          int me = t;
          done.add(
              threads.submit(
                  () -> {
                    for (int i = me; i < burst; i += 2) {
                      long b = System.nanoTime();
                      Login l = ub.login(f.people[steady + i], f.password());
                      request(ub, l);
                      ms[i] = System.nanoTime() - b;
                    }
                    return null;
                  }));
        }
        for (Future<?> d : done) {
          d.get();
        }
        DatabaseStats s2 = ub.stats(Fixture.DATABASE);
        Arrays.sort(ms);
        System.out.printf(
            Locale.ROOT,
            "%12d | %17.1f | %16d | %19.2f | %5.2f | %15d | %18d | %d%n",
            reserve,
            steadyUs,
            s1.connectionsReclaimed() - s0.connectionsReclaimed(),
            ms[burst / 2] / 1e6,
            ms[burst * 9 / 10] / 1e6,
            s2.connectionsReclaimed() - s1.connectionsReclaimed(),
            s2.budgetWaits() - s1.budgetWaits(),
            s2.connectionsOpened() - s1.connectionsOpened());
      } finally {
        threads.shutdownNow();
      }
    }
  }

  private static void request(Userbound ub, Login login) throws SQLException {
    try (Connection c = ub.connection(login, Fixture.DATABASE);
        Statement st = c.createStatement()) {
      st.execute("select 1");
    }
  }
}
