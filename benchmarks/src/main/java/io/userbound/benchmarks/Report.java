package io.userbound.benchmarks;

import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/*
 * Turns jmh.json (+ footprint.json, meta.json) in a results directory into report.md and
 * chart.png. Every ratio divides two figures of the same run and the same thread count.
 *
 * JMH's average time is per operation and per thread; the throughput column is derived from
 * it (threads / average time), which is what JMH's throughput mode measures in a closed loop.
 * Rows JMH measured in throughput mode (--modes avgt,thrpt) are listed as measured.
 */
final class Report {

  private static final int[] PEOPLE = {1, 100, 1_000, 10_000};

  private final Path dir;
  private final List<Row> rows = new ArrayList<>();
  private final Map<String, Object> meta;
  private final Map<String, Object> footprint;
  private final StringBuilder md = new StringBuilder();
  private final List<String[]> targets = new ArrayList<>();

  /** One JMH result. */
  private record Row(String method, String mode, int threads, Map<String, String> params, double score,
      double error, String unit) {

    String param(String name) {
      return params.getOrDefault(name, "");
    }
  }

  private Report(Path dir) throws IOException {
    this.dir = dir;
    this.meta = readObject(dir.resolve("meta.json"));
    this.footprint = readObject(dir.resolve("footprint.json"));
    Path jmh = dir.resolve("jmh.json");
    if (Files.exists(jmh)) {
      for (Object o : (List<?>) Json.parse(Files.readString(jmh, StandardCharsets.UTF_8))) {
        Map<?, ?> r = (Map<?, ?>) o;
        String name = (String) r.get("benchmark");
        Map<String, String> params = new TreeMap<>();
        if (r.get("params") instanceof Map<?, ?> p) {
          p.forEach((k, v) -> params.put((String) k, String.valueOf(v)));
        }
        Map<?, ?> metric = (Map<?, ?>) r.get("primaryMetric");
        rows.add(new Row(name.substring(name.lastIndexOf('.') + 1), (String) r.get("mode"),
            (int) Json.number(r.get("threads")), params, Json.number(metric.get("score")),
            Json.number(metric.get("scoreError")), (String) metric.get("scoreUnit")));
      }
    }
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
    System.out.println("report: wrote " + dir.resolve("report.md") + " and " + dir.resolve("chart.png"));
  }

  private static Map<String, Object> readObject(Path file) throws IOException {
    if (!Files.exists(file)) {
      return Map.of();
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) Json.parse(Files.readString(file, StandardCharsets.UTF_8));
    return map;
  }

  // ------------------------------------------------------------------ lookups

  /** Parameters that single out a variant; a lookup that does not name them wants the default. */
  private static final Map<String, String> DEFAULTS = Map.of("access", "own", "comeBack", "soon", "budget", "auto");

  private Optional<Row> find(String method, int threads, String... params) {
    Map<String, String> want = new LinkedHashMap<>(DEFAULTS);
    for (int i = 0; i < params.length; i += 2) {
      want.put(params[i], params[i + 1]);
    }
    outer:
    for (Row r : rows) {
      if (!r.method.equals(method) || r.threads != threads || !r.mode.equals(method.equals("firstLogins") ? "ss" : "avgt")) {
        continue;
      }
      for (Map.Entry<String, String> w : want.entrySet()) {
        boolean absentDefault = !r.params.containsKey(w.getKey()) && w.getValue().equals(DEFAULTS.get(w.getKey()));
        if (!absentDefault && !r.param(w.getKey()).equals(w.getValue())) {
          continue outer;
        }
      }
      return Optional.of(r);
    }
    return Optional.empty();
  }

  private double us(String method, int threads, String... params) {
    return find(method, threads, params).map(Row::score).orElse(Double.NaN);
  }

  /** The no-pool control for n people: the floor for 1, N open connections otherwise. */
  private double control(int n, int threads) {
    return n == 1 ? us("floor", threads) : us("openConnections", threads, "connections", Integer.toString(n));
  }

  // ------------------------------------------------------------------ the document

  private void build() {
    md.append("# Userbound benchmark results\n\n");
    machine();
    warmRequests();
    borrowOnly();
    accessPatterns();
    comeBackLater();
    threadCounts();
    perRequestConnections();
    firstLogins();
    footprint();
    targetTable();
    md.append("\n![Warm request, 2 threads](chart.png)\n");
  }

