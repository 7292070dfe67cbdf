package io.userbound.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.userbound.core.Binding;
import io.userbound.core.DatabaseConfig;
import io.userbound.core.DatabaseStats;
import io.userbound.core.IsolationStrategy;
import io.userbound.core.Login;
import io.userbound.core.Userbound;
import io.userbound.core.UserboundConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/*
 * Many people on few connections: 10,000 logged-in people, a budget of 100, and requests
 * whose person follows a Zipf distribution (exponent 1: the 100 most active people make
 * about half of all requests, the long tail the rest), as on a real site. A plain main, not
 * JMH: what matters here is the distribution of whole requests (mean, p50, p99), requests per
 * second, the share served by a warm connection, the errors (which must be zero) and the most
 * backends the server showed at once, sampled from pg_stat_activity.
 *
 * Rows ("contender/access"), all on one server, run in alternating rounds (shuffled order
 * each round) so that load from elsewhere hits them alike:
 *   control/own          each worker thread's own already-open connection: the query alone
 *   newConnection/zipf   a new physical connection per request (connect, query, close): what
 *                        a reclaim plus a new login is measured against
 *   dedicated/zipf       Userbound, DEDICATED_POOLS (the default), budget B
 *   dedicated/roundRobin the worst case: people in strict turn, so no connection is ever warm
 *   switching/zipf       Userbound, ROLE_SWITCHING through a gateway role, budget B
 *   switching/roundRobin the same worst case
 * Every request binds the person's login, takes a connection, runs the work (a one-row
 * primary-key select by default), and hands the connection back. Each row's run starts with
 * an unmeasured warm-up, so the rows that share a Userbound start each round from their own
 * steady state.
 *
 * DBCP2 and c3p0 cannot run here: neither caps connections across people, so 10,000 people
 * need up to 10,000 server backends, far above any max_connections.
 *
 *   java -cp benchmarks/target/benchmarks.jar io.userbound.benchmarks.ManyPeople \
 *       [people=10000] [budget=100] [threads=4] [rounds=3] [seconds=5] [warmup=1] \
 *       [zipf=1.0] [work=pk] [rows=control/own,...] [delayMicros=0] [out=FILE.json]
 * delayMicros puts a delaying proxy (that many µs each way) between every client and the
 * server: a row's extra round trips are then its difference to the control over 2 x delay.
 */
public final class ManyPeople {

  private static final String GATEWAY = "bench_gateway";

  /** Made up per run, like the people's: the server is thrown away after it. */
  private static final String GATEWAY_PASSWORD =
      "gw-" + Long.toHexString(new SecureRandom().nextLong());

  private ManyPeople() {}

  /**
   * Runs the rows and writes their figures.
   *
   * @param args key=value settings, see the class comment
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> a = Fixture.keyValues(args);
    Settings s = new Settings(a);
    Map<String, Object> result = run(s);
    String json =
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result);
    if (a.containsKey("out")) {
      Path out = Path.of(a.get("out"));
      if (out.getParent() != null) {
        Files.createDirectories(out.getParent());
      }
      Files.writeString(out, json);
    }
    System.out.println(json);
    // Zero errors is a target, and a smoke run (CI) must fail when it is missed; so must a
    // row whose backends went above the budget.
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> rows = (Map<String, Map<String, Object>>) result.get("rows");
    long errors = 0;
    boolean over = false;
    for (Map.Entry<String, Map<String, Object>> r : rows.entrySet()) {
      errors += ((Number) r.getValue().get("errors")).longValue();
      over |=
          !r.getKey().startsWith("control")
              && !r.getKey().startsWith("newConnection")
              && ((Number) r.getValue().get("maxBackends")).intValue() > s.budget;
    }
    if (errors > 0 || over) {
      System.err.printf(
          "ManyPeople: %d errors%s%n", errors, over ? ", and more backends than the budget" : "");
      System.exit(1);
    }
  }

  /** The settings of one run. */
  static final class Settings {
    final int people;
    final int budget;
    final int threads;
    final int rounds;
    final long measureNanos;
    final long warmupNanos;
    final double zipf;
    final Work work;
    final String workName;
    final long delayMicros;
    final List<String> rows;

