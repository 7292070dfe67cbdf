package io.userbound.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/*
 * Turns jmh.json (+ footprint.json, meta.json) in a results directory into report.md and
 * chart.png. Every ratio divides two figures of the same run and the same thread count.
 *
 * Error bars. For sample-time rows JMH's own error is computed over every single sample, so
 * it is tiny and says nothing about how much a one-second iteration differs from the next,
 * which is the noise on this machine. The report therefore recomputes the error the way JMH
 * does for average time: the 99.9% confidence interval (Student's t) of the per-iteration
 * means, taken from the per-iteration histograms in jmh.json. Average-time rows keep JMH's
 * error, which is computed that way already.
 *
 * A target's verdict comes from the two error bars: "met" when even the worst end of the
 * ratio's range is within the target, "missed" when even its best end is not, and "within
 * noise" when the range straddles the target, whichever side the ratio itself is on.
 */
final class Report {

  private static final int[] PEOPLE = {1, 100, 1_000, 10_000};
  private static final int[] MAIN_PEOPLE = {1, 100, 1_000};
  private static final String GC_NORM = "gc.alloc.rate.norm";

  private final List<Row> rows = new ArrayList<>();
  private final JsonNode meta;
  private final JsonNode footprint;
  private final JsonNode many;
  private final JsonNode interleaved;
  private final StringBuilder md = new StringBuilder();

  /** One JMH result. {@code bench} is e.g. {@code Userbound.request}. Times in µs. */
  private record Row(
      String bench,
      String mode,
      int threads,
      Map<String, String> params,
      double score,
      double error,
      double p50,
      double p99,
      double bytesPerOp) {

    String param(String name) {
      return params.getOrDefault(name, "");
    }
  }

  private Report(Path dir) throws IOException {
    ObjectMapper json = new ObjectMapper();
    this.meta = read(json, dir.resolve("meta.json"));
    this.footprint = read(json, dir.resolve("footprint.json"));
    this.many = read(json, dir.resolve("many-people.json"));
    this.interleaved = read(json, dir.resolve("interleaved.json"));
    for (JsonNode r : read(json, dir.resolve("jmh.json"))) {
      rows.add(row(r));
    }
  }

  private static JsonNode read(ObjectMapper json, Path file) throws IOException {
    return Files.exists(file) ? json.readTree(file.toFile()) : json.createObjectNode();
  }