  private void machine() {
    String mode = String.valueOf(meta.getOrDefault("mode", "?"));
    Row any = rows.isEmpty() ? null : rows.get(0);
    md.append("| run | |\n| --- | --- |\n");
    md.append("| mode | ").append(mode).append(mode.equals("quick")
        ? " (a smoke test: 2 × 0.2 s measurements, **not** a measurement to quote)"
        : " (1 fork, 2 × 1 s warm-up, 5 × 1 s measurement per trial; first logins 3 + 8 single shots)")
        .append(" |\n");
    md.append("| date | ").append(meta.getOrDefault("started", "?")).append(" to ").append(meta.getOrDefault("finished", "?")).append(" |\n");
    md.append("| machine | ").append(fmtCount(meta.get("cores"))).append(" cores, ").append(meta.getOrDefault("cpu", "?"))
        .append(", ").append(meta.getOrDefault("os", "?")).append(" |\n");
    md.append("| JVM | ").append(meta.getOrDefault("java", "?")).append(" |\n");
    md.append("| PostgreSQL | ").append(footprint.getOrDefault("postgres", "?"))
        .append(" on loopback, SCRAM-SHA-256, `sslmode=disable`, one server per trial (binding-testkit) |\n");
    md.append("| load average (1, 5, 15 min) | at start ").append(meta.getOrDefault("loadAverageAtStart", "?"))
        .append(", at end ").append(meta.getOrDefault("loadAverageAtEnd", "?")).append(" |\n\n");
    md.append("One operation = get a connection for a person, run `select 1`, give it back. ")
        .append("µs/op is JMH's average time per operation and thread; ops/s is for all threads together ")
        .append("(threads ÷ average time). People take turns round-robin, each thread over its own share. ")
        .append("Every ratio divides two figures from this run with the same thread count. ")
        .append("\"Floor\" is the query on an already-open connection; \"control N\" is the same query ")
        .append("round-robin over N already-open connections (N server backends), no pool: the fair floor for N people.\n\n");
  }

  private void warmRequests() {
    int t = 2;
    md.append("## Warm request, 2 threads\n\n");
    md.append("| contender | people | µs/op | ± (99.9%) | ops/s | ÷ floor | ÷ control N |\n");
    md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    double floor = us("floor", t);
    find("floor", t).ifPresent(r -> line("floor: open connection", "1", r, floor, floor));
    for (int n : PEOPLE) {
      find("openConnections", t, "connections", Integer.toString(n))
          .ifPresent(r -> line("control: N open connections, no pool", fmtInt(n), r, floor, r.score));
    }
    find("hikariShared", t).ifPresent(r -> line("HikariCP, one shared pool, one role", "1", r, floor, floor));
    for (int n : PEOPLE) {
      for (String reset : new String[] {"DISCARD_ALL", "NONE"}) {
        String label = "Userbound, reset " + reset;
        find("userbound", t, "people", Integer.toString(n), "reset", reset)
            .ifPresent(r -> line(label, fmtInt(n), r, floor, control(n, t)));
      }
      find("hikariMap", t, "people", Integer.toString(n)).ifPresent(r -> line("a plain map of HikariCP pools", fmtInt(n), r, floor, control(n, t)));
      find("dbcp2", t, "people", Integer.toString(n)).ifPresent(r -> line("DBCP2 PerUserPoolDataSource", fmtInt(n), r, floor, control(n, t)));
      find("c3p0", t, "people", Integer.toString(n)).ifPresent(r -> line("c3p0 getConnection(user, password)", fmtInt(n), r, floor, control(n, t)));
    }
    md.append("\nNot measured: DBCP2 and c3p0 at 10,000 people (neither caps connections across users, so every ")
        .append("person keeps a connection and 10,000 people need 10,000 server backends, above max_connections); ")
        .append("the control at 10,000 (10,000 open backends); Userbound at 10,000 with reset NONE (every request ")
        .append("reconnects there, and the reset's one round trip is lost in that). Userbound at 10,000 runs with a budget of 300 ")
        .append("(max_connections 400): nearly every request closes the least recently used person's idle ")
        .append("connection and opens a new one, so that row measures LRU reclaim plus a SCRAM login, not a warm pool.\n\n");
  }

