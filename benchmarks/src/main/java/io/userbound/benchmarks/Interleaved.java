package io.userbound.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.userbound.core.SessionReset;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;

/*
 * A diagnostic harness for a noisy, shared machine: the contenders' JMH states (the same code
 * as the benchmarks) live in one JVM against one server, and run in short alternating rounds
 * (shuffled order every round), so that a burst of load from elsewhere hits them all alike.
 * For each contender it prints the median µs/op over rounds and the median of its per-round
 * difference to the first contender, which cancels slow drift. JMH remains the measurement of
 * record; this answers "is A slower than B, and by how much" when JMH's error bars are wider
 * than the effect.
 *
 *   java -cp benchmarks/target/benchmarks.jar io.userbound.benchmarks.Interleaved \
 *       [people=100] [threads=2] [rounds=40] [roundMillis=250] [work=select1] [rtt=0] \
 *       [access=own] [contenders=control,userbound,...] [out=FILE.json]
 *
 * Contenders: control, userbound (reset TRACKED), userboundNear (TRACKED, the budget two
 * permits above the people: the steady state near the budget), userboundDiscard, userboundNone,
 * userboundPgBouncer (TRACKED, through a PgBouncer in session mode), hikariMap,
 * dbcp2, c3p0; append "Later" to any pool for people who come back after more than 500 ms
 * (validation on every borrow, see Pools).
 */
public final class Interleaved {

  private Interleaved() {}