    Settings(Map<String, String> a) {
      people = Integer.parseInt(a.getOrDefault("people", "10000"));
      budget = Integer.parseInt(a.getOrDefault("budget", "100"));
      threads = Integer.parseInt(a.getOrDefault("threads", "4"));
      rounds = Integer.parseInt(a.getOrDefault("rounds", "3"));
      measureNanos =
          TimeUnit.MILLISECONDS.toNanos(
              (long) (Double.parseDouble(a.getOrDefault("seconds", "5")) * 1000));
      warmupNanos =
          TimeUnit.MILLISECONDS.toNanos(
              (long) (Double.parseDouble(a.getOrDefault("warmup", "1")) * 1000));
      zipf = Double.parseDouble(a.getOrDefault("zipf", "1.0"));
      workName = a.getOrDefault("work", "pk");
      delayMicros = Long.parseLong(a.getOrDefault("delayMicros", "0"));
      work = Work.of(workName);
      rows =
          List.of(
              a.getOrDefault(
                      "rows",
                      "control/own,newConnection/zipf,dedicated/zipf,dedicated/roundRobin,"
                          + "switching/zipf,switching/roundRobin")
                  .split(","));
    }
  }

  static Map<String, Object> run(Settings s) throws Exception {
    // Two Userbound instances (one per strategy) each keep up to their budget open, plus the
    // logins in flight (8 per instance), the control's connections and the sampler.
    int maxConnections = 2 * s.budget + 2 * 8 + s.threads + 20;
    long started = System.nanoTime();
    try (Fixture fixture =
        Fixture.start("many", maxConnections, s.people, Duration.ofNanos(s.delayMicros * 1000))) {
      fixture.server.execute(
          "postgres",
          "CREATE ROLE "
              + GATEWAY
              + " LOGIN NOINHERIT PASSWORD '"
              + ScramVerifier.of(GATEWAY_PASSWORD.toCharArray())
              + "';");
      grantAll(fixture);
      long setupMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      Map<String, Contender> contenders = new LinkedHashMap<>();
      try {
        for (String row : s.rows) {
          String name = row.substring(0, row.indexOf('/'));
          if (!contenders.containsKey(name)) {
            contenders.put(name, Contender.of(name, fixture, s));
          }
        }
        Map<String, RowResult> results = new LinkedHashMap<>();
        for (String row : s.rows) {
          results.put(row, new RowResult(row));
        }
        Random shuffle = new Random(42);
        try (Sampler sampler = new Sampler(fixture, contenders.values())) {
          for (int round = 0; round < s.rounds; round++) {
            List<String> order = new ArrayList<>(s.rows);
            Collections.shuffle(order, shuffle);
            for (String row : order) {
              Contender c = contenders.get(row.substring(0, row.indexOf('/')));
              String access = row.substring(row.indexOf('/') + 1);
              runRow(s, c, access, round, results.get(row), sampler);
            }
          }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("people", s.people);
        out.put("budget", s.budget);
        out.put("threads", s.threads);
        out.put("rounds", s.rounds);
        out.put("secondsPerRound", s.measureNanos / 1e9);
        out.put("zipf", s.zipf);
        out.put("work", s.workName);
        out.put("maxConnections", maxConnections);
        out.put("setupMillis", setupMillis);
        Map<String, Object> logins = new LinkedHashMap<>();
        contenders.forEach((k, v) -> logins.put(k, v.loginMillis));
        out.put("loginMillis", logins);
        Map<String, Object> rows = new LinkedHashMap<>();
        results.forEach((k, v) -> rows.put(k, v.toMap()));
        out.put("rows", rows);
        return out;
      } finally {
        for (Contender c : contenders.values()) {
          c.close();
        }
      }
    }
  }

  /** Makes every person a role the gateway may SET ROLE to (and nothing else). */
  private static void grantAll(Fixture fixture) {
    StringBuilder sql = new StringBuilder();
    for (int i = 0; i < fixture.people.length; i++) {
      sql.append("GRANT ").append(fixture.people[i]).append(" TO ").append(GATEWAY).append(";\n");
      if ((i + 1) % 1_000 == 0 || i == fixture.people.length - 1) {
        fixture.server.execute("postgres", sql.toString());
        sql.setLength(0);
      }
    }
  }

  private static void runRow(
      Settings s, Contender c, String access, int round, RowResult result, Sampler sampler)
      throws InterruptedException {
    AtomicBoolean measuring = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    long[][] latencies = new long[s.threads][];
    int[] counts = new int[s.threads];
    AtomicLong errors = new AtomicLong();
    Map<String, Long> errorKinds = new ConcurrentHashMap<>();
    CountDownLatch done = new CountDownLatch(s.threads);
    Zipf zipf = new Zipf(s.people, s.zipf);
    AtomicInteger turn = new AtomicInteger(round * 7919);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < s.threads; t++) {
      int thread = t;
      latencies[t] = new long[1 << 16];
      Thread w =
          new Thread(
              () -> {
                Random random = new Random(round * 1_000L + thread);
                int row = thread * (Fixture.ROWS / s.threads);
                try {
                  while (!stop.get()) {
                    int person =
                        access.equals("roundRobin")
                            ? Math.floorMod(turn.getAndIncrement(), s.people)
                            : zipf.sample(random);
                    row = row % Fixture.ROWS + 1;
                    boolean measured = measuring.get();
                    long t0 = System.nanoTime();
                    try {
                      c.request(thread, person, row);
                    } catch (Exception e) {
                      if (measured) {
                        errors.incrementAndGet();
                        errorKinds.merge(
                            e.getClass().getSimpleName() + ": " + e.getMessage(), 1L, Long::sum);
                      }
                      continue;
                    }
                    long took = System.nanoTime() - t0;
                    if (measured && measuring.get()) {
                      if (counts[thread] == latencies[thread].length) {
                        latencies[thread] = Arrays.copyOf(latencies[thread], counts[thread] * 2);
                      }
                      latencies[thread][counts[thread]++] = took;
                    }
                  }
                } finally {
                  done.countDown();
                }
              },
              "many-" + c.name + "-" + t);
      w.setDaemon(true);
      workers.add(w);
    }
    workers.forEach(Thread::start);
    TimeUnit.NANOSECONDS.sleep(s.warmupNanos);
    long openedBefore = c.opened();
    sampler.reset(c);
    measuring.set(true);
    long t0 = System.nanoTime();
    TimeUnit.NANOSECONDS.sleep(s.measureNanos);
    measuring.set(false);
    long elapsed = System.nanoTime() - t0;
    long openedAfter = c.opened();
    int maxBackends = sampler.max(c);
    stop.set(true);
    if (!done.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("workers of " + result.row + " did not stop");
    }
    long requests = 0;
    for (int t = 0; t < s.threads; t++) {
      requests += counts[t];
    }
    long[] all = new long[(int) requests];
    int at = 0;
    for (int t = 0; t < s.threads; t++) {
      System.arraycopy(latencies[t], 0, all, at, counts[t]);
      at += counts[t];
    }
    result.add(all, elapsed, openedAfter - openedBefore, errors.get(), errorKinds, maxBackends);
    System.out.printf(
        Locale.ROOT,
        "round %d %-22s %8d requests %9.0f req/s  mean %8.1f µs  opened %6d  errors %d  max"
            + " backends %d%n",
        round,
        result.row,
        requests,
        requests / (elapsed / 1e9),
        requests == 0 ? 0 : Arrays.stream(all).average().orElse(0) / 1000,
        openedAfter - openedBefore,
        errors.get(),
        maxBackends);
  }