  private void line(String label, String people, Row r, double floor, double control) {
    md.append("| ").append(label).append(" | ").append(people).append(" | ").append(fmtUs(r.score)).append(" | ")
        .append(fmtUs(r.error)).append(" | ").append(fmtInt(Math.round(r.threads * 1e6 / r.score))).append(" | ")
        .append(ratio(r.score / floor)).append(" | ").append(ratio(r.score / control)).append(" |\n");
  }

  private void borrowOnly() {
    int t = 2;
    Optional<Row> hikari = find("hikariSharedBorrow", t);
    if (hikari.isEmpty() && find("userboundBorrow", t).isEmpty()) {
      return;
    }
    double base = hikari.map(Row::score).orElse(Double.NaN);
    md.append("## Borrow only (no query), 2 threads\n\n");
    md.append("Borrow and hand back, nothing else: each library's own cost. Userbound runs with reset NONE here ")
        .append("(with DISCARD_ALL the hand-back is a round trip) and includes `bind(login)` and its close.\n\n");
    md.append("| contender | people | µs/op | ± (99.9%) | ÷ HikariCP borrow |\n| --- | ---: | ---: | ---: | ---: |\n");
    hikari.ifPresent(r -> borrowLine("HikariCP, one shared pool", "1", r, base));
    for (int n : PEOPLE) {
      String p = Integer.toString(n);
      find("hikariMapBorrow", t, "people", p).ifPresent(r -> borrowLine("a plain map of HikariCP pools", fmtInt(n), r, base));
      find("userboundBorrow", t, "people", p).ifPresent(r -> borrowLine("Userbound, reset " + r.param("reset"), fmtInt(n), r, base));
      find("dbcp2Borrow", t, "people", p).ifPresent(r -> borrowLine("DBCP2", fmtInt(n), r, base));
      find("c3p0Borrow", t, "people", p).ifPresent(r -> borrowLine("c3p0", fmtInt(n), r, base));
    }
    md.append('\n');
  }

  private void borrowLine(String label, String people, Row r, double base) {
    md.append("| ").append(label).append(" | ").append(people).append(" | ").append(fmtUs(r.score)).append(" | ")
        .append(fmtUs(r.error)).append(" | ").append(ratio(r.score / base)).append(" |\n");
  }

  private void accessPatterns() {
    int t = 2;
    boolean any = find("openConnections", t, "connections", "100", "access", "random").isPresent()
        || find("openConnections", t, "connections", "100", "access", "shared").isPresent();
    if (!any) {
      return;
    }
    md.append("## Access patterns, 100 people, 2 threads\n\n")
        .append("own: each thread goes round its own share of people (the tables above). ")
        .append("shared: one round-robin counter for all threads, so a person's consecutive requests come from ")
        .append("different threads. random: a random person per request, as real traffic; now and then two threads ")
        .append("want the same person at once and a pool opens a second connection. ")
        .append("µs/op (÷ the no-pool control with the same pattern). Userbound runs with reset NONE.\n\n")
        .append("| contender | own | shared | random |\n| --- | ---: | ---: | ---: |\n");
    String[][] contenders = {{"control: 100 open connections, no pool", "openConnections", "connections"},
        {"Userbound, reset NONE", "userbound", "people"}, {"DBCP2", "dbcp2", "people"}};
    for (String[] c : contenders) {
      md.append("| ").append(c[0]);
      for (String access : new String[] {"own", "shared", "random"}) {
        Optional<Row> r = c[1].equals("userbound")
            ? find(c[1], t, c[2], "100", "access", access, "reset", "NONE")
            : find(c[1], t, c[2], "100", "access", access);
        double control = us("openConnections", t, "connections", "100", "access", access);
        md.append(" | ").append(r.map(x -> fmtUs(x.score) + " (" + ratio(x.score / control) + ")").orElse("–"));
      }
      md.append(" |\n");
    }
    md.append('\n');
  }

