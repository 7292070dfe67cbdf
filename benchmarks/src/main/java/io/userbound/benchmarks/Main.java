package io.userbound.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmark suite, then the idle-footprint harness, then the report.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar            full suite  -&gt; benchmarks/results/
 * java -jar benchmarks/target/benchmarks.jar quick      smoke run   -&gt; benchmarks/results/quick/
 * java -Dquick -jar benchmarks/target/benchmarks.jar    the same
 * options: --steps NAME,...   run only these steps (request, request-userbound, request-10000,
 *                            request-map, borrow, borrow-map, access, access-dbcp2, come-back-later,
 *                            threads-1, threads-4, first-logins)
 *          --no-footprint     skip the footprint harness
 *          --modes avgt,thrpt let JMH measure throughput too (doubles the time)
 *          --out DIR          write results elsewhere
 * java -jar benchmarks/target/benchmarks.jar report [DIR]   rebuild report.md and chart.png
 * java -jar benchmarks/target/benchmarks.jar jmh ARGS...    plain JMH, e.g. "jmh -l"
 * </pre>
 *
 * <p>The full suite keeps JMH's rules of thumb short but honest: one fork per trial, 2 warm-up
 * and 5 measurement iterations of one second (first logins: 3 and 8 single shots); it takes
 * about 14 minutes on 2 cores (15.4 with the machine shared). Every trial starts its own
 * PostgreSQL server.
 */
public final class Main {

  private Main() {
  }

  /** One JMH run of the plan: which benchmarks, on how many threads, with which parameters. */
  private record Step(String name, String include, int threads, Map<String, String[]> params) {
  }

  private static final String R = RequestBenchmark.class.getName() + ".";

  private static List<Step> plan(boolean quick) {
    List<Step> steps = new ArrayList<>();
    if (quick) {
      // Every benchmark method once, with the cheapest parameters: a smoke test, not a measurement.
      steps.add(new Step("request", R + "(floor|openConnections|hikariShared|userbound|dbcp2|c3p0"
          + "|naivePerRequest|newConnection)$", 2,
          params("people", "100", "connections", "100")));
      steps.add(new Step("borrow", R + "(hikariSharedBorrow|hikariMapBorrow|userboundBorrow|dbcp2Borrow"
          + "|c3p0Borrow)$", 2, params("people", "1", "reset", "NONE")));
      steps.add(new Step("first-logins", FirstLoginBenchmark.class.getName() + ".", 1,
          params("loginThreads", "2")));
    } else {
      // 2 threads = the machine's cores: the main comparison, every N.
      steps.add(new Step("request", R + "(floor|openConnections|hikariShared|dbcp2|c3p0|naivePerRequest"
          + "|newConnection)$", 2, params()));
      steps.add(new Step("request-userbound", R + "userbound$", 2, params("people", "1,100,1000")));
      // At 10,000 people (budget 300) every request reconnects (milliseconds); DISCARD ALL adds one
      // round trip (tens of µs) to that, so only the default reset is run: 10,000 logins in the
      // setup take about a minute per trial.
      steps.add(new Step("request-10000", R + "userbound$", 2, params("people", "10000", "reset", "DISCARD_ALL")));
      steps.add(new Step("request-map", R + "hikariMap$", 2, params("people", "100")));
      // Borrow and hand back, no query. DISCARD_ALL would add its round trip to the hand-back.
      // Not at 10,000 people: there every borrow opens a new connection under the budget, which
      // request-10000 measures already, and 10,000 logins cost about a minute of setup.
      steps.add(new Step("borrow", R + "(hikariSharedBorrow|userboundBorrow|dbcp2Borrow|c3p0Borrow)$", 2,
          params("people", "1,100,1000", "reset", "NONE")));
      steps.add(new Step("borrow-map", R + "hikariMapBorrow$", 2, params("people", "100")));
      // Other access patterns at 100 people: which thread serves which person matters.
      steps.add(new Step("access", R + "(openConnections|userbound)$", 2,
          params("access", "shared,random", "people", "100", "connections", "100", "reset", "NONE")));
      steps.add(new Step("access-dbcp2", R + "dbcp2$", 2, params("access", "random", "people", "100")));
      // People who come back after more than 500 ms: HikariCP's alive check on every borrow.
      steps.add(new Step("come-back-later", R + "userbound$", 2, params("people", "100", "comeBack", "later")));
      for (int t : new int[] {1, 4}) {
        steps.add(new Step("threads-" + t, R + "(floor|openConnections|hikariShared|userbound)$", t,
            params("people", "100", "connections", "100")));
      }
      steps.add(new Step("first-logins", FirstLoginBenchmark.class.getName() + ".", 1, params()));
    }
    return steps;
  }