  /** The figures of one row over all its rounds. */
  static final class RowResult {
    final String row;
    private long[] latencies = new long[0];
    private long nanos;
    private long opened;
    private long errors;
    private int maxBackends;
    private final Map<String, Long> errorKinds = new LinkedHashMap<>();

    RowResult(String row) {
      this.row = row;
    }

    void add(
        long[] more,
        long elapsed,
        long openedNow,
        long errorsNow,
        Map<String, Long> kinds,
        int backends) {
      long[] merged = Arrays.copyOf(latencies, latencies.length + more.length);
      System.arraycopy(more, 0, merged, latencies.length, more.length);
      latencies = merged;
      nanos += elapsed;
      opened += openedNow;
      errors += errorsNow;
      kinds.forEach((k, v) -> errorKinds.merge(k, v, Long::sum));
      maxBackends = Math.max(maxBackends, backends);
    }

    Map<String, Object> toMap() {
      long[] sorted = latencies.clone();
      Arrays.sort(sorted);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("requests", sorted.length);
      m.put("requestsPerSecond", sorted.length / (nanos / 1e9));
      m.put("meanMicros", Arrays.stream(sorted).average().orElse(Double.NaN) / 1000);
      m.put("p50Micros", percentile(sorted, 0.50) / 1000.0);
      m.put("p99Micros", percentile(sorted, 0.99) / 1000.0);
      m.put("connectionsOpened", opened);
      m.put(
          "hitRate",
          opened < 0 || sorted.length == 0
              ? Double.NaN
              : Math.max(0, 1 - (double) opened / sorted.length));
      m.put("errors", errors);
      m.put("errorKinds", errorKinds);
      m.put("maxBackends", maxBackends);
      return m;
    }

