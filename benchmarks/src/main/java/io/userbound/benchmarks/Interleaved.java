package io.userbound.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.userbound.core.Binding;
import io.userbound.core.Login;
import io.userbound.core.SessionReset;
import io.userbound.core.Userbound;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.dbcp2.datasources.PerUserPoolDataSource;

/*
 * A diagnostic harness for a noisy, shared machine: all contenders live in one JVM against one
 * server, and run in short alternating rounds (shuffled order every round), so that a burst of
 * load from elsewhere hits them all alike. For each contender it prints the median µs/op over
 * rounds and the median of its per-round difference to the N-connection control, which cancels
 * slow drift. JMH remains the measurement of record; this answers "is A slower than B, and by
 * how much" when JMH's error bars are wider than the effect.
 *
 *   java -cp benchmarks/target/benchmarks.jar io.userbound.benchmarks.Interleaved \
 *       [people=100] [threads=2] [rounds=40] [roundMillis=250] [contenders=a,b,...]
 *
 * Contenders: floor, control (N open connections, no pool), userboundNone, userboundDiscard,
 * userboundAlive0 (reset NONE with HikariCP's alive check on every borrow,
 * com.zaxxer.hikari.aliveBypassWindowMs=0, i.e. people who come back after more than 500 ms),
 * hikariMap, dbcp2, discardOnly (the control plus a DISCARD ALL per request). Append "Shared"
 * (one round-robin counter for all threads) or "Random" (a random person per request) to any
 * but floor to change the access pattern; by default each thread goes round its own share.
 * With "Shared" or "Random" a person can be used by two threads at once, so pools may open a
 * second connection for them; the control then shares a connection (pgjdbc serializes).
 */
public final class Interleaved {

  private interface Op {
    int run(int thread) throws SQLException;
  }

  /** Userbound's budget is this many connections per person, plus slack (setting budgetPerPerson=). */
  private static int budgetPerPerson = 1;

  private Interleaved() {
  }

  /**
   * Runs the comparison and prints a table.
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
    int people = Integer.parseInt(a.getOrDefault("people", "100"));
    int threads = Integer.parseInt(a.getOrDefault("threads", "2"));
    int rounds = Integer.parseInt(a.getOrDefault("rounds", "40"));
    long roundNanos = Long.parseLong(a.getOrDefault("roundMillis", "250")) * 1_000_000L;
    budgetPerPerson = Integer.parseInt(a.getOrDefault("budgetPerPerson", "1"));
    List<String> names = List.of(a.getOrDefault("contenders",
        "floor,control,userboundNone,userboundDiscard,hikariMap,dbcp2").split(","));

    Fixture fixture = Fixture.start("interleaved-" + people,
        names.size() * (Math.max(2, budgetPerPerson) * people + 8) + 40, people);
    List<AutoCloseable> closers = new ArrayList<>();
    Map<String, Op> ops = new LinkedHashMap<>();
    try {
      for (String name : names) {
        ops.put(name, contender(name, fixture, people, threads, closers));
      }
      System.out.printf(Locale.ROOT, "interleaved: %d people, %d threads, %d rounds of %d ms, load %s%n",
          people, threads, rounds, roundNanos / 1_000_000, loadAverage());
      Map<String, List<Double>> results = run(ops, threads, rounds, roundNanos);
      print(results, names.contains("control") ? "control" : names.get(0));
      System.out.println("load at end: " + loadAverage());
    } finally {
      Collections.reverse(closers);
      for (AutoCloseable c : closers) {
        try {
          c.close();
        } catch (Exception ignored) {
          // best effort
        }
      }
      fixture.close();
    }
  }

  /** Chooses the next person for a thread. */
  private interface Picker {
    int next(int thread);
  }

  /*
   * The access pattern comes from the contender's suffix: none = each thread round-robin over
   * its own share (as in the JMH benchmarks); "Shared" = one round-robin counter for all
   * threads, so consecutive uses of a person come from different threads; "Random" = a random
   * person per request.
   */
  private static Picker picker(String name, int threads, int n) {
    if (name.endsWith("Shared")) {
      AtomicInteger counter = new AtomicInteger();
      return t -> Math.floorMod(counter.getAndIncrement(), n);
    }
    if (name.endsWith("Random")) {
      return t -> java.util.concurrent.ThreadLocalRandom.current().nextInt(n);
    }
    int[] step = new int[threads];
    return t -> next(step, t, threads, n);
  }