  private static Map<String, String[]> params(String... pairs) {
    Map<String, String[]> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1].split(","));
    }
    return map;
  }

  /**
   * Entry point; see the class comment.
   *
   * @param args the mode and options
   * @throws Exception if a step fails
   */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("jmh")) {
      org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("report")) {
      Report.write(args.length > 1 ? Path.of(args[1]) : defaultResults(false));
      return;
    }
    boolean quick = System.getProperty("quick") != null;
    List<String> only = null;
    boolean footprint = true;
    List<Mode> modes = List.of(Mode.AverageTime);
    Path out = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "quick", "-quick", "--quick" -> quick = true;
        case "full" -> quick = false;
        case "--steps" -> only = List.of(args[++i].split(","));
        case "--no-footprint" -> footprint = false;
        case "--out" -> out = Path.of(args[++i]);
        case "--modes" -> {
          List<Mode> m = new ArrayList<>();
          for (String s : args[++i].split(",")) {
            m.add(Mode.deepValueOf(s));
          }
          modes = m;
        }
        default -> {
          System.err.println("unknown argument: " + args[i] + " (see the README or Main's javadoc)");
          System.exit(2);
        }
      }
    }
    Path dir = out != null ? out : defaultResults(quick);
    Files.createDirectories(dir);
    Instant started = Instant.now();
    String loadAtStart = loadAverage();
    System.out.printf("Userbound benchmarks, %s mode, results in %s (load average %s)%n",
        quick ? "quick" : "full", dir.toAbsolutePath(), loadAtStart);

    List<RunResult> all = new ArrayList<>();
    for (Step step : plan(quick)) {
      if (only != null && !only.contains(step.name())) {
        continue;
      }
      System.out.printf("%n=== step %s: %d thread(s) ===%n", step.name(), step.threads());
      all.addAll(runStep(step, quick, modes));
    }
    try (PrintStream json = new PrintStream(Files.newOutputStream(dir.resolve("jmh.json")), true,
        StandardCharsets.UTF_8)) {
      ResultFormatFactory.getInstance(ResultFormatType.JSON, json).writeOut(all);
    }
    if (footprint) {
      runFootprint(dir, quick ? "300" : "1000,10000");
    }
    Instant finished = Instant.now();
    writeMeta(dir, quick, started, finished, loadAtStart, args);
    Report.write(dir);
    System.out.printf("%ndone in %d s: %s%n", started.until(finished, ChronoUnit.SECONDS),
        dir.resolve("report.md").toAbsolutePath());
  }

  private static Collection<RunResult> runStep(Step step, boolean quick, List<Mode> modes) throws Exception {
    ChainedOptionsBuilder b = new OptionsBuilder()
        .include(step.include())
        .threads(step.threads())
        .forks(1)
        // A smoke run (CI) must fail when a benchmark breaks; a full run keeps going and the
        // report shows what is missing.
        .shouldFailOnError(quick);
    if (step.name().equals("first-logins")) {
      b.warmupIterations(quick ? 0 : 3).measurementIterations(quick ? 1 : 8);
    } else {
      for (Mode m : modes) {
        b.mode(m);
      }
      if (quick) {
        b.warmupIterations(1).warmupTime(TimeValue.milliseconds(200))
            .measurementIterations(2).measurementTime(TimeValue.milliseconds(200));
      } else {
        b.warmupIterations(2).warmupTime(TimeValue.seconds(1))
            .measurementIterations(5).measurementTime(TimeValue.seconds(1));
      }
    }
    step.params().forEach(b::param);
    return new Runner(b.build()).run();
  }

  /** Runs the footprint harness in a JVM of its own, so that nothing else is on its heap. */
  private static void runFootprint(Path dir, String people) throws IOException, InterruptedException {
    System.out.printf("%n=== footprint: %s people ===%n", people);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(java.toString(), "-Xms2g", "-Xmx2g", "-cp",
        System.getProperty("java.class.path"), IdleFootprint.class.getName(),
        dir.resolve("footprint.json").toString(), people)
        .inheritIO()
        .start();
    if (!p.waitFor(15, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("the footprint harness did not finish in 15 minutes");
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException("the footprint harness failed with exit code " + p.exitValue());
    }
  }

  private static void writeMeta(Path dir, boolean quick, Instant started, Instant finished, String loadAtStart,
      String[] args) throws IOException {
    String json = String.format(Locale.ROOT, "{%n  \"mode\": \"%s\",%n  \"started\": \"%s\",%n  \"finished\": \"%s\","
            + "%n  \"cores\": %d,%n  \"cpu\": \"%s\",%n  \"os\": \"%s\",%n  \"java\": \"%s\","
            + "%n  \"loadAverageAtStart\": \"%s\",%n  \"loadAverageAtEnd\": \"%s\",%n  \"args\": \"%s\"%n}%n",
        quick ? "quick" : "full", started.truncatedTo(ChronoUnit.SECONDS),
        finished.truncatedTo(ChronoUnit.SECONDS), Runtime.getRuntime().availableProcessors(), cpuModel(),
        System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        loadAtStart, loadAverage(), String.join(" ", args));
    Files.writeString(dir.resolve("meta.json"), json, StandardCharsets.UTF_8);
  }

  /** benchmarks/results (or results/quick), found from where this jar or class lives. */
  static Path defaultResults(boolean quick) throws URISyntaxException {
    Path code = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    // .../benchmarks/target/benchmarks.jar or .../benchmarks/target/classes
    Path module = code.getParent().getParent();
    Path results = module.resolve("results");
    return quick ? results.resolve("quick") : results;
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return String.format(Locale.ROOT, "%.2f", java.lang.management.ManagementFactory
          .getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim().replace("\"", "'");
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return System.getProperty("os.arch");
  }
}