    private static long percentile(long[] sorted, double q) {
      if (sorted.length == 0) {
        return 0;
      }
      return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }
  }

  /** Zipf ranks over n people: P(rank k) proportional to 1 / k^s; ranks mapped to people at random. */
  static final class Zipf {
    private final double[] cumulative;
    private final int[] person;

    Zipf(int n, double exponent) {
      cumulative = new double[n];
      double sum = 0;
      for (int k = 1; k <= n; k++) {
        sum += 1 / Math.pow(k, exponent);
        cumulative[k - 1] = sum;
      }
      for (int k = 0; k < n; k++) {
        cumulative[k] /= sum;
      }
      List<Integer> ids = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        ids.add(i);
      }
      Collections.shuffle(ids, new Random(7));
      person = ids.stream().mapToInt(Integer::intValue).toArray();
    }

    int sample(Random random) {
      int k = Arrays.binarySearch(cumulative, random.nextDouble());
      return person[Math.min(person.length - 1, k < 0 ? -k - 1 : k)];
    }
  }

  /** One way of serving requests. */
  abstract static class Contender implements AutoCloseable {
    final String name;
    long loginMillis;

    Contender(String name) {
      this.name = name;
    }

    static Contender of(String name, Fixture fixture, Settings s) throws SQLException {
      return switch (name) {
        case "control" -> new Control(fixture, s);
        case "newConnection" -> new NewConnection(fixture, s);
        case "dedicated" -> new WithUserbound(name, fixture, s, IsolationStrategy.DEDICATED_POOLS);
        case "switching" -> new WithUserbound(name, fixture, s, IsolationStrategy.ROLE_SWITCHING);
        default ->
            throw new IllegalArgumentException(
                "contender " + name + ": use control, newConnection, dedicated or switching");
      };
    }

    abstract void request(int thread, int person, int row) throws Exception;

    /** Physical connections opened so far (for the hit rate), or -1 if not counted. */
    abstract long opened();

    /** The application_name of this contender's connections. */
    String applicationName() {
      return "many-" + name;
    }

    @Override
    public void close() {}
  }

  /** Each worker's own open connection; no pool. */
  static final class Control extends Contender {
    private final Connection[] connections;
    private final Work work;

    Control(Fixture fixture, Settings s) throws SQLException {
      super("control");
      this.work = s.work;
      connections = new Connection[s.threads];
      for (int t = 0; t < s.threads; t++) {
        connections[t] = fixture.open(fixture.people[t], applicationName());
      }
    }

    @Override
    void request(int thread, int person, int row) throws SQLException {
      work.run(connections[thread], row);
    }

    @Override
    long opened() {
      return 0;
    }

    @Override
    public void close() {
      Fixture.closeAll(connections);
    }
  }

  /** A new physical connection per request, closed after it. */
  static final class NewConnection extends Contender {
    private final Fixture fixture;
    private final Work work;
    private final AtomicLong opened = new AtomicLong();

    NewConnection(Fixture fixture, Settings s) {
      super("newConnection");
      this.fixture = fixture;
      this.work = s.work;
    }

    @Override
    void request(int thread, int person, int row) throws SQLException {
      try (Connection c = fixture.open(fixture.people[person], applicationName())) {
        opened.incrementAndGet();
        work.run(c, row);
      }
    }

    @Override
    long opened() {
      return opened.get();
    }
  }

  /** Userbound with all people logged in. */
  static final class WithUserbound extends Contender {
    private final Userbound userbound;
    private final Login[] logins;
    private final Work work;

    WithUserbound(String name, Fixture fixture, Settings s, IsolationStrategy strategy) {
      super(name);
      this.work = s.work;
      DatabaseConfig.Builder db =
          DatabaseConfig.builder(Fixture.DATABASE, fixture.url)
              .budget(s.budget)
              .driverProperty("ApplicationName", applicationName());
      if (strategy == IsolationStrategy.ROLE_SWITCHING) {
        db.roleSwitching(GATEWAY, GATEWAY_PASSWORD.toCharArray());
      }
      userbound = Userbound.create(UserboundConfig.builder().database(db.build()).build());
      long t0 = System.nanoTime();
      logins =
          Fixture.parallel(s.people, i -> userbound.login(fixture.people[i], fixture.password()))
              .toArray(new Login[0]);
      loginMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    @Override
    @SuppressWarnings("try") // the binding is used for its close() alone
    void request(int thread, int person, int row) throws SQLException {
      try (Binding b = userbound.bind(logins[person]);
          Connection c = userbound.connection(Fixture.DATABASE)) {
        work.run(c, row);
      }
    }

    @Override
    long opened() {
      // A request not served warm opened a connection (DEDICATED_POOLS) or switched one to
      // its person (ROLE_SWITCHING).
      DatabaseStats st = userbound.stats(Fixture.DATABASE);
      return st.connectionsOpened() + st.roleSwitches();
    }

    @Override
    public void close() {
      userbound.close();
    }
  }

  /** Samples the backends of each contender's application_name every few milliseconds. */
  static final class Sampler implements AutoCloseable {
    private final Map<String, AtomicInteger> max = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean stop;

    Sampler(Fixture fixture, Iterable<Contender> contenders) throws SQLException {
      for (Contender c : contenders) {
        max.put(c.applicationName(), new AtomicInteger());
      }
      Connection admin = fixture.server.adminConnection(Fixture.DATABASE);
      thread =
          new Thread(
              () -> {
                try (admin;
                    PreparedStatement ps =
                        admin.prepareStatement(
                            "select application_name, count(*) from pg_stat_activity"
                                + " where backend_type = 'client backend' group by 1")) {
                  while (!stop) {
                    try (ResultSet rs = ps.executeQuery()) {
                      while (rs.next()) {
                        AtomicInteger m = max.get(rs.getString(1));
                        if (m != null) {
                          m.accumulateAndGet(rs.getInt(2), Math::max);
                        }
                      }
                    }
                    TimeUnit.MILLISECONDS.sleep(20);
                  }
                } catch (SQLException | InterruptedException e) {
                  if (!stop) {
                    System.err.println("backend sampler stopped: " + e);
                  }
                }
              },
              "many-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    void reset(Contender c) {
      max.get(c.applicationName()).set(0);
    }

    int max(Contender c) {
      return max.get(c.applicationName()).get();
    }

    @Override
    public void close() {
      stop = true;
      try {
        thread.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Writes a finished run where the report finds it. */
  static void write(Map<String, Object> result, Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(
        file,
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
  }
}