  private void comeBackLater() {
    int t = 2;
    if (find("userbound", t, "people", "100", "comeBack", "later", "reset", "NONE").isEmpty()
        && find("userbound", t, "people", "100", "comeBack", "later", "reset", "DISCARD_ALL").isEmpty()) {
      return;
    }
    md.append("## People who come back after more than 500 ms, 100 people, 2 threads\n\n")
        .append("HikariCP checks a connection that was idle for more than 500 ms with an extra round trip before lending ")
        .append("it (`com.zaxxer.hikari.aliveBypassWindowMs`). In a benchmark people come back within milliseconds; in a ")
        .append("web application after seconds, so the check runs on nearly every request. \"later\" sets the window to ")
        .append("0 to show that cost.\n\n")
        .append("| Userbound reset | come back soon µs/op | later µs/op | difference | later ÷ floor |\n| --- | ---: | ---: | ---: | ---: |\n");
    for (String reset : new String[] {"DISCARD_ALL", "NONE"}) {
      double soon = us("userbound", t, "people", "100", "reset", reset);
      double later = us("userbound", t, "people", "100", "reset", reset, "comeBack", "later");
      md.append("| ").append(reset).append(" | ").append(fmtUs(soon)).append(" | ").append(fmtUs(later)).append(" | ")
          .append(Double.isNaN(soon - later) ? "–" : String.format(Locale.ROOT, "%+.1f µs", later - soon)).append(" | ")
          .append(ratio(later / us("floor", t))).append(" |\n");
    }
    md.append('\n');
  }

  private void threadCounts() {
    int[] threads = {1, 2, 4};
    boolean any = find("floor", 1).isPresent() || find("floor", 4).isPresent();
    if (!any) {
      return;
    }
    md.append("## 1, 2 and 4 threads\n\nµs/op (÷ floor with the same thread count).\n\n");
    md.append("| contender | people | 1 thread | 2 threads | 4 threads |\n| --- | ---: | ---: | ---: | ---: |\n");
    threadLine("floor", "1", "floor");
    threadLine("control: N open connections", "100", "openConnections", "connections", "100");
    threadLine("HikariCP, one shared pool", "1", "hikariShared");
    for (String n : new String[] {"1", "100"}) {
      for (String reset : new String[] {"DISCARD_ALL", "NONE"}) {
        threadLine("Userbound, reset " + reset, n, "userbound", "people", n, "reset", reset);
      }
    }
    threadLine("a plain map of HikariCP pools", "100", "hikariMap", "people", "100");
    md.append('\n');
  }

  private void threadLine(String label, String people, String method, String... params) {
    StringBuilder cells = new StringBuilder();
    boolean any = false;
    for (int t : new int[] {1, 2, 4}) {
      Optional<Row> r = find(method, t, params);
      any |= r.isPresent();
      cells.append(" | ").append(r.map(x -> fmtUs(x.score) + " (" + ratio(x.score / us("floor", t)) + ")").orElse("–"));
    }
    if (any) {
      md.append("| ").append(label).append(" | ").append(fmtInt(Long.parseLong(people))).append(cells).append(" |\n");
    }
  }

  private void perRequestConnections() {
    Optional<Row> naive = find("naivePerRequest", 2);
    Optional<Row> fresh = find("newConnection", 2);
    if (naive.isEmpty() && fresh.isEmpty()) {
      return;
    }
    double floor = us("floor", 2);
    md.append("## Without a warm pool, 2 threads\n\n| contender | µs/op | ± (99.9%) | ops/s | ÷ floor |\n| --- | ---: | ---: | ---: | ---: |\n");
    naive.ifPresent(r -> md.append("| naive: a HikariCP pool built per request from the person's credentials | ")
        .append(fmtUs(r.score)).append(" | ").append(fmtUs(r.error)).append(" | ")
        .append(fmtInt(Math.round(r.threads * 1e6 / r.score))).append(" | ").append(ratio(r.score / floor)).append(" |\n"));
    fresh.ifPresent(r -> md.append("| a new physical connection per request | ").append(fmtUs(r.score)).append(" | ")
        .append(fmtUs(r.error)).append(" | ").append(fmtInt(Math.round(r.threads * 1e6 / r.score))).append(" | ")
        .append(ratio(r.score / floor)).append(" |\n"));
    md.append('\n');
  }

