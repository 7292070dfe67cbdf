package io.userbound.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
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
import org.openjdk.jmh.profile.GCProfiler;
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
 * options: --steps NAME,...   run only these steps of the plan (see plan())
 *          --no-footprint     skip the footprint harness
 *          --no-interleaved   skip the interleaved cross-check (full suite only)
 *          --no-many-people   skip ManyPeople (10,000 people on a budget of 100)
 *          --no-soak          skip the short soak of the smoke run (the full one: Soak's own main)
 *          --out DIR          write results elsewhere
 * java -jar benchmarks/target/benchmarks.jar report [DIR]   rebuild report.md and chart.png
 * java -jar benchmarks/target/benchmarks.jar compact [FILE] replace sample histograms in a JMH
 * result by iteration means
 * java -jar benchmarks/target/benchmarks.jar jmh ARGS...    plain JMH, e.g. "jmh -l"
 * </pre>
 *
 * <p>The full suite keeps JMH's rules of thumb short but honest: one fork per trial, 2 warm-up
 * and 5 measurement iterations of one second (first logins: 3 and 8 single shots). Requests are
 * measured in sample-time mode (mean, p50 and p99 per operation), borrow-only in average-time
 * mode (a per-operation timer would cost as much as a borrow); both with JMH's GC profiler
 * for bytes allocated per operation. Every trial starts its own PostgreSQL server.
 */
public final class Main {

  private Main() {}

  /**
   * One JMH run of the plan: which benchmarks, on how many threads, in which mode, with which
   * parameters.
   */
  private record Step(
      String name, String include, int threads, Mode mode, Map<String, String[]> params) {}

  private static String bench(String classes, String methods) {
    return "\\.(" + classes + ")Benchmark\\.(" + methods + ")$";
  }

  /**
   * The main contenders: the no-pool control, Userbound, the plain map of HikariCP pools, the
   * peers.
   */
  private static final String MAIN = "Control|Userbound|HikariMap|Dbcp2|C3p0";

  private static final String PEOPLE = "1,100,1000";
  private static final Mode SAMPLE = Mode.SampleTime;
  private static final Mode AVERAGE = Mode.AverageTime;

  private static List<Step> plan(boolean quick) {
    List<Step> steps = new ArrayList<>();
    if (quick) {
      // Every benchmark method once, with the cheapest parameters: a smoke test, not a measurement.
      steps.add(
          new Step(
              "request",
              bench(MAIN + "|HikariShared|Naive", "request|newConnection|poolPerRequest"),
              2,
              SAMPLE,
              params("people", "1", "work", "pk")));
      steps.add(
          new Step(
              "write-rtt",
              bench("Control|Userbound", "request"),
              2,
              SAMPLE,
              params("people", "1", "work", "write", "rtt", "250", "reset", "DISCARD_ALL")));
      steps.add(
          new Step(
              "hibernate",
              bench("Control|Userbound", "hibernate"),
              2,
              SAMPLE,
              params("people", "1")));
      steps.add(
          new Step(
              "borrow",
              bench(MAIN.replace("Control|", "") + "|HikariShared", "borrow"),
              2,
              AVERAGE,
              params("people", "1", "comeBack", "later")));
      steps.add(
          new Step(
              "first-logins",
              FirstLoginBenchmark.class.getName() + ".",
              1,
              Mode.SingleShotTime,
              params("loginThreads", "2")));
      return steps;
    }
    // 2 threads = the machine's cores: the main comparison, every N, people who come back soon.
    steps.add(
        new Step(
            "request",
            bench(MAIN, "request"),
            2,
            SAMPLE,
            params("people", PEOPLE, "reset", "TRACKED,DISCARD_ALL")));
    steps.add(new Step("request-shared", bench("HikariShared", "request"), 2, SAMPLE, params()));
    // At 10,000 people (budget 300) every request reconnects (milliseconds): the default reset
    // only.
    steps.add(
        new Step(
            "request-10000", bench("Userbound", "request"), 2, SAMPLE, params("people", "10000")));
    // The steady state near the budget, on purpose: 1,000 people, 2 permits free (fewer than the
    // default reclaimAhead keeps); nobody misses a permit, so nothing is reclaimed.
    steps.add(
        new Step(
            "request-near",
            bench("Userbound", "request"),
            2,
            SAMPLE,
            params("people", "1000", "budgetFit", "near")));
    // People who come back after more than 500 ms: every pool validates on every borrow (see
    // Pools).
    // The control validates nothing, so its "soon" figures serve for both.
    steps.add(
        new Step(
            "later",
            bench(MAIN.replace("Control|", ""), "request"),
            2,
            SAMPLE,
            params("people", PEOPLE, "comeBack", "later")));
    // One thread: the virtual machine wakes an idle CPU between round trips, so it is slower.
    steps.add(
        new Step(
            "threads-1",
            bench("Control|Userbound", "request"),
            1,
            SAMPLE,
            params("people", PEOPLE)));
    steps.add(
        new Step(
            "threads-1-later",
            bench("Userbound", "request"),
            1,
            SAMPLE,
            params("people", PEOPLE, "comeBack", "later")));
    // Realistic requests: a prepared primary-key select, a one-row write transaction, Hibernate.
    for (String work : new String[] {"pk", "write"}) {
      steps.add(
          new Step(
              work,
              bench("Control|Userbound|Dbcp2", "request"),
              2,
              SAMPLE,
              params("work", work, "people", "100,1000", "reset", "TRACKED,DISCARD_ALL")));
    }
    steps.add(
        new Step(
            "hibernate",
            bench("Control|Userbound", "hibernate"),
            2,
            SAMPLE,
            params("people", "100", "reset", "TRACKED,DISCARD_ALL")));
    // Borrow and hand back, nothing else: each library's own cost, and its allocation.
    steps.add(
        new Step(
            "borrow",
            bench(MAIN.replace("Control|", ""), "borrow"),
            2,
            AVERAGE,
            params("people", PEOPLE)));
    steps.add(new Step("borrow-shared", bench("HikariShared", "borrow"), 2, AVERAGE, params()));
    // A 0.25 ms network round trip (TcpProxy, 125 µs each way): extra round trips show their price.
    steps.add(
        new Step(
            "rtt",
            bench("Control|Userbound|Dbcp2|HikariMap", "request"),
            2,
            SAMPLE,
            params("rtt", "250", "people", "100", "reset", "TRACKED,DISCARD_ALL")));
    steps.add(
        new Step(
            "rtt-later",
            bench("Userbound|Dbcp2|HikariMap", "request"),
            2,
            SAMPLE,
            params("rtt", "250", "people", "100", "comeBack", "later")));
    steps.add(
        new Step(
            "rtt-pk",
            bench("Control|Userbound|Dbcp2", "request"),
            2,
            SAMPLE,
            params("rtt", "250", "people", "100", "work", "pk", "reset", "TRACKED,DISCARD_ALL")));
    // Random access at 100 people: now and then two threads want the same person.
    steps.add(
        new Step(
            "access",
            bench("Control|Userbound|Dbcp2", "request"),
            2,
            SAMPLE,
            params("access", "random", "people", "100")));
    steps.add(
        new Step(
            "naive",
            bench("Naive", "newConnection|poolPerRequest"),
            2,
            SAMPLE,
            params("people", "100")));
    steps.add(
        new Step(
            "first-logins",
            FirstLoginBenchmark.class.getName() + ".",
            1,
            Mode.SingleShotTime,
            params()));
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
    if (args.length > 0 && args[0].equals("compact")) {
      compactHistograms(
          args.length > 1 ? Path.of(args[1]) : defaultResults(false).resolve("jmh.json"));
      return;
    }
    if (args.length > 0 && args[0].equals("report")) {
      Report.write(args.length > 1 ? Path.of(args[1]) : defaultResults(false));
      return;
    }
    boolean quick = System.getProperty("quick") != null;
    List<String> only = null;
    boolean footprint = true;
    boolean interleaved = true;
    boolean manyPeople = true;
    boolean soak = true;
    Path out = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "quick", "-quick", "--quick" -> quick = true;
        case "full" -> quick = false;
        case "--steps" -> only = List.of(args[++i].split(","));
        case "--no-footprint" -> footprint = false;
        case "--no-interleaved" -> interleaved = false;
        case "--no-many-people" -> manyPeople = false;
        case "--no-soak" -> soak = false;
        case "--out" -> out = Path.of(args[++i]);
        default -> {
          System.err.println(
              "unknown argument: " + args[i] + " (see the README or Main's javadoc)");
          System.exit(2);
        }
      }
    }
    Path dir = out != null ? out : defaultResults(quick);
    Files.createDirectories(dir);
    Instant started = Instant.now();
    String loadAtStart = loadAverage();
    // The code measured is what the jar was built from, so ask git before the run, not after it.
    String commit = git("rev-parse", "--short", "HEAD");
    long uncommitted =
        git("status", "--porcelain", "--", "binding-core", "binding-hibernate").lines().count();
    System.out.printf(
        "Userbound benchmarks, %s mode, results in %s (load average %s)%n",
        quick ? "quick" : "full", dir.toAbsolutePath(), loadAtStart);

    List<RunResult> all = new ArrayList<>();
    for (Step step : plan(quick)) {
      if (only != null && !only.contains(step.name())) {
        continue;
      }
      System.out.printf("%n=== step %s: %d thread(s) ===%n", step.name(), step.threads());
      all.addAll(runStep(step, quick));
    }
    try (PrintStream json =
        new PrintStream(
            Files.newOutputStream(dir.resolve("jmh.json")), true, StandardCharsets.UTF_8)) {
      ResultFormatFactory.getInstance(ResultFormatType.JSON, json).writeOut(all);
    }
    compactHistograms(dir.resolve("jmh.json"));
    if (interleaved && !quick) {
      runInterleaved(dir);
    }
    if (manyPeople) {
      runManyPeople(dir, quick);
    }
    if (soak && quick) {
      // The full soak has its own command (README); the smoke run does a short one.
      System.out.printf("%n=== soak (short) ===%n");
      runJava(
          Soak.class,
          10,
          "borrows=20000",
          "threads=4",
          "people=40",
          "budget=12",
          "out=" + dir.resolve("soak"));
    }
    if (footprint) {
      runFootprint(dir, quick ? "100" : "1000,10000");
    }
    Instant finished = Instant.now();
    writeMeta(dir, quick, started, finished, loadAtStart, commit, uncommitted, args);
    Report.write(dir);
    System.out.printf(
        "%ndone in %d s: %s%n",
        started.until(finished, ChronoUnit.SECONDS), dir.resolve("report.md").toAbsolutePath());
  }

  private static Collection<RunResult> runStep(Step step, boolean quick) throws Exception {
    ChainedOptionsBuilder b =
        new OptionsBuilder()
            .include(step.include())
            .threads(step.threads())
            .mode(step.mode())
            .forks(1)
            // A smoke run (CI) must fail when a benchmark breaks; a full run keeps going and the
            // report shows what is missing.
            .shouldFailOnError(quick);
    if (step.mode() == Mode.SingleShotTime) {
      b.timeUnit(TimeUnit.MILLISECONDS)
          .warmupIterations(quick ? 0 : 3)
          .measurementIterations(quick ? 1 : 8);
    } else {
      b.timeUnit(TimeUnit.MICROSECONDS).addProfiler(GCProfiler.class);
      if (quick) {
        b.warmupIterations(1)
            .warmupTime(TimeValue.milliseconds(200))
            .measurementIterations(2)
            .measurementTime(TimeValue.milliseconds(200));
      } else {
        b.warmupIterations(2)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(5)
            .measurementTime(TimeValue.seconds(1));
      }
    }
    step.params().forEach(b::param);
    Collection<RunResult> results = new Runner(b.build()).run();
    if (quick && results.isEmpty()) {
      throw new IllegalStateException(
          "step " + step.name() + " ran no benchmark: " + step.include());
    }
    return results;
  }

  /**
   * Replaces each sample-time result's per-iteration histograms (about 20 MB for the full
   * suite) by the iteration means, in JMH's {@code rawData} form, which is all the report needs
   * from them; percentiles and the overall mean stay as JMH computed them.
   *
   * @param file a JMH JSON result file, rewritten in place
   * @throws IOException if it cannot be read or written
   */
  static void compactHistograms(Path file) throws IOException {
    ObjectMapper json = new ObjectMapper();
    JsonNode results = json.readTree(file.toFile());
    for (JsonNode r : results) {
      if (r.path("primaryMetric") instanceof ObjectNode metric && metric.has("rawDataHistogram")) {
        ArrayNode forks = json.createArrayNode();
        // One fork per trial in this suite; the means of all its iterations.
        ArrayNode means = forks.addArray();
        Report.iterationMeans(metric.path("rawDataHistogram")).forEach(means::add);
        metric.remove("rawDataHistogram");
        metric.set("rawData", forks);
      }
    }
    json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), results);
  }

  /*
   * The interleaved cross-check of the warm-request targets (see Interleaved): the contenders in
   * one JVM on one server, alternating 250 ms rounds, medians. At 1,000 people only the control and
   * Userbound: every further contender would add 1,000 server backends.
   */
  private static final String[][] INTERLEAVED = {
    {"1", "control,userbound,userboundLater,hikariMap,hikariMapLater,dbcp2,dbcp2Later,c3p0"},
    {"100", "control,userbound,userboundLater,hikariMap,hikariMapLater,dbcp2,dbcp2Later,c3p0"},
    {"1000", "control,userbound,userboundLater"}
  };

  private static void runInterleaved(Path dir) throws IOException, InterruptedException {
    ObjectMapper json = new ObjectMapper();
    ArrayNode all = json.createArrayNode();
    Path part = dir.resolve("interleaved-part.json");
    for (String[] run : INTERLEAVED) {
      System.out.printf("%n=== interleaved: %s people, 2 threads: %s ===%n", run[0], run[1]);
      Files.deleteIfExists(part);
      runJava(
          Interleaved.class,
          10,
          "people=" + run[0],
          "threads=2",
          "rounds=20",
          "roundMillis=250",
          "contenders=" + run[1],
          "out=" + part);
      all.add(json.readTree(part.toFile()));
    }
    Files.deleteIfExists(part);
    json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("interleaved.json").toFile(), all);
  }

  /** Runs a main class of this jar in a JVM of its own, so that nothing else is on its heap. */
  private static void runJava(Class<?> main, int minutes, String... args)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms2g",
                "-Xmx2g",
                "-cp",
                System.getProperty("java.class.path"),
                main.getName()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).inheritIO().start();
    if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException(
          main.getSimpleName() + " did not finish in " + minutes + " minutes");
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          main.getSimpleName() + " failed with exit code " + p.exitValue());
    }
  }

  /** Runs ManyPeople in a JVM of its own: 10,000 people (a smoke run: 300, short rounds). */
  private static void runManyPeople(Path dir, boolean quick)
      throws IOException, InterruptedException {
    System.out.printf("%n=== many people on few connections ===%n");
    String out = "out=" + dir.resolve("many-people.json");
    if (quick) {
      runJava(
          ManyPeople.class,
          10,
          "people=300",
          "budget=20",
          "rounds=1",
          "seconds=1",
          "warmup=0.5",
          out);
    } else {
      runJava(ManyPeople.class, 40, out);
    }
  }

  /** Runs the footprint harness in a JVM of its own, so that nothing else is on its heap. */
  private static void runFootprint(Path dir, String people)
      throws IOException, InterruptedException {
    System.out.printf("%n=== footprint: %s people ===%n", people);
    runJava(IdleFootprint.class, 15, dir.resolve("footprint.json").toString(), people);
  }

  private static void writeMeta(
      Path dir,
      boolean quick,
      Instant started,
      Instant finished,
      String loadAtStart,
      String commit,
      long uncommitted,
      String[] args)
      throws IOException {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("mode", quick ? "quick" : "full");
    meta.put("started", started.truncatedTo(ChronoUnit.SECONDS).toString());
    meta.put("finished", finished.truncatedTo(ChronoUnit.SECONDS).toString());
    meta.put("seconds", started.until(finished, ChronoUnit.SECONDS));
    meta.put("cores", Runtime.getRuntime().availableProcessors());
    meta.put("cpu", cpuModel());
    meta.put(
        "os",
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
    meta.put(
        "java",
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    meta.put("loadAverageAtStart", loadAtStart);
    meta.put("loadAverageAtEnd", loadAverage());
    meta.put("args", String.join(" ", args));
    meta.put("commit", commit);
    meta.put("uncommittedInCore", uncommitted);
    new ObjectMapper()
        .writerWithDefaultPrettyPrinter()
        .writeValue(dir.resolve("meta.json").toFile(), meta);
  }

  /** benchmarks/results (or results/quick), found from where this jar or class lives. */
  static Path defaultResults(boolean quick) throws URISyntaxException {
    Path code = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    // .../benchmarks/target/benchmarks.jar or .../benchmarks/target/classes
    Path module = code.getParent().getParent();
    Path results = module.resolve("results");
    return quick ? results.resolve("quick") : results;
  }

  /**
   * What git says in the repository this jar was built in, or "?" (the commit measured goes into
   * meta.json).
   */
  private static String git(String... args) {
    try {
      List<String> command =
          new ArrayList<>(
              List.of("git", "-C", defaultResults(false).getParent().getParent().toString()));
      command.addAll(List.of(args));
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor() == 0 ? out : "?";
    } catch (IOException | URISyntaxException e) {
      return "?";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "?";
    }
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return String.format(
          Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return System.getProperty("os.arch");
  }
}