  /**
   * Runs the comparison and prints a table.
   *
   * @param args key=value settings, see the class comment
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> a = Fixture.keyValues(args);
    int people = Integer.parseInt(a.getOrDefault("people", "100"));
    int threads = Integer.parseInt(a.getOrDefault("threads", "2"));
    int rounds = Integer.parseInt(a.getOrDefault("rounds", "40"));
    long roundNanos = Long.parseLong(a.getOrDefault("roundMillis", "250")) * 1_000_000L;
    int rtt = Integer.parseInt(a.getOrDefault("rtt", "0"));
    List<String> names =
        List.of(
            a.getOrDefault("contenders", "control,userbound,userboundDiscard,hikariMap,dbcp2")
                .split(","));

    Map<String, Contender> contenders = new LinkedHashMap<>();
    int maxConnections = 40;
    for (String name : names) {
      Contender c = contender(name);
      c.people = people;
      c.work = a.getOrDefault("work", "select1");
      c.access = a.getOrDefault("access", "own");
      c.comeBack = name.endsWith("Later") ? "later" : "soon";
      c.rtt = rtt;
      contenders.put(name, c);
      maxConnections += c.maxConnections(threads);
    }
    try (Fixture fixture =
        Fixture.start(
            "interleaved-" + people, maxConnections, people, Duration.ofNanos(rtt * 500L))) {
      List<Contender> started = new ArrayList<>();
      try {
        for (Contender c : contenders.values()) {
          c.start(fixture, false, threads);
          started.add(c);
        }
        System.out.printf(
            Locale.ROOT,
            "interleaved: %d people, %d threads, %d rounds of %d ms, %s, load %s%n",
            people,
            threads,
            rounds,
            roundNanos / 1_000_000,
            a,
            loadAverage());
        Map<String, Map<String, Double>> summary =
            summarize(run(contenders, threads, rounds, roundNanos), names.get(0));
        if (a.containsKey("out")) {
          Map<String, Object> doc = new LinkedHashMap<>();
          doc.put("people", people);
          doc.put("threads", threads);
          doc.put("rounds", rounds);
          doc.put("roundMillis", roundNanos / 1_000_000);
          doc.put("work", a.getOrDefault("work", "select1"));
          doc.put("rtt", rtt);
          doc.put("base", names.get(0));
          doc.put("contenders", summary);
          new ObjectMapper()
              .writerWithDefaultPrettyPrinter()
              .writeValue(new File(a.get("out")), doc);
        }
        System.out.println("load at end: " + loadAverage());
      } finally {
        Collections.reverse(started);
        started.forEach(Contender::tearDown);
      }
    }
  }

  private static Contender contender(String name) {
    String base = name.replaceAll("Later$", "");
    return switch (base) {
      case "control" -> new ControlBenchmark.Connections();
      case "userbound",
          "userboundNear",
          "userboundDiscard",
          "userboundNone",
          "userboundPgBouncer" -> {
        UserboundBenchmark.People u = new UserboundBenchmark.People();
        u.budgetFit = base.equals("userboundNear") ? "near" : "headroom";
        u.via = base.equals("userboundPgBouncer") ? "pgbouncer" : "direct";
        u.reset =
            base.equals("userbound")
                    || base.equals("userboundNear")
                    || base.equals("userboundPgBouncer")
                ? SessionReset.TRACKED
                : base.equals("userboundDiscard") ? SessionReset.DISCARD_ALL : SessionReset.NONE;
        yield u;
      }
      case "hikariMap" -> new HikariMapBenchmark.PoolMap();
      case "dbcp2" -> new Dbcp2Benchmark();
      case "c3p0" -> new C3p0Benchmark();
      default -> throw new IllegalArgumentException("unknown contender " + name);
    };
  }

  private static Map<String, List<Double>> run(
      Map<String, Contender> contenders, int threads, int rounds, long roundNanos)
      throws Exception {
    List<String> names = new ArrayList<>(contenders.keySet());
    Map<String, List<Double>> results = new LinkedHashMap<>();
    names.forEach(n -> results.put(n, new ArrayList<>()));
    int warmup = Math.max(3, rounds / 8);
    Random random = new Random(42);
    Contender[] current = new Contender[1];
    long[] counts = new long[threads];
    long[] elapsed = new long[threads];
    CyclicBarrier start = new CyclicBarrier(threads + 1);
    CyclicBarrier done = new CyclicBarrier(threads + 1);
    boolean[] stop = new boolean[1];
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int me = t;
      Cursor cursor = new Cursor(t, threads);
      workers[t] =
          new Thread(
              () -> {
                try {
                  while (true) {
                    start.await();
                    if (stop[0]) {
                      return;
                    }
                    Contender c = current[0];
                    long begin = System.nanoTime();
                    long deadline = begin + roundNanos;
                    long count = 0;
                    long now;
                    do {
                      c.request(c.person(cursor), me, cursor.row());
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
              },
              "interleaved-" + t);
      workers[t].start();
    }
    for (int r = 0; r < warmup + rounds; r++) {
      List<String> order = new ArrayList<>(names);
      Collections.shuffle(order, random);
      for (String name : order) {
        current[0] = contenders.get(name);
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

  /**
   * Prints and returns, per contender, the median, quartiles, median difference to the base and the
   * ratio of medians.
   */
  private static Map<String, Map<String, Double>> summarize(
      Map<String, List<Double>> results, String base) {
    List<Double> baseline = results.get(base);
    Map<String, Map<String, Double>> summary = new LinkedHashMap<>();
    System.out.printf(
        Locale.ROOT,
        "%-18s %10s %10s %10s %16s %8s%n",
        "contender",
        "median",
        "p25",
        "p75",
        "median Δ " + base,
        "ratio");
    results.forEach(
        (name, values) -> {
          List<Double> diff = new ArrayList<>();
          for (int i = 0; i < values.size(); i++) {
            diff.add(values.get(i) - baseline.get(i));
          }
          Map<String, Double> row = new LinkedHashMap<>();
          row.put("median", percentile(values, 50));
          row.put("p25", percentile(values, 25));
          row.put("p75", percentile(values, 75));
          row.put("medianDiff", percentile(diff, 50));
          row.put("ratio", percentile(values, 50) / percentile(baseline, 50));
          summary.put(name, row);
          System.out.printf(
              Locale.ROOT,
              "%-18s %10.1f %10.1f %10.1f %16.1f %7.2fx%n",
              name,
              row.get("median"),
              row.get("p25"),
              row.get("p75"),
              row.get("medianDiff"),
              row.get("ratio"));
        });
    return summary;
  }

  private static double percentile(List<Double> values, int p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(p / 100.0 * sorted.size())));
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "?";
    }
  }
}