  private void firstLogins() {
    List<Row> logins = rows.stream().filter(r -> r.method.equals("firstLogins")).toList();
    if (logins.isEmpty()) {
      return;
    }
    md.append("## First logins: 100 new people at once\n\n")
        .append("One operation = 100 people who have no pool yet log in concurrently and run a first `select 1` ")
        .append("(Userbound: `login` + `connection`; DBCP2 and c3p0: `getConnection(user, password)`). ")
        .append("A fresh library instance per iteration.\n\n")
        .append("| library | login threads | ms for 100 | ± (99.9%) | ms per person | ÷ Userbound |\n| --- | ---: | ---: | ---: | ---: | ---: |\n");
    for (String threads : new String[] {"2", "8"}) {
      double ub = logins.stream().filter(r -> r.param("library").equals("userbound") && r.param("loginThreads").equals(threads))
          .mapToDouble(Row::score).findFirst().orElse(Double.NaN);
      for (String lib : new String[] {"userbound", "dbcp2", "c3p0"}) {
        logins.stream().filter(r -> r.param("library").equals(lib) && r.param("loginThreads").equals(threads)).findFirst()
            .ifPresent(r -> md.append("| ").append(lib).append(" | ").append(threads).append(" | ").append(fmtUs(r.score))
                .append(" | ").append(fmtUs(r.error)).append(" | ").append(String.format(Locale.ROOT, "%.2f", r.score / 100))
                .append(" | ").append(ratio(r.score / ub)).append(" |\n"));
      }
    }
    md.append('\n');
  }