  private static Op contender(String fullName, Fixture f, int n, int threads, List<AutoCloseable> closers)
      throws SQLException {
    Picker pick = picker(fullName, threads, n);
    String name = fullName.replaceAll("(Shared|Random)$", "");
    switch (name) {
      case "floor": {
        Connection[] own = new Connection[threads];
        for (int t = 0; t < threads; t++) {
          own[t] = f.open(f.people[0]);
        }
        closers.add(() -> Fixture.closeAll(own));
        return t -> Pools.query(own[t]);
      }
      case "control":
      case "discardOnly": {
        Connection[] open = f.openMany(n);
        closers.add(() -> Fixture.closeAll(open));
        boolean discard = name.equals("discardOnly");
        return t -> {
          Connection c = open[pick.next(t)];
          int r = Pools.query(c);
          if (discard) {
            try (var s = c.createStatement()) {
              s.execute("DISCARD ALL");
            }
          }
          return r;
        };
      }
      case "userboundNone":
      case "userboundDiscard":
      case "userboundAlive0": {
        if (name.equals("userboundAlive0")) {
          System.setProperty("com.zaxxer.hikari.aliveBypassWindowMs", "0");
        }
        Userbound ub = Pools.userbound(f, budgetPerPerson * n + 2 * Pools.MAX_PER_PERSON,
            name.equals("userboundDiscard") ? SessionReset.DISCARD_ALL : SessionReset.NONE);
        closers.add(ub);
        closers.add(() -> System.out.println(fullName + ": " + ub.stats(Fixture.DATABASE)));
        Login[] logins = Fixture.parallel(n, i -> ub.login(f.people[i], f.password())).toArray(new Login[0]);
        // Warm: move every login's first connection into its pool now.
        for (Login l : logins) {
          try (Connection c = ub.connection(l, Fixture.DATABASE)) {
            Pools.query(c);
          }
        }
        System.clearProperty("com.zaxxer.hikari.aliveBypassWindowMs");
        return t -> {
          Binding b = ub.bind(logins[pick.next(t)]);
          try (Connection c = ub.connection(Fixture.DATABASE)) {
            return Pools.query(c);
          } finally {
            b.close();
          }
        };
      }
      case "hikariMap": {
        ScheduledExecutorService housekeeper = Executors.newSingleThreadScheduledExecutor();
        HikariDataSource[] pools = new HikariDataSource[n];
        closers.add(housekeeper::shutdownNow);
        closers.add(() -> Arrays.stream(pools).forEach(HikariDataSource::close));
        Fixture.parallel(n, i -> {
          HikariConfig hc = new HikariConfig();
          hc.setJdbcUrl(f.url);
          hc.setUsername(f.people[i]);
          hc.setPassword(Fixture.PASSWORD);
          hc.setMaximumPoolSize(Pools.MAX_PER_PERSON);
          hc.setMinimumIdle(0);
          hc.setScheduledExecutor(housekeeper);
          pools[i] = new HikariDataSource(hc);
          try (Connection c = pools[i].getConnection()) {
            return Pools.query(c);
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        });
        return t -> {
          try (Connection c = pools[pick.next(t)].getConnection()) {
            return Pools.query(c);
          }
        };
      }
      case "dbcp2": {
        PerUserPoolDataSource ds = Pools.dbcp2(f);
        closers.add(ds);
        Fixture.parallel(n, i -> {
          try (Connection c = ds.getConnection(f.people[i], Fixture.PASSWORD)) {
            return Pools.query(c);
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        });
        return t -> {
          try (Connection c = ds.getConnection(f.people[pick.next(t)], Fixture.PASSWORD)) {
            return Pools.query(c);
          }
        };
      }
      default:
        throw new IllegalArgumentException("unknown contender " + name);
    }
  }

  /** Per-thread round-robin share, as in {@link Cursor}. */
  private static int next(int[] step, int t, int threads, int n) {
    int i = t + step[t] * threads;
    if (i >= n) {
      step[t] = 0;
      i = t % n;
    }
    step[t]++;
    return i;
  }

  private static Map<String, List<Double>> run(Map<String, Op> ops, int threads, int rounds, long roundNanos)
      throws Exception {
    List<String> names = new ArrayList<>(ops.keySet());
    Map<String, List<Double>> results = new LinkedHashMap<>();
    names.forEach(n -> results.put(n, new ArrayList<>()));
    int warmup = Math.max(3, rounds / 8);
    Random random = new Random(42);
    String[] current = new String[1];
    long[] counts = new long[threads];
    long[] elapsed = new long[threads];
    CyclicBarrier start = new CyclicBarrier(threads + 1);
    CyclicBarrier done = new CyclicBarrier(threads + 1);
    boolean[] stop = new boolean[1];
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int me = t;
      workers[t] = new Thread(() -> {
        try {
          while (true) {
            start.await();
            if (stop[0]) {
              return;
            }
            Op op = ops.get(current[0]);
            long begin = System.nanoTime();
            long deadline = begin + roundNanos;
            long count = 0;
            long now;
            do {
              op.run(me);
              count++;
              now = System.nanoTime();
            } while (now < deadline);
            counts[me] = count;
            elapsed[me] = now - begin;
            done.await();
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, "interleaved-" + t);
      workers[t].start();
    }
    for (int r = 0; r < warmup + rounds; r++) {
      List<String> order = new ArrayList<>(names);
      Collections.shuffle(order, random);
      for (String name : order) {
        current[0] = name;
        start.await();
        done.await();
        double usPerOp = 0;
        for (int t = 0; t < threads; t++) {
          usPerOp += elapsed[t] / 1000.0 / counts[t];
        }
        if (r >= warmup) {
          results.get(name).add(usPerOp / threads);
        }
      }
    }
    stop[0] = true;
    start.await();
    for (Thread w : workers) {
      w.join();
    }
    return results;
  }

  private static void print(Map<String, List<Double>> results, String base) {
    List<Double> baseline = results.get(base);
    System.out.printf(Locale.ROOT, "%-18s %10s %10s %10s %16s %8s%n", "contender", "median", "p25", "p75",
        "median Δ " + base, "ratio");
    results.forEach((name, values) -> {
      double[] diff = new double[values.size()];
      for (int i = 0; i < diff.length; i++) {
        diff[i] = values.get(i) - baseline.get(i);
      }
      double med = percentile(values, 50);
      System.out.printf(Locale.ROOT, "%-18s %10.1f %10.1f %10.1f %16.1f %7.2fx%n", name, med,
          percentile(values, 25), percentile(values, 75), percentile(box(diff), 50), med / percentile(baseline, 50));
    });
  }

  private static List<Double> box(double[] values) {
    List<Double> list = new ArrayList<>();
    for (double v : values) {
      list.add(v);
    }
    return list;
  }

  private static double percentile(List<Double> values, int p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(p / 100.0 * sorted.size())));
  }

  private static String loadAverage() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
    } catch (java.io.IOException e) {
      return "?";
    }
  }
}