  private static Row row(JsonNode r) {
    String name = r.path("benchmark").asText();
    String[] parts = name.split("\\.");
    String bench = parts[parts.length - 2].replace("Benchmark", "") + "." + parts[parts.length - 1];
    Map<String, String> params = new TreeMap<>();
    r.path("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
    JsonNode metric = r.path("primaryMetric");
    String mode = r.path("mode").asText();
    double score = number(metric.path("score"));
    double error = number(metric.path("scoreError"));
    double p50 = Double.NaN;
    double p99 = Double.NaN;
    if (mode.equals("sample")) {
      p50 = number(metric.path("scorePercentiles").path("50.0"));
      p99 = number(metric.path("scorePercentiles").path("99.0"));
      error = iterationError(metric, error);
    }
    double bytes = Double.NaN;
    for (Map.Entry<String, JsonNode> e : r.path("secondaryMetrics").properties()) {
      if (e.getKey().endsWith(GC_NORM)) {
        bytes = number(e.getValue().path("score"));
      }
    }
    return new Row(bench, mode, r.path("threads").asInt(), params, score, error, p50, p99, bytes);
  }

  /** JMH writes "NaN" as a string. */
  private static double number(JsonNode n) {
    if (n.isNumber()) {
      return n.asDouble();
    }
    try {
      return Double.parseDouble(n.asText());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /**
   * The mean of each iteration from JMH's per-iteration histograms ([fork][iteration] =
   * [[value, count], ...]).
   */
  static List<Double> iterationMeans(JsonNode forks) {
    List<Double> means = new ArrayList<>();
    for (JsonNode fork : forks) {
      for (JsonNode iteration : fork) {
        double sum = 0;
        long count = 0;
        for (JsonNode bucket : iteration) {
          sum += bucket.get(0).asDouble() * bucket.get(1).asLong();
          count += bucket.get(1).asLong();
        }
        if (count > 0) {
          means.add(sum / count);
        }
      }
    }
    return means;
  }

  /**
   * The 99.9% confidence half-width of the per-iteration means of a sample-time result: from
   * the histograms if jmh.json still has them, else from the means that {@link Main} keeps in
   * their place ({@code rawData}, as JMH writes it for average time); {@code fallback} if
   * there are fewer than two iterations.
   */
  private static double iterationError(JsonNode metric, double fallback) {
    List<Double> means = new ArrayList<>();
    if (metric.has("rawDataHistogram")) {
      means.addAll(iterationMeans(metric.path("rawDataHistogram")));
    } else {
      for (JsonNode fork : metric.path("rawData")) {
        fork.forEach(m -> means.add(m.asDouble()));
      }
    }
    int n = means.size();
    if (n < 2) {
      return fallback;
    }
    double mean = means.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    double var = means.stream().mapToDouble(m -> (m - mean) * (m - mean)).sum() / (n - 1);
    return studentT999(n - 1) * Math.sqrt(var / n);
  }

  /** Two-sided 99.9% quantile of Student's t for {@code df} degrees of freedom. */
  private static double studentT999(int df) {
    double[] t = {636.62, 31.599, 12.924, 8.610, 6.869, 5.959, 5.408, 5.041, 4.781, 4.587};
    return df <= t.length ? t[df - 1] : 3.291;
  }

  /**
   * Writes report.md and chart.png into the directory.
   *
   * @param dir a results directory with jmh.json and optionally footprint.json and meta.json
   * @throws IOException if a file cannot be read or written
   */
  static void write(Path dir) throws IOException {
    Report r = new Report(dir);
    r.build();
    Files.writeString(dir.resolve("report.md"), r.md.toString(), StandardCharsets.UTF_8);
    r.chart(dir.resolve("chart.png"));
    System.out.println(
        "report: wrote " + dir.resolve("report.md") + " and " + dir.resolve("chart.png"));
  }

  // ------------------------------------------------------------------ lookups

  /** Parameters that single out a variant; a lookup that does not name them wants the default. */
  private static final Map<String, String> DEFAULTS =
      Map.of(
          "access",
          "own",
          "comeBack",
          "soon",
          "rtt",
          "0",
          "work",
          "select1",
          "reset",
          "TRACKED",
          "budgetFit",
          "headroom");

  private Optional<Row> find(String bench, int threads, String... params) {
    Map<String, String> want = new LinkedHashMap<>(DEFAULTS);
    for (int i = 0; i < params.length; i += 2) {
      want.put(params[i], params[i + 1]);
    }
    outer:
    for (Row r : rows) {
      if (!r.bench.equals(bench) || r.threads != threads) {
        continue;
      }
      for (Map.Entry<String, String> w : want.entrySet()) {
        boolean absentDefault =
            !r.params.containsKey(w.getKey()) && w.getValue().equals(DEFAULTS.get(w.getKey()));
        if (!absentDefault && !r.param(w.getKey()).equals(w.getValue())) {
          continue outer;
        }
      }
      return Optional.of(r);
    }
    return Optional.empty();
  }

  /**
   * The no-pool control for n people (with fewer people than threads: each thread's own
   * connection).
   */
  private Optional<Row> control(int n, int threads, String... params) {
    String[] p = new String[params.length + 2];
    p[0] = "people";
    p[1] = Integer.toString(n);
    System.arraycopy(params, 0, p, 2, params.length);
    return find("Control.request", threads, p);
  }

  private static String[] with(String[] params, String... more) {
    String[] p = new String[params.length + more.length];
    System.arraycopy(params, 0, p, 0, params.length);
    System.arraycopy(more, 0, p, params.length, more.length);
    return p;
  }

  // ------------------------------------------------------------------ the document

  private void build() {
    md.append("# Userbound benchmark results\n\n");
    machine();
    targets();
    interleavedRuns();
    warmRequests("## Warm request: `select 1`, 2 threads", 2);
    comeBackLater();
    oneThread();
    realisticRequests();
    borrowOnly();
    roundTrip();
    randomAccess();
    perRequestConnections();
    firstLogins();
    manyPeople();
    footprint();
    contenders();
    md.append("\n![Warm request, 2 threads](chart.png)\n");
  }

  private void machine() {
    String mode = meta.path("mode").asText("?");
    md.append("| run | |\n| --- | --- |\n");
    md.append("| mode | ")
        .append(mode)
        .append(
            mode.equals("quick")
                ? " (a smoke test: 2 × 0.2 s measurements, **not** a measurement to quote)"
                : " (1 fork, 2 × 1 s warm-up, 5 × 1 s measurement per trial; first logins 3 + 8"
                    + " single shots)")
        .append(" |\n");
    md.append("| date | ")
        .append(meta.path("started").asText("?"))
        .append(" to ")
        .append(meta.path("finished").asText("?"))
        .append(
            meta.has("seconds")
                ? " (" + Math.round(meta.path("seconds").asDouble() / 60) + " min)"
                : "")
        .append(" |\n");
    md.append("| machine | ")
        .append(meta.path("cores").asText("?"))
        .append(" cores, ")
        .append(meta.path("cpu").asText("?"))
        .append(", ")
        .append(meta.path("os").asText("?"))
        .append(" |\n");
    md.append("| JVM | ").append(meta.path("java").asText("?")).append(" |\n");
    md.append("| code | commit ")
        .append(meta.path("commit").asText("?"))
        .append(
            meta.path("uncommittedInCore").asInt(0) > 0
                ? " plus "
                    + meta.path("uncommittedInCore").asInt()
                    + " uncommitted files in binding-core/binding-hibernate"
                : "")
        .append(" |\n");
    md.append("| PostgreSQL | ")
        .append(footprint.path("postgres").asText("?"))
        .append(
            " on loopback, SCRAM-SHA-256, `sslmode=disable`, one server per trial (binding-testkit)"
                + " |\n");
    md.append("| load average (1, 5, 15 min) | at start ")
        .append(meta.path("loadAverageAtStart").asText("?"))
        .append(", at end ")
        .append(meta.path("loadAverageAtEnd").asText("?"))
        .append(" |\n\n");
    md.append(
            "One operation = get a connection for a person, do the work, give it back. Times are µs"
                + " per operation ")
        .append(
            "and thread: the mean (JMH sample-time mode) with ± its 99.9% confidence interval over"
                + " the five ")
        .append(
            "1-second iterations, and the median (p50) and 99th percentile (p99) of all sampled"
                + " operations. ")
        .append(
            "B/op is heap allocated per operation (JMH's GC profiler). People take turns"
                + " round-robin, each thread ")
        .append(
            "over its own share. Every ratio divides two figures from this run with the same thread"
                + " count. ")
        .append(
            "\"Control N\" is the same work round-robin over N already-open connections (N server"
                + " backends), no pool: ")
        .append(
            "the fair floor for N people; at N = 1 each thread has its own open connection (the"
                + " query alone). ")
        .append(
            "Userbound runs with its default settings (session reset TRACKED) unless a row says"
                + " otherwise.\n\n");
  }

  // ------------------------------------------------------------------ targets

  private record Verdict(double ratio, String text) {}

  /** a ÷ b against a target ratio, from both error bars. */
  private static Verdict verdict(Row a, Row b, double target) {
    double ratio = a.score / b.score;
    double lo = Math.max(0, a.score - a.error) / (b.score + b.error);
    double hi =
        b.score - b.error > 0
            ? (a.score + a.error) / (b.score - b.error)
            : Double.POSITIVE_INFINITY;
    String range = ratio(lo) + "–" + (Double.isInfinite(hi) ? "∞" : ratio(hi));
    if (hi <= target) {
      return new Verdict(ratio, "met");
    }
    if (lo > target) {
      return new Verdict(ratio, "missed");
    }
    return new Verdict(
        ratio,
        "within noise (" + range + ", " + (ratio <= target ? "below" : "above") + " the target)");
  }

  private void targets() {
    List<String> lines = new ArrayList<>();
    // 1. Warm request <= 1.05 x the no-pool control, N = 1, 100, 1,000; 1 and 2 threads; soon and
    // later.
    for (int threads : new int[] {1, 2}) {
      for (String comeBack : new String[] {"soon", "later"}) {
        for (int n : MAIN_PEOPLE) {
          Optional<Row> u =
              find(
                  "Userbound.request",
                  threads,
                  "people",
                  Integer.toString(n),
                  "comeBack",
                  comeBack);
          Optional<Row> c = control(n, threads);
          if (u.isPresent() && c.isPresent()) {
            lines.add(
                targetLine(
                    "warm request ≤ 1.05 × control",
                    n,
                    threads,
                    comeBack,
                    u.get(),
                    "control",
                    c.get(),
                    1.05,
                    threads == 2
                        ? interleavedRatio(
                            n, comeBack.equals("later") ? "userboundLater" : "userbound", "control")
                        : ""));
          }
        }
      }
    }
    // 2. Ahead of DBCP2 and c3p0 at every N (2 threads, both come-back cases).
    for (String peer : new String[] {"Dbcp2", "C3p0"}) {
      for (String comeBack : new String[] {"soon", "later"}) {
        for (int n : MAIN_PEOPLE) {
          String p = Integer.toString(n);
          Optional<Row> u = find("Userbound.request", 2, "people", p, "comeBack", comeBack);
          Optional<Row> o = find(peer + ".request", 2, "people", p, "comeBack", comeBack);
          if (u.isPresent() && o.isPresent()) {
            String later = comeBack.equals("later") ? "Later" : "";
            lines.add(
                targetLine(
                    "ahead of " + label(peer),
                    n,
                    2,
                    comeBack,
                    u.get(),
                    label(peer),
                    o.get(),
                    1.0,
                    interleavedRatio(
                        n, "userbound" + later, peer.toLowerCase(Locale.ROOT) + later)));
          }
        }
      }
    }
    // 3. Borrow + hand-back <= 1.3 x a plain map of HikariCP pools, same N.
    for (int n : MAIN_PEOPLE) {
      String p = Integer.toString(n);
      Optional<Row> u = find("Userbound.borrow", 2, "people", p);
      Optional<Row> m = find("HikariMap.borrow", 2, "people", p);
      if (u.isPresent() && m.isPresent()) {
        lines.add(
            targetLine(
                "borrow + hand-back ≤ 1.3 × HikariCP map",
                n,
                2,
                "soon",
                u.get(),
                "HikariCP map",
                m.get(),
                1.3,
                ""));
      }
    }
    if (lines.isEmpty()) {
      return;
    }
    md.append("## Targets (issue 10)\n\n")
        .append(
            "Default settings, ratios within this run. Verdict from both error bars (see the note"
                + " at the top ")
        .append(
            "of `Report.java`): \"within noise\" when the ratio's range straddles the target. The"
                + " last column is ")
        .append(
            "the cross-check from the interleaved runs (all contenders in one JVM on one server,"
                + " alternating ")
        .append("250 ms rounds): the ratio of the medians, where it was run.\n\n")
        .append(
            "| target | N | threads | come back | Userbound µs/op | reference µs/op | ratio |"
                + " verdict | interleaved ratio |\n")
        .append("| --- | ---: | ---: | --- | ---: | ---: | ---: | --- | ---: |\n");
    lines.forEach(md::append);
    md.append('\n');
  }

  private static String targetLine(
      String target,
      int n,
      int threads,
      String comeBack,
      Row a,
      String bName,
      Row b,
      double limit,
      String interleavedRatio) {
    Verdict v = verdict(a, b, limit);
    return "| "
        + target
        + " | "
        + fmtInt(n)
        + " | "
        + threads
        + " | "
        + comeBack
        + " | "
        + fmtUs(a.score)
        + " ± "
        + fmtUs(a.error)
        + " | "
        + bName
        + " "
        + fmtUs(b.score)
        + " ± "
        + fmtUs(b.error)
        + " | "
        + ratio(v.ratio)
        + " | "
        + v.text
        + " | "
        + (interleavedRatio.isEmpty() ? "–" : interleavedRatio)
        + " |\n";
  }

  /** The interleaved run at n people (2 threads, select 1), if any. */
  private Optional<JsonNode> interleavedRun(int n) {
    for (JsonNode run : interleaved) {
      if (run.path("people").asInt() == n && run.path("threads").asInt() == 2) {
        return Optional.of(run);
      }
    }
    return Optional.empty();
  }

  /** Median of a ÷ median of b in the interleaved run at n people, or "" if either is missing. */
  private String interleavedRatio(int n, String a, String b) {
    return interleavedRun(n)
        .map(
            run -> {
              JsonNode x = run.path("contenders").path(a);
              JsonNode y = run.path("contenders").path(b);
              return x.isMissingNode() || y.isMissingNode()
                  ? ""
                  : ratio(x.path("median").asDouble() / y.path("median").asDouble());
            })
        .orElse("");
  }

  private void interleavedRuns() {
    if (!interleaved.isArray() || interleaved.isEmpty()) {
      return;
    }
    md.append("## Interleaved cross-check, `select 1`, 2 threads\n\n")
        .append(
            "All contenders in one JVM on one server, in alternating 250 ms rounds (shuffled order"
                + " each round, ")
        .append(
            "20 rounds after a warm-up), so that a burst of load from elsewhere hits them alike"
                + " (`Interleaved`). ")
        .append(
            "µs/op: median over rounds (p25–p75); \"Δ control\" is the median of the per-round"
                + " differences. ")
        .append(
            "\"…Later\" validates on every borrow. Between its rounds a contender's connections sit"
                + " idle for a ")
        .append(
            "few seconds, so HikariCP-based \"soon\" contenders also check each connection once per"
                + " round.\n\n")
        .append(
            """
            | N | contender | median µs/op | p25–p75 | Δ control µs | ÷ control |
            | ---: | --- | ---: | --- | ---: | ---: |
            """);
    for (JsonNode run : interleaved) {
      run.path("contenders")
          .properties()
          .forEach(
              e -> {
                JsonNode c = e.getValue();
                md.append("| ")
                    .append(fmtInt(run.path("people").asLong()))
                    .append(" | ")
                    .append(e.getKey())
                    .append(" | ")
                    .append(fmtUs(c.path("median").asDouble()))
                    .append(" | ")
                    .append(fmtUs(c.path("p25").asDouble()))
                    .append("–")
                    .append(fmtUs(c.path("p75").asDouble()))
                    .append(" | ")
                    .append(String.format(Locale.ROOT, "%+.1f", c.path("medianDiff").asDouble()))
                    .append(" | ")
                    .append(ratio(c.path("ratio").asDouble()))
                    .append(" |\n");
              });
    }
    md.append('\n');
  }

  private static String label(String bench) {
    return switch (bench) {
      case "Control" -> "control: N open connections, no pool";
      case "Userbound" -> "Userbound";
      case "HikariMap" -> "a plain map of HikariCP pools";
      case "HikariShared" -> "HikariCP, one shared pool, one role";
      case "Dbcp2" -> "DBCP2 PerUserPoolDataSource";
      case "C3p0" -> "c3p0 getConnection(user, password)";
      default -> bench;
    };
  }

  // ------------------------------------------------------------------ request tables

  private static final String REQUEST_HEADER =
      """
      | contender | N | mean µs/op | ± | p50 | p99 | B/op | ÷ control N |
      | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
      """;

  /** Rows of the main contenders for the given extra parameters. */
  private void contenderRows(int threads, int[] people, String[] contenders, String... params) {
    for (int n : people) {
      String p = Integer.toString(n);
      double control = control(n, threads, params).map(Row::score).orElse(Double.NaN);
      for (String c : contenders) {
        if (c.equals("Userbound")) {
          for (String reset : new String[] {"TRACKED", "DISCARD_ALL", "NONE"}) {
            find("Userbound.request", threads, with(params, "people", p, "reset", reset))
                .ifPresent(
                    r ->
                        requestLine(
                            "Userbound, reset "
                                + reset
                                + (reset.equals("TRACKED") ? " (default)" : ""),
                            fmtInt(n),
                            r,
                            control));
          }
        } else if (c.equals("Control")) {
          control(n, threads, params).ifPresent(r -> requestLine(label(c), fmtInt(n), r, control));
        } else {
          find(c + ".request", threads, with(params, "people", p))
              .ifPresent(r -> requestLine(label(c), fmtInt(n), r, control));
        }
      }
    }
  }

  private void requestLine(String label, String people, Row r, double control) {
    md.append("| ")
        .append(label)
        .append(" | ")
        .append(people)
        .append(" | ")
        .append(fmtUs(r.score))
        .append(" | ")
        .append(fmtUs(r.error))
        .append(" | ")
        .append(fmtUs(r.p50))
        .append(" | ")
        .append(fmtUs(r.p99))
        .append(" | ")
        .append(fmtBytes(r.bytesPerOp))
        .append(" | ")
        .append(ratio(r.score / control))
        .append(" |\n");
  }

  private void warmRequests(String title, int threads) {
    if (control(100, threads).isEmpty()
        && find("Userbound.request", threads, "people", "100").isEmpty()) {
      return;
    }
    md.append(title).append("\n\n").append(REQUEST_HEADER);
    contenderRows(
        threads, PEOPLE, new String[] {"Control", "Userbound", "HikariMap", "Dbcp2", "C3p0"});
    find("HikariShared.request", threads)
        .ifPresent(
            r ->
                requestLine(
                    label("HikariShared"),
                    "1",
                    r,
                    control(1, threads).map(Row::score).orElse(Double.NaN)));
    md.append(
            "\n"
                + "Not measured: DBCP2, c3p0 and a map of HikariCP pools at 10,000 people (none of"
                + " them caps ")
        .append(
            "connections across users, so 10,000 people need 10,000 server backends); the control"
                + " at 10,000. ")
        .append(
            "Userbound at 10,000 runs with a budget of 300 (max_connections 400): nearly every"
                + " request closes the ")
        .append(
            "least recently used person's idle connection and opens a new one, so that row measures"
                + " LRU reclaim ")
        .append("plus a SCRAM login, not a warm pool.\n\n");
  }

  private void comeBackLater() {
    if (find("Userbound.request", 2, "people", "100", "comeBack", "later").isEmpty()) {
      return;
    }
    md.append("## People who come back after more than 500 ms, `select 1`, 2 threads\n\n")
        .append(
            "Every pool validates the connection on every borrow with `Connection.isValid` (see"
                + " \"What each ")
        .append(
            "contender does\" below). pgjdbc answers it with a round trip; Userbound's connections"
                + " answer it from a ")
        .append(
            "local look at the socket. The control validates nothing; its figure is the same as"
                + " above.\n\n")
        .append(REQUEST_HEADER);
    contenderRows(
        2,
        MAIN_PEOPLE,
        new String[] {"Userbound", "HikariMap", "Dbcp2", "C3p0"},
        "comeBack",
        "later");
    md.append('\n');
  }

  private void oneThread() {
    if (control(100, 1).isEmpty()) {
      return;
    }
    md.append("## One thread, `select 1`\n\n")
        .append(
            "One benchmark thread is slower on this virtual machine (an idle CPU is woken between"
                + " round trips); ")
        .append("compare with the control of the same thread count only.\n\n")
        .append(REQUEST_HEADER);
    for (int n : MAIN_PEOPLE) {
      String p = Integer.toString(n);
      double control = control(n, 1).map(Row::score).orElse(Double.NaN);
      control(n, 1).ifPresent(r -> requestLine(label("Control"), fmtInt(n), r, control));
      find("Userbound.request", 1, "people", p)
          .ifPresent(r -> requestLine("Userbound, come back soon", fmtInt(n), r, control));
      find("Userbound.request", 1, "people", p, "comeBack", "later")
          .ifPresent(r -> requestLine("Userbound, come back later", fmtInt(n), r, control));
    }
    md.append('\n');
  }

  private void realisticRequests() {
    String[][] works = {
      {"pk", "Primary-key select (PreparedStatement, one row), 2 threads"},
      {"write", "Write transaction (autocommit off, update one row, commit), 2 threads"}
    };
    for (String[] w : works) {
      if (control(100, 2, "work", w[0]).isEmpty()
          && find("Userbound.request", 2, "people", "100", "work", w[0]).isEmpty()) {
        continue;
      }
      md.append("## ").append(w[1]).append("\n\n").append(REQUEST_HEADER);
      contenderRows(2, MAIN_PEOPLE, new String[] {"Control", "Userbound", "Dbcp2"}, "work", w[0]);
      md.append('\n');
    }
    if (find("Control.hibernate", 2, "people", "100").isPresent()
        || find("Userbound.hibernate", 2, "people", "100").isPresent()) {
      md.append("## Hibernate unit of work (find by id, then a 3-row query), 2 threads\n\n")
          .append(
              "Control: a plain Hibernate session factory with the same settings, handed an"
                  + " already-open ")
          .append(
              "connection per session. Userbound: binding-hibernate's `openUnitOfWork()` with the"
                  + " person bound.\n\n")
          .append(REQUEST_HEADER);
      for (int n : MAIN_PEOPLE) {
        String p = Integer.toString(n);
        double control =
            find("Control.hibernate", 2, "people", p).map(Row::score).orElse(Double.NaN);
        find("Control.hibernate", 2, "people", p)
            .ifPresent(
                r ->
                    requestLine(
                        "control: plain Hibernate on N open connections", fmtInt(n), r, control));
        for (String reset : new String[] {"TRACKED", "DISCARD_ALL"}) {
          find("Userbound.hibernate", 2, "people", p, "reset", reset)
              .ifPresent(
                  r -> requestLine("binding-hibernate, reset " + reset, fmtInt(n), r, control));
        }
      }
      md.append('\n');
    }
  }

  private void borrowOnly() {
    if (find("HikariMap.borrow", 2, "people", "100").isEmpty()
        && find("Userbound.borrow", 2, "people", "100").isEmpty()) {
      return;
    }
    md.append("## Borrow only (no query), 2 threads\n\n")
        .append(
            "Borrow and hand back, nothing else: each library's own cost (JMH average-time mode,"
                + " µs/op with ± ")
        .append(
            "its 99.9% confidence interval) and heap allocated per operation. Userbound includes"
                + " `bind(login)` and ")
        .append(
            "its close; with TRACKED the hand-back of an untouched connection costs no round"
                + " trip.\n\n")
        .append(
            """
            | contender | N | µs/op | ± | B/op | ÷ HikariCP map, same N |
            | --- | ---: | ---: | ---: | ---: | ---: |
            """);
    find("HikariShared.borrow", 2)
        .ifPresent(r -> borrowLine(label("HikariShared"), "1", r, Double.NaN));
    for (int n : MAIN_PEOPLE) {
      String p = Integer.toString(n);
      double map = find("HikariMap.borrow", 2, "people", p).map(Row::score).orElse(Double.NaN);
      for (String c : new String[] {"HikariMap", "Userbound", "Dbcp2", "C3p0"}) {
        find(c + ".borrow", 2, "people", p).ifPresent(r -> borrowLine(label(c), fmtInt(n), r, map));
      }
    }
    md.append('\n');
  }

  private void borrowLine(String label, String people, Row r, double base) {
    md.append("| ")
        .append(label)
        .append(" | ")
        .append(people)
        .append(" | ")
        .append(fmtUs(r.score))
        .append(" | ")
        .append(fmtUs(r.error))
        .append(" | ")
        .append(fmtBytes(r.bytesPerOp))
        .append(" | ")
        .append(ratio(r.score / base))
        .append(" |\n");
  }

  private void roundTrip() {
    if (control(100, 2, "rtt", "250").isEmpty()
        && find("Userbound.request", 2, "people", "100", "rtt", "250").isEmpty()) {
      return;
    }
    md.append("## A 0.25 ms network round trip, 100 people, 2 threads\n\n")
        .append(
            "Every client connection goes through binding-testkit's `TcpProxy`, which holds each"
                + " direction's bytes ")
        .append(
            "for 125 µs. The control's `select 1` is one round trip, so its figure is what a round"
                + " trip costs through ")
        .append(
            "the proxy on this machine: the nominal 250 µs plus the wake-ups of the proxy's"
                + " threads. The last column ")
        .append(
            "divides a contender's difference to the control of the same work by that figure: about"
                + " how many round ")
        .append("trips it adds.\n\n")
        .append(
            "| work | come back | contender | mean µs/op | ± | p50 | p99 | − control µs | ÷ control"
                + " | ≈ extra round trips |\n")
        .append("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    double roundTrip = control(100, 2, "rtt", "250").map(Row::score).orElse(Double.NaN);
    for (String work : new String[] {"select1", "pk"}) {
      double control =
          control(100, 2, "rtt", "250", "work", work).map(Row::score).orElse(Double.NaN);
      control(100, 2, "rtt", "250", "work", work)
          .ifPresent(r -> rttLine(work, "–", label("Control"), r, control, roundTrip));
      for (String comeBack : new String[] {"soon", "later"}) {
        for (String reset : new String[] {"TRACKED", "DISCARD_ALL"}) {
          find(
                  "Userbound.request",
                  2,
                  "people",
                  "100",
                  "rtt",
                  "250",
                  "work",
                  work,
                  "comeBack",
                  comeBack,
                  "reset",
                  reset)
              .ifPresent(
                  r -> rttLine(work, comeBack, "Userbound, reset " + reset, r, control, roundTrip));
        }
        for (String c : new String[] {"HikariMap", "Dbcp2"}) {
          find(c + ".request", 2, "people", "100", "rtt", "250", "work", work, "comeBack", comeBack)
              .ifPresent(r -> rttLine(work, comeBack, label(c), r, control, roundTrip));
        }
      }
    }
    md.append('\n');
  }

  private void rttLine(
      String work, String comeBack, String label, Row r, double control, double roundTrip) {
    md.append("| ")
        .append(work)
        .append(" | ")
        .append(comeBack)
        .append(" | ")
        .append(label)
        .append(" | ")
        .append(fmtUs(r.score))
        .append(" | ")
        .append(fmtUs(r.error))
        .append(" | ")
        .append(fmtUs(r.p50))
        .append(" | ")
        .append(fmtUs(r.p99))
        .append(" | ")
        .append(
            Double.isNaN(control) ? "–" : String.format(Locale.ROOT, "%+.0f", r.score - control))
        .append(" | ")
        .append(ratio(r.score / control))
        .append(" | ")
        .append(
            Double.isNaN(control - roundTrip)
                ? "–"
                : String.format(Locale.ROOT, "%+.1f", (r.score - control) / roundTrip))
        .append(" |\n");
  }

  private void randomAccess() {
    if (control(100, 2, "access", "random").isEmpty()) {
      return;
    }
    md.append("## Random access, `select 1`, 100 people, 2 threads\n\n")
        .append(
            "A random person per request, as real traffic: now and then two threads want the same"
                + " person at once, ")
        .append(
            "and a pool opens a second connection for them (the control then shares a"
                + " connection).\n\n")
        .append(REQUEST_HEADER);
    contenderRows(
        2, new int[] {100}, new String[] {"Control", "Userbound", "Dbcp2"}, "access", "random");
    md.append('\n');
  }

  private void perRequestConnections() {
    Optional<Row> naive = find("Naive.poolPerRequest", 2, "people", "100");
    Optional<Row> fresh = find("Naive.newConnection", 2, "people", "100");
    if (naive.isEmpty() && fresh.isEmpty()) {
      return;
    }
    double control = control(100, 2).map(Row::score).orElse(Double.NaN);
    md.append("## Without a warm pool, `select 1`, 100 people, 2 threads\n\n")
        .append(REQUEST_HEADER);
    naive.ifPresent(
        r ->
            requestLine(
                "naive: a HikariCP pool built per request from the person's credentials",
                "100",
                r,
                control));
    fresh.ifPresent(r -> requestLine("a new physical connection per request", "100", r, control));
    md.append('\n');
  }

  private void firstLogins() {
    List<Row> logins = rows.stream().filter(r -> r.bench.equals("FirstLogin.firstLogins")).toList();
    if (logins.isEmpty()) {
      return;
    }
    md.append("## First logins: 100 new people at once\n\n")
        .append(
            "One operation = 100 people who have no pool yet log in concurrently and run a first"
                + " `select 1` ")
        .append(
            "(Userbound: `login` + `connection`; DBCP2 and c3p0: `getConnection(user, password)`)."
                + " ")
        .append("A fresh library instance per iteration.\n\n")
        .append(
            """
            | library | login threads | ms for 100 | ± (99.9%) | ms per person | ÷ Userbound |
            | --- | ---: | ---: | ---: | ---: | ---: |
            """);
    for (String threads : new String[] {"2", "8"}) {
      double ub =
          logins.stream()
              .filter(
                  r ->
                      r.param("library").equals("userbound")
                          && r.param("loginThreads").equals(threads))
              .mapToDouble(Row::score)
              .findFirst()
              .orElse(Double.NaN);
      for (String lib : new String[] {"userbound", "dbcp2", "c3p0"}) {
        logins.stream()
            .filter(r -> r.param("library").equals(lib) && r.param("loginThreads").equals(threads))
            .findFirst()
            .ifPresent(
                r ->
                    md.append("| ")
                        .append(lib)
                        .append(" | ")
                        .append(threads)
                        .append(" | ")
                        .append(fmtUs(r.score))
                        .append(" | ")
                        .append(fmtUs(r.error))
                        .append(" | ")
                        .append(String.format(Locale.ROOT, "%.2f", r.score / 100))
                        .append(" | ")
                        .append(ratio(r.score / ub))
                        .append(" |\n"));
      }
    }
    md.append('\n');
  }

  private void manyPeople() {
    JsonNode rows = many.path("rows");
    if (!rows.isObject() || rows.isEmpty()) {
      return;
    }
    double control = rows.path("control/own").path("meanMicros").asDouble(Double.NaN);
    double fresh = rows.path("newConnection/zipf").path("meanMicros").asDouble(Double.NaN);
    md.append("## Many people on few connections (`ManyPeople`)\n\n")
        .append(fmtInt(many.path("people").asLong()))
        .append(" logged-in people, a budget of ")
        .append(fmtInt(many.path("budget").asLong()))
        .append(", ")
        .append(many.path("threads").asInt())
        .append(" threads; each request binds a person's login, borrows, runs `")
        .append(many.path("work").asText("?"))
        .append("` and hands back. `zipf`: people drawn with Zipf exponent ")
        .append(many.path("zipf").asText("?"))
        .append(" (the 100 most active make about half the requests); `roundRobin`: strictly in")
        .append(" turn, so no connection is ever warm. Rows run in ")
        .append(many.path("rounds").asInt())
        .append(" alternating rounds of ")
        .append(many.path("secondsPerRound").asText("?"))
        .append(" s. Hit rate: requests served by a connection already open for (DEDICATED_POOLS)")
        .append(" or already set to (ROLE_SWITCHING) their person. Max backends: the most the")
        .append(" server showed for the row's application at once (sampled).\n\n")
        .append(
            "| row | mean | p50 | p99 | req/s | hit rate | errors | max backends | ÷ control |"
                + " ÷ new connection |\n")
        .append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (var e : rows.properties()) {
      JsonNode r = e.getValue();
      double mean = r.path("meanMicros").asDouble(Double.NaN);
      md.append("| ")
          .append(e.getKey())
          .append(" | ")
          .append(fmtUs(mean))
          .append(" | ")
          .append(fmtUs(r.path("p50Micros").asDouble(Double.NaN)))
          .append(" | ")
          .append(fmtUs(r.path("p99Micros").asDouble(Double.NaN)))
          .append(" | ")
          .append(fmtInt(Math.round(r.path("requestsPerSecond").asDouble())))
          .append(" | ")
          .append(String.format(Locale.ROOT, "%.1f %%", 100 * r.path("hitRate").asDouble()))
          .append(" | ")
          .append(r.path("errors").asLong())
          .append(" | ")
          .append(r.path("maxBackends").asInt())
          .append(" | ")
          .append(String.format(Locale.ROOT, "%.2f×", mean / control))
          .append(" | ")
          .append(String.format(Locale.ROOT, "%.2f×", mean / fresh))
          .append(" |\n");
    }
    md.append(
        "\nDBCP2 and c3p0 are not in this table: neither caps connections across people, so"
            + " 10,000 people would need up to 10,000 server backends.\n\n");
  }

  private void footprint() {
    JsonNode scenarios = footprint.path("scenarios");
    if (!scenarios.isArray() || scenarios.isEmpty()) {
      return;
    }
    md.append("## Idle logged-in people: heap, threads, connections\n\n")
        .append(
            "A separate JVM logs N people in (keeping their `Login` objects, as web sessions"
                + " would), lets them ")
        .append("sit idle for ")
        .append(footprint.path("settleSeconds").asText("?"))
        .append(" s and measures heap after full GCs ")
        .append(
            "and live threads. \"connected\": every person keeps the connection their login opened"
                + " (budget above N). ")
        .append(
            "\"none\": budget 10, so all but 10 people have a pool and no open connection (the"
                + " state idle eviction leaves); ")
        .append("the next column takes the 10 connections out.\n\n")
        .append(
            "| people | scenario | budget | heap per person | heap per person without a connection"
                + " | threads before → after logins → settled | open connections (server backends)"
                + " | backends after close |\n")
        .append("| ---: | --- | ---: | ---: | ---: | --- | ---: | ---: |\n");
    for (JsonNode s : scenarios) {
      md.append("| ")
          .append(fmtInt(s.path("people").asLong()))
          .append(" | ")
          .append(s.path("kind").asText())
          .append(" | ")
          .append(fmtInt(s.path("budget").asLong()))
          .append(" | ")
          .append(fmtBytes(number(s.path("bytesPerPerson"))))
          .append(" | ")
          .append(fmtBytes(number(s.path("bytesPerPersonWithoutConnection"))))
          .append(" | ")
          .append(s.path("threadsBefore").asInt())
          .append(" → ")
          .append(s.path("threadsAfterLogins").asInt())
          .append(" → ")
          .append(s.path("threadsSettled").asInt())
          .append(" | ")
          .append(fmtInt(s.path("openConnections").asLong()))
          .append(" (")
          .append(fmtInt(s.path("serverBackends").asLong()))
          .append(") | ")
          .append(s.path("backendsAfterClose").asInt())
          .append(" |\n");
    }
    md.append('\n');
  }

  private void contenders() {
    md.append("## What each contender does\n\n")
        .append(
            "| contender | pools | come back soon (within 500 ms) | come back later (after 500 ms)"
                + " | on hand-back |\n")
        .append("| --- | --- | --- | --- | --- |\n")
        .append(
            "| control | none: N open connections, one per person | – | – (validates nothing) |"
                + " nothing |\n")
        .append(
            "| Userbound | one HikariCP pool per person, up to 2 connections, budget across people"
                + " | no round trip: a local look at the socket (one FIONREAD system call) unless"
                + " the connection was handed back under 100 µs before; a dead one is replaced"
                + " before use | ")
        .append(
            "HikariCP's alive check (`aliveBypassWindowMs=0`), which Userbound's connection answers"
                + " with the same local look (after 5 s idle also an end-of-stream peek) | ")
        .append(
            "TRACKED: nothing if the request changed no session state, else one reset round trip;"
                + " DISCARD_ALL: one round trip |\n")
        .append(
            "| a plain map of HikariCP pools | one HikariCP pool per person, up to 2 connections, a"
                + " shared housekeeper | no check | ")
        .append(
            "HikariCP's alive check (`aliveBypassWindowMs=0`): pgjdbc `isValid`, one round trip |"
                + " HikariCP's own resets |\n")
        .append(
            "| DBCP2 | `PerUserPoolDataSource`, up to 2 per person | no check"
                + " (`testOnBorrow=false`, the default) | ")
        .append(
            "`testOnBorrow=true`, no validation query: pgjdbc `isValid`, one round trip | DBCP2's"
                + " own resets |\n")
        .append(
            "| c3p0 | `ComboPooledDataSource`, one pool per user, 1–2 connections | no check (the"
                + " default) | ")
        .append(
            "`testConnectionOnCheckout=true`, no test query: pgjdbc `isValid`, one round trip |"
                + " c3p0's own, asynchronous |\n\n");
  }

  // ------------------------------------------------------------------ chart

  private void chart(Path file) throws IOException {
    System.setProperty("java.awt.headless", "true");
    int t = 2;
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(1200)
            .height(600)
            .title("Warm request (borrow + select 1 + hand back), 2 threads: mean µs/op, log scale")
            .xAxisTitle("logged-in people taking turns")
            .yAxisTitle("µs per request")
            .build();
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setAvailableSpaceFill(0.85);
    chart.getStyler().setOverlapped(false);
    List<String> xs = new ArrayList<>();
    Map<String, List<Double>> series = new LinkedHashMap<>();
    for (int n : PEOPLE) {
      String p = Integer.toString(n);
      double[] values = {
        control(n, t).map(Row::score).orElse(Double.NaN),
        find("Userbound.request", t, "people", p).map(Row::score).orElse(Double.NaN),
        find("Userbound.request", t, "people", p, "reset", "DISCARD_ALL")
            .map(Row::score)
            .orElse(Double.NaN),
        find("HikariMap.request", t, "people", p).map(Row::score).orElse(Double.NaN),
        find("Dbcp2.request", t, "people", p).map(Row::score).orElse(Double.NaN),
        find("C3p0.request", t, "people", p).map(Row::score).orElse(Double.NaN)
      };
      if (Arrays.stream(values).allMatch(Double::isNaN)) {
        continue;
      }
      xs.add(fmtInt(n));
      String[] names = {
        "no pool: N open connections",
        "Userbound (TRACKED, default)",
        "Userbound, DISCARD_ALL",
        "plain map of HikariCP pools",
        "DBCP2 per-user",
        "c3p0 per-user"
      };
      for (int i = 0; i < names.length; i++) {
        series
            .computeIfAbsent(names[i], k -> new ArrayList<>())
            .add(Double.isNaN(values[i]) ? null : values[i]);
      }
    }
    Color[] colors = {
      Color.GRAY,
      new Color(0x1f77b4),
      new Color(0x6baed6),
      new Color(0x9467bd),
      new Color(0xff7f0e),
      new Color(0x2ca02c)
    };
    int i = 0;
    for (Map.Entry<String, List<Double>> e : series.entrySet()) {
      Color color = colors[i++ % colors.length];
      if (e.getValue().stream().allMatch(v -> v == null)) {
        continue;
      }
      chart.addSeries(e.getKey(), xs, e.getValue()).setFillColor(color);
    }
    if (chart.getSeriesCollection().isEmpty()) {
      return;
    }
    // XChart's log axis needs an explicit positive minimum for bars (and skips null values).
    double least =
        series.values().stream()
            .flatMap(List::stream)
            .filter(v -> v != null)
            .mapToDouble(Double::doubleValue)
            .min()
            .orElse(1);
    chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(least))));
    chart.getStyler().setLabelsVisible(true);
    chart.getStyler().setDecimalPattern("#,##0");
    ImageIO.write(BitmapEncoder.getBufferedImage(chart), "png", file.toFile());
  }

  // ------------------------------------------------------------------ formatting

  private static String fmtUs(double v) {
    if (Double.isNaN(v)) {
      return "–";
    }
    if (v < 1) {
      return String.format(Locale.ROOT, "%.3f", v);
    }
    if (v < 100) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%,.0f", v);
  }

  private static String ratio(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return "–";
    }
    return String.format(Locale.ROOT, v < 10 ? "%.2f×" : "%,.0f×", v);
  }

  private static String fmtInt(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }

  private static String fmtBytes(double b) {
    if (Double.isNaN(b)) {
      return "–";
    }
    return b >= 1024
        ? String.format(Locale.ROOT, "%.1f KiB", b / 1024)
        : String.format(Locale.ROOT, "%.0f B", b);
  }
}