  private List<Map<String, Object>> scenarios() {
    List<Map<String, Object>> list = new ArrayList<>();
    if (footprint.get("scenarios") instanceof List<?> l) {
      for (Object o : l) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) o;
        list.add(m);
      }
    }
    return list;
  }

  private void footprint() {
    List<Map<String, Object>> scenarios = scenarios();
    if (scenarios.isEmpty()) {
      return;
    }
    md.append("## Idle logged-in people: heap, threads, connections\n\n")
        .append("A separate JVM logs N people in (keeping their `Login` objects, as web sessions would), lets them ")
        .append("sit idle for ").append(fmtCount(footprint.get("settleSeconds"))).append(" s and measures heap after full GCs ")
        .append("and live threads. \"connected\": every person keeps the connection their login opened (budget above N). ")
        .append("\"none\": budget 10, so all but 10 people have a pool and no open connection (the state idle eviction leaves); ")
        .append("the last column takes the 10 connections out.\n\n")
        .append("| people | scenario | budget | heap per person | heap per person without a connection | threads before → after logins → settled | open connections (server backends) | backends after close |\n")
        .append("| ---: | --- | ---: | ---: | ---: | --- | ---: | ---: |\n");
    for (Map<String, Object> s : scenarios) {
      double without = Json.number(s.get("bytesPerPersonWithoutConnection"));
      md.append("| ").append(fmtCount(s.get("people"))).append(" | ").append(s.get("kind")).append(" | ")
          .append(fmtCount(s.get("budget"))).append(" | ").append(bytes(Json.number(s.get("bytesPerPerson")))).append(" | ")
          .append(Double.isNaN(without) ? "–" : bytes(without)).append(" | ")
          .append(fmtCount(s.get("threadsBefore"))).append(" → ").append(fmtCount(s.get("threadsAfterLogins"))).append(" → ")
          .append(fmtCount(s.get("threadsSettled"))).append(" | ").append(fmtCount(s.get("openConnections"))).append(" (")
          .append(fmtCount(s.get("serverBackends"))).append(") | ").append(fmtCount(s.get("backendsAfterClose"))).append(" |\n");
    }
    md.append('\n');
  }

  // ------------------------------------------------------------------ targets

  private void targetTable() {
    int t = 2;
    double floor = us("floor", t);
    // 1. Warm request <= 1.05 x floor, every N.
    for (String reset : new String[] {"DISCARD_ALL", "NONE"}) {
      StringBuilder got = new StringBuilder();
      boolean ok = true;
      boolean okControl = true;
      boolean any = false;
      for (int n : PEOPLE) {
        double u = us("userbound", t, "people", Integer.toString(n), "reset", reset);
        if (Double.isNaN(u)) {
          continue;
        }
        any = true;
        double c = control(n, t);
        got.append("N=").append(fmtInt(n)).append(": ").append(ratio(u / floor));
        if (!Double.isNaN(c) && n > 1) {
          got.append(" (÷ control ").append(ratio(u / c)).append(")");
          okControl &= u / c <= 1.05;
        }
        got.append("; ");
        ok &= u / floor <= 1.05;
      }
      if (any) {
        targets.add(new String[] {"warm request ≤ 1.05 × floor, every N (reset " + reset + ")", got.toString(),
            ok ? "met" : okControl ? "missed against the floor; met against control N" : "missed"});
      }
    }
    // 2. Borrow-only <= 1.2 x raw HikariCP borrow.
    double hb = us("hikariSharedBorrow", t);
    if (!Double.isNaN(hb)) {
      StringBuilder got = new StringBuilder();
      boolean ok = true;
      for (int n : PEOPLE) {
        double u = us("userboundBorrow", t, "people", Integer.toString(n), "reset", "NONE");
        if (!Double.isNaN(u)) {
          got.append("N=").append(fmtInt(n)).append(": ").append(fmtUs(u)).append(" µs = ").append(ratio(u / hb)).append("; ");
          ok &= u / hb <= 1.2;
        }
      }
      targets.add(new String[] {"borrow only ≤ 1.2 × raw HikariCP borrow (" + fmtUs(hb) + " µs)", got.toString(), ok ? "met" : "missed"});
    }
    // 3. >= 70x faster than naive.
    double naive = us("naivePerRequest", t);
    if (!Double.isNaN(naive)) {
      StringBuilder got = new StringBuilder();
      boolean ok = true;
      for (int n : PEOPLE) {
        for (String reset : new String[] {"DISCARD_ALL", "NONE"}) {
          double u = us("userbound", t, "people", Integer.toString(n), "reset", reset);
          if (!Double.isNaN(u)) {
            got.append("N=").append(fmtInt(n)).append(' ').append(reset).append(": ").append(ratio(naive / u)).append("; ");
            ok &= naive / u >= 70;
          }
        }
      }
      targets.add(new String[] {"≥ 70× faster than naive per-request (" + fmtUs(naive) + " µs)", got.toString(), ok ? "met" : "missed"});
    }
    // 4. Ahead of DBCP2 and c3p0 at every N.
    for (String peer : new String[] {"dbcp2", "c3p0"}) {
      StringBuilder got = new StringBuilder();
      boolean okNone = true;
      boolean okDiscard = true;
      boolean any = false;
      for (int n : PEOPLE) {
        double p = us(peer, t, "people", Integer.toString(n));
        if (Double.isNaN(p)) {
          continue;
        }
        double none = us("userbound", t, "people", Integer.toString(n), "reset", "NONE");
        double discard = us("userbound", t, "people", Integer.toString(n), "reset", "DISCARD_ALL");
        any = true;
        got.append("N=").append(fmtInt(n)).append(": Userbound ÷ ").append(peer).append(" = ")
            .append(ratio(none / p)).append(" (NONE), ").append(ratio(discard / p)).append(" (DISCARD_ALL); ");
        okNone &= !(none > p);
        okDiscard &= !(discard > p);
      }
      if (any) {
        targets.add(new String[] {"ahead of " + peer + " at every N (below 1× is ahead; " + peer
            + " does no session reset)", got.toString(),
            (okNone ? "met" : "missed") + " with NONE; " + (okDiscard ? "met" : "missed") + " with DISCARD_ALL"});
      }
    }
    // 5. Footprint.
    for (Map<String, Object> s : scenarios()) {
      if (!"none".equals(s.get("kind"))) {
        continue;
      }
      double without = Json.number(s.get("bytesPerPersonWithoutConnection"));
      double raw = Json.number(s.get("bytesPerPerson"));
      // A person adds no thread if, once HikariCP's per-pool helper threads (5 s keep-alive) have
      // died, only the instance's own threads remain: one housekeeper and at most two closers.
      double added = Json.number(s.get("threadsSettled")) - Json.number(s.get("threadsBefore"));
      boolean ok = without <= 8192 && added <= 3;
      targets.add(new String[] {"idle person without a connection: zero threads, ≤ 8 KiB heap ("
          + fmtCount(s.get("people")) + " people)", bytes(without) + " per person (" + bytes(raw)
          + " with the 10 connections counted); threads after the logins settled − before = "
          + fmtCount(added) + " (the instance's own housekeeper and closers may account for up to 3)",
          ok ? "met" : "missed"});
    }
    if (targets.isEmpty()) {
      return;
    }
    md.append("## Targets (issue 4)\n\n| target | measured | verdict |\n| --- | --- | --- |\n");
    for (String[] row : targets) {
      md.append("| ").append(row[0]).append(" | ").append(row[1].replaceAll("; $", "")).append(" | ").append(row[2]).append(" |\n");
    }
    md.append('\n');
  }

  // ------------------------------------------------------------------ chart

  private void chart(Path file) throws IOException {
    System.setProperty("java.awt.headless", "true");
    int t = 2;
    CategoryChart chart = new CategoryChartBuilder().width(1200).height(600)
        .title("Warm request (borrow + select 1 + hand back), 2 threads: µs/op, log scale")
        .xAxisTitle("logged-in people taking turns").yAxisTitle("µs per request").build();
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setAvailableSpaceFill(0.85);
    chart.getStyler().setOverlapped(false);
    List<String> xs = new ArrayList<>();
    List<Integer> ns = new ArrayList<>();
    for (int n : PEOPLE) {
      if (!Double.isNaN(control(n, t)) || !Double.isNaN(us("userbound", t, "people", Integer.toString(n), "reset", "NONE"))
          || !Double.isNaN(us("userbound", t, "people", Integer.toString(n), "reset", "DISCARD_ALL"))) {
        xs.add(fmtInt(n));
        ns.add(n);
      }
    }
    Map<String, List<Double>> series = new LinkedHashMap<>();
    for (int n : ns) {
      put(series, "no pool: floor / N open conns", control(n, t));
      put(series, "Userbound, DISCARD_ALL", us("userbound", t, "people", Integer.toString(n), "reset", "DISCARD_ALL"));
      put(series, "Userbound, NONE", us("userbound", t, "people", Integer.toString(n), "reset", "NONE"));
      put(series, "DBCP2 per-user", us("dbcp2", t, "people", Integer.toString(n)));
      put(series, "c3p0 per-user", us("c3p0", t, "people", Integer.toString(n)));
      put(series, "HikariCP, one role", n == 1 ? us("hikariShared", t) : Double.NaN);
    }
    Color[] colors = {Color.GRAY, new Color(0x1f77b4), new Color(0x6baed6), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0x9467bd)};
    int i = 0;
    for (Map.Entry<String, List<Double>> e : series.entrySet()) {
      if (e.getValue().stream().allMatch(v -> v == null)) {
        i++;
        continue;
      }
      chart.addSeries(e.getKey(), xs, e.getValue()).setFillColor(colors[i++ % colors.length]);
    }
    if (chart.getSeriesCollection().isEmpty()) {
      return;
    }
    // XChart's log axis needs an explicit positive minimum for bars (and skips null values).
    double least = series.values().stream().flatMap(List::stream).filter(v -> v != null)
        .mapToDouble(Double::doubleValue).min().orElse(1);
    chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(least))));
    chart.getStyler().setLabelsVisible(true);
    chart.getStyler().setDecimalPattern("#,##0");
    javax.imageio.ImageIO.write(BitmapEncoder.getBufferedImage(chart), "png", file.toFile());
  }

  private static void put(Map<String, List<Double>> series, String name, double value) {
    series.computeIfAbsent(name, k -> new ArrayList<>()).add(Double.isNaN(value) ? null : value);
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

  private static String fmtCount(Object v) {
    double d = v instanceof Number n ? n.doubleValue() : Json.number(v);
    return Double.isNaN(d) ? "?" : fmtInt(Math.round(d));
  }

  private static String bytes(double b) {
    if (Double.isNaN(b)) {
      return "–";
    }
    return b >= 1024 ? String.format(Locale.ROOT, "%.1f KiB", b / 1024) : String.format(Locale.ROOT, "%.0f B", b);
  }
}
