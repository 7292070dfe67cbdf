package io.userbound.benchmarks;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.userbound.core.Binding;
import io.userbound.core.DatabaseConfig;
import io.userbound.core.DatabaseStats;
import io.userbound.core.Login;
import io.userbound.core.Userbound;
import io.userbound.core.UserboundConfig;
import io.userbound.core.UserboundException;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TcpProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import org.postgresql.PGConnection;
import org.slf4j.LoggerFactory;

/*
 * The soak: many checked borrows under churn and injected faults. Not part of `mvn verify`'s
 * tests; the smoke run (`benchmarks.jar quick`, which verify runs) does a short version.
 *
 *   java -cp benchmarks/target/benchmarks.jar io.userbound.benchmarks.Soak \
 *       [borrows=1000000] [threads=8] [people=200] [budget=40] [zipf=1.0] [faults=true]
 *       [seconds=3600] [members=0] [out=DIR]
 *
 * One server, reached through a TcpProxy the soak owns (to stall and cut the network), two
 * databases on it under one Userbound: "dedicated" (DEDICATED_POOLS, a size cap of three
 * quarters of the people, a 3 s idle timeout, a budget below the number of people:
 * evictions and reclaims all the time) and "switching" (ROLE_SWITCHING through a NOINHERIT
 * gateway). With faults on, the server also has a streaming standby (the test kit's
 * startStandby), and both databases' URL is multi-host, as in FailoverTest: the primary
 * through the proxy, then the standby, direct, with targetServerType=primary and
 * hostRecheckSeconds=1. Each borrow is for a person drawn with Zipf exponent `zipf` (1: a
 * few people make most requests and a long tail keeps the budget reclaiming, as in real
 * traffic; 0: uniform, where nearly every dedicated borrow is a fresh SCRAM login).
 *
 * `members=N` makes the ROLE_SWITCHING gateway a member of N more roles before the load starts
 * (NOLOGIN roles soak_member_00000..., created and granted 1,000 to a round trip; the setup
 * time is reported), so that the switching database's traffic, and the churn's GRANTs and DROP
 * ROLEs, run against a gateway with that many memberships, as an application with that many
 * people would have. The people who borrow stay `people`: only the membership list grows. The
 * figures per database (borrows, mean, p50, p99, longest) show the switching side apart from
 * the dedicated side, whose borrows are mostly SCRAM logins.
 *
 * Workers check every borrow: current_user is the bound person, session_user the person
 * (dedicated) or the gateway (switching), a marker a request sets with set_config (one
 * request in four: the TRACKED reset must take it back) is never visible to the next one,
 * and the server is not in recovery (no borrow may reach a standby). Churn meanwhile:
 * logouts and logins, password changes, first logins of people created on the fly, each
 * replacing a person who leaves (logged out, role dropped); its SQL goes to whichever
 * server is the primary. Faults, one after another with quiet time between, each with the
 * churn paused (a step under way ends first), while the load runs (it runs until the borrows
 * are done and the last fault is measured):
 * pg_terminate_backend of random backends, pg_ctl restart -m fast, a crash (-m immediate),
 * a network stall and a cut at the proxy, NOLOGIN and DROP ROLE of active people, and last
 * the failover: once the standby has replayed everything, the primary crashes (-m
 * immediate) and stays down, and the standby is promoted at once; the rest of the run
 * (quiet time, remaining borrows, churn) is on the new primary. For each fault: the
 * requests that failed (typed or not), the time from the end of the cause (for the
 * failover: from the crash) until both databases serve again (for the failover: a checked
 * borrow of each on the new primary, by a worker or the probe), and the most backends seen.
 * After the failover, every logged-in person also borrows on both databases with the Login
 * from before the crash (up to three tries each), and every kind of churn step must succeed
 * on the new primary. At the end: permits must equal open connections, no worker may be
 * stuck, and no log line (every Userbound, HikariCP and pgjdbc logger at DEBUG) may contain
 * any password used. The run fails (exit 1) when any of that, or any mismatch, untyped
 * failure, borrow served by a standby, person who cannot borrow after the failover or
 * recovery slower than 5 s, is seen.
 *
 * Figures: the README's Reliability section. The failover's come from a 100,000-borrow run
 * (benchmarks/results/soak-failover): 14 requests failed, all typed; 175 ms from the crash
 * to the first checked borrow on the new primary, 187 ms until both databases had served
 * there; 199 of 199 logged-in people served there with the logins they had; 0 mismatches. With
 * members=10000 (benchmarks/results/soak-members), PostgreSQL 15 against 18: 164-169 against
 * 274-302 borrows/s, switching p99 1.4 s against 0.2 s (about 50 ms on both without the
 * option), 0 mismatches.
 */
public final class Soak {

  private static final String GATEWAY = "soak_gateway";
  private static final String MARKER = "soak.marker";
  private static final long RECOVERY_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(5);
  private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(60);

  /** Kinds of churn step: logout and login, password change, first logins of new people. */
  private static final int CHURN_KINDS = 3;

  /** The extra gateway members created and granted per round trip (members=N). */
  private static final int MEMBERS_PER_BATCH = 1_000;

  /** The two databases, in the order of the per-database figures. */
  private static final List<String> DATABASES = List.of("dedicated", "switching");

  private Soak() {}

  /** The settings. */
  static final class Settings {
    final long borrows;
    final int threads;
    final int people;
    final int budget;
    final double zipf;
    final boolean faults;
    final long maxSeconds;
    final int members;
    final Path out;

    Settings(Map<String, String> a) {
      borrows = Long.parseLong(a.getOrDefault("borrows", "1000000"));
      threads = Integer.parseInt(a.getOrDefault("threads", "8"));
      people = Integer.parseInt(a.getOrDefault("people", "200"));
      budget = Integer.parseInt(a.getOrDefault("budget", "40"));
      zipf = Double.parseDouble(a.getOrDefault("zipf", "1.0"));
      faults = Boolean.parseBoolean(a.getOrDefault("faults", "true"));
      maxSeconds = Long.parseLong(a.getOrDefault("seconds", "3600"));
      members = Integer.parseInt(a.getOrDefault("members", "0"));
      out = a.containsKey("out") ? Path.of(a.get("out")) : null;
    }
  }

  /** One injected fault and what it cost. */
  static final class Fault {
    final String name;
    long started;
    long causeEnded;
    long recovered;
    int maxBackends;
    int stuck; // workers still in a borrow begun before the cause ended, 5 s after recovery
    long recoveryFrom; // where the recovery clock starts: causeEnded, or the crash (failover)
    // The failover only: when pg_promote() returned, the first checked borrow on the new primary,
    // and the check of every logged-in person afterwards.
    long promoted;
    long firstOnNewPrimary;
    int peopleChecked;
    int peopleRetried;
    int peopleFailed;
    long checked; // when the check of everyone ended
    final List<String> whyPeopleFailed = new ArrayList<>(); // the first few

    Fault(String name) {
      this.name = name;
    }
  }

  /**
   * Borrow times of one database: count, sum, longest, and a histogram with 8 buckets per
   * doubling from 1 µs (a percentile is its bucket's upper bound: at most 9 % high).
   */
  static final class Times {
    private static final int PER_DOUBLING = 8;
    private static final int BUCKETS = PER_DOUBLING * 28; // 1 µs to 268 s
    final AtomicLong count = new AtomicLong();
    final AtomicLong nanos = new AtomicLong();
    final AtomicLong longest = new AtomicLong();
    final AtomicLongArray buckets = new AtomicLongArray(BUCKETS);

    void add(long took) {
      count.incrementAndGet();
      nanos.addAndGet(took);
      longest.accumulateAndGet(took, Math::max);
      double micros = Math.max(1.0, took / 1e3);
      int b = (int) Math.floor(PER_DOUBLING * Math.log(micros) / Math.log(2));
      buckets.incrementAndGet(Math.min(BUCKETS - 1, Math.max(0, b)));
    }

    /** The q-quantile in milliseconds (the upper bound of its bucket). */
    double quantileMillis(double q) {
      long n = count.get();
      long want = (long) Math.ceil(q * n);
      long seen = 0;
      for (int b = 0; b < BUCKETS; b++) {
        seen += buckets.get(b);
        if (seen >= want && seen > 0) {
          return Math.pow(2, (b + 1) / (double) PER_DOUBLING) / 1e3;
        }
      }
      return longest.get() / 1e6;
    }

    Map<String, Object> toMap(double seconds) {
      long n = count.get();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("borrows", n);
      m.put("borrowsPerSecond", n / seconds);
      m.put("meanMillis", n == 0 ? 0 : nanos.get() / 1e6 / n);
      m.put("p50Millis", quantileMillis(0.50));
      m.put("p99Millis", quantileMillis(0.99));
      m.put("longestMillis", longest.get() / 1e6);
      return m;
    }
  }

  /**
   * Every log event, scanned for the passwords in use. A line is checked at each position
   * against the secrets of each length in use (a hash lookup), not secret by secret: with
   * thousands of passwords and a million lines, contains() per secret would be the soak's
   * biggest cost.
   */
  static final class LogScan extends AppenderBase<ILoggingEvent> {
    final Set<String> secrets = ConcurrentHashMap.newKeySet();
    final Set<Integer> lengths = ConcurrentHashMap.newKeySet();
    final AtomicLong lines = new AtomicLong();
    final AtomicLong hits = new AtomicLong();

    void add(String secret) {
      secrets.add(secret);
      lengths.add(secret.length());
    }

    @Override
    protected void append(ILoggingEvent e) {
      lines.incrementAndGet();
      String text =
          e.getFormattedMessage()
              + (e.getThrowableProxy() == null
                  ? ""
                  : ThrowableProxyUtil.asString(e.getThrowableProxy()));
      if (containsASecret(text)) {
        hits.incrementAndGet();
      }
    }

    boolean containsASecret(String text) {
      for (int len : lengths) {
        for (int p = 0; p + len <= text.length(); p++) {
          if (secrets.contains(text.substring(p, p + len))) {
            return true;
          }
        }
      }
      return false;
    }

    static LogScan install() {
      LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
      LogScan scan = new LogScan();
      scan.setContext(ctx);
      scan.start();
      // pgjdbc logs through java.util.logging, not SLF4J, and never logs a password.
      for (String name : List.of("io.userbound", "com.zaxxer.hikari")) {
        Logger l = ctx.getLogger(name);
        l.setLevel(Level.DEBUG);
        l.addAppender(scan);
        l.setAdditive(false); // scanned, not printed: the console stays readable
      }
      return scan;
    }
  }

  /**
   * Runs the soak.
   *
   * @param args key=value settings, see the class comment
   * @throws Exception on failure to set up
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> a = Fixture.keyValues(args);
    Settings s = new Settings(a);
    Map<String, Object> result = new Soak.Run(s).run();
    String json =
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result);
    if (s.out != null) {
      Files.createDirectories(s.out);
      Files.writeString(s.out.resolve("soak.json"), json);
      Files.writeString(s.out.resolve("report.md"), markdown(result));
    }
    System.out.println(markdown(result));
    @SuppressWarnings("unchecked")
    List<String> problems = (List<String>) result.get("problems");
    if (!problems.isEmpty()) {
      System.err.println("Soak: " + problems);
      System.exit(1);
    }
  }

  /** One run. */
  static final class Run {
    private final Settings s;
    private final SecureRandom random = new SecureRandom();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong borrows = new AtomicLong();
    private final AtomicLong mismatches = new AtomicLong();
    private final AtomicLong stateChanges = new AtomicLong();
    private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<long[]> failureTimes = new ConcurrentLinkedQueue<>();
    private final AtomicLong untyped = new AtomicLong();
    private final Map<String, AtomicLong> churn = new ConcurrentHashMap<>();
    private final List<String> churnFailures = new ArrayList<>(); // the first few, with their step
    private final List<Fault> faults = new ArrayList<>();
    private final AtomicInteger maxBackends = new AtomicInteger();
    private final AtomicLong longestBorrowNanos = new AtomicLong();
    private final Times[] times = {new Times(), new Times()}; // per database, checked borrows
    private double membersSetupSeconds;
    private long gatewayMembers;
    private String serverVersion;
    private final List<String> firstMismatches = new ArrayList<>();
    private volatile Fault current;
    private final LogScan scan = LogScan.install();

    private Fixture fixture;
    private TcpProxy proxy;
    // Where administration (churn, faults, counting backends) goes: the fixture's server, and
    // after the failover the promoted standby.
    private volatile PostgresServer primary;
    private PostgresServer standby; // null without faults
    private volatile boolean faultsPending;
    private volatile boolean churning; // a churn step may be under way
    private volatile int newPrimaryPort; // the standby's, from the moment the failover begins
    private final AtomicLongArray firstOnNewPrimary = new AtomicLongArray(2); // per database
    private final AtomicLong servedByAStandby = new AtomicLong();
    private final Map<String, AtomicLong> churnOnNewPrimary = new ConcurrentHashMap<>();
    private Userbound ub;
    private String[] roles;
    private AtomicReferenceArray<Login> logins;
    private AtomicReferenceArray<char[]> passwords;
    private AtomicLongArray inFlightSince;
    private final Set<Integer> gone = ConcurrentHashMap.newKeySet(); // dropped people
    private final AtomicInteger created = new AtomicInteger();
    private final AtomicInteger peopleDropped = new AtomicInteger();
    private ManyPeople.Zipf zipf;

    Run(Settings s) {
      this.s = s;
    }

    Map<String, Object> run() throws Exception {
      long t0 = System.nanoTime();
      int maxConnections = 2 * s.budget + 8 + 40;
      try (Fixture f = Fixture.start("soak", maxConnections, s.people, Duration.ZERO, true)) {
        fixture = f;
        proxy = TcpProxy.start(f.server.host(), f.server.port());
        String gatewayPassword = secret();
        f.server.execute(
            "postgres",
            "CREATE ROLE "
                + GATEWAY
                + " LOGIN NOINHERIT PASSWORD '"
                + ScramVerifier.of(gatewayPassword.toCharArray())
                + "'; GRANT "
                + String.join(", ", f.people)
                + " TO "
                + GATEWAY);
        long membersStarted = System.nanoTime();
        addMembers(f.server, s.members);
        membersSetupSeconds = (System.nanoTime() - membersStarted) / 1e9;
        gatewayMembers = gatewayMembers(f.server);
        serverVersion = f.serverVersion();
        roles = f.people.clone();
        passwords = new AtomicReferenceArray<>(roles.length);
        for (int i = 0; i < roles.length; i++) {
          passwords.set(i, f.password());
        }
        scan.add(Fixture.PASSWORD);
        scan.add(gatewayPassword);
        if (!scan.containsASecret("a line with " + gatewayPassword + " in it")) {
          throw new IllegalStateException("the log scan does not find a password");
        }
        primary = f.server;
        // The test kit's servers commit asynchronously (synchronous_commit=off): a crash loses
        // the commits of the last ~200 ms. The churn's role changes (new people, new passwords,
        // grants) must survive the crash fault, as they would on a real server, or the people
        // they made can no longer log in and the failover check later blames the failover. So
        // every administration session (the churn's, the faults') commits synchronously.
        primary.execute("postgres", "ALTER ROLE CURRENT_USER SET synchronous_commit = on");
        // With faults, a streaming standby for the last one, the failover.
        standby = s.faults ? f.server.startStandby() : null;
        try {
          String url = standby == null ? proxy.jdbcUrl(f.server, Fixture.DATABASE) : failoverUrl();
          ub =
              Userbound.create(
                  UserboundConfig.builder()
                      .database(
                          DatabaseConfig.builder("dedicated", url)
                              .budget(s.budget)
                              .maxConnectionsPerPerson(2)
                              .maxPools(Math.max(2, s.people * 3 / 4))
                              .idleTimeout(Duration.ofSeconds(3))
                              .connectionTimeout(Duration.ofSeconds(3))
                              .driverProperty("ApplicationName", "soak-dedicated")
                              .build())
                      .database(
                          DatabaseConfig.builder("switching", url)
                              .budget(s.budget)
                              .maxConnectionsPerPerson(2)
                              .connectionTimeout(Duration.ofSeconds(3))
                              .driverProperty("ApplicationName", "soak-switching")
                              .roleSwitching(GATEWAY, gatewayPassword.toCharArray())
                              .build())
                      .build());
          try {
            logins = new AtomicReferenceArray<>(roles.length);
            for (int i = 0; i < roles.length; i++) {
              logins.set(i, ub.login(roles[i], passwords.get(i)));
            }
            return soak(t0);
          } finally {
            ub.close();
            proxy.close();
          }
        } finally {
          if (standby != null) {
            standby.close();
          }
        }
      }
    }

    /**
     * Makes the gateway a member of {@code n} more roles (members=N): NOLOGIN roles, as the
     * membership check does not look at LOGIN, created and granted {@link #MEMBERS_PER_BATCH}
     * to one round trip (one CREATE ROLE each and one GRANT of the whole batch).
     */
    private static void addMembers(PostgresServer server, int n) {
      for (int from = 0; from < n; from += MEMBERS_PER_BATCH) {
        int to = Math.min(n, from + MEMBERS_PER_BATCH);
        StringBuilder sql = new StringBuilder();
        List<String> names = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
          String role = String.format(Locale.ROOT, "soak_member_%05d", i);
          names.add(role);
          sql.append("CREATE ROLE ").append(role).append(" NOLOGIN;\n");
        }
        sql.append("GRANT ").append(String.join(", ", names)).append(" TO ").append(GATEWAY);
        server.execute("postgres", sql.toString());
      }
    }

    /** The roles the gateway is a direct member of. */
    private static long gatewayMembers(PostgresServer server) {
      try (Connection c = server.adminConnection("postgres");
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "select count(*) from pg_auth_members m join pg_roles r on r.oid = m.member"
                      + " where r.rolname = '"
                      + GATEWAY
                      + "'")) {
        rs.next();
        return rs.getLong(1);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    /**
     * Both hosts in one URL, as FailoverTest has them: the primary through the soak's proxy (so
     * that the stall and the cut still reach it), then the standby, direct; pgjdbc connects to
     * whichever of them is the primary now, and remembers a host's role for only 1 s.
     */
    private String failoverUrl() {
      String one = proxy.jdbcUrl(fixture.server, Fixture.DATABASE);
      String proxied = "//127.0.0.1:" + proxy.port() + "/";
      if (!one.contains(proxied)) {
        throw new IllegalStateException("unexpected JDBC URL shape: " + one);
      }
      String both =
          "//127.0.0.1:" + proxy.port() + "," + standby.host() + ":" + standby.port() + "/";
      return one.replace(proxied, both)
          + (one.contains("?") ? "&" : "?")
          + "targetServerType=primary&hostRecheckSeconds=1&connectTimeout=2";
    }

    private Map<String, Object> soak(long t0) throws Exception {
      zipf = s.zipf > 0 ? new ManyPeople.Zipf(roles.length, s.zipf) : null;
      inFlightSince = new AtomicLongArray(s.threads);
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < s.threads; t++) {
        int me = t;
        Thread w = new Thread(() -> work(me), "soak-worker-" + t);
        w.setDaemon(true);
        workers.add(w);
      }
      Thread churner = new Thread(this::churn, "soak-churn");
      Thread sampler = new Thread(this::sample, "soak-sampler");
      for (Thread th : List.of(churner, sampler)) {
        th.setDaemon(true);
      }
      // The load runs until the borrows are done and the last fault has been measured.
      faultsPending = s.faults;
      long started = System.nanoTime();
      workers.forEach(Thread::start);
      churner.start();
      sampler.start();
      if (s.faults) {
        try {
          injectFaults();
        } finally {
          faultsPending = false;
        }
      }
      long deadline = started + TimeUnit.SECONDS.toNanos(s.maxSeconds);
      long nextProgress = started + PROGRESS_NANOS;
      while (borrows.get() < s.borrows && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // a progress poll
        long now = System.nanoTime();
        if (now >= nextProgress) {
          nextProgress += PROGRESS_NANOS;
          double secs = (now - started) / 1e9;
          System.out.printf(
              Locale.ROOT,
              "soak: %.0f s, %d of %d borrows (%.0f/s), %d mismatches, %d faults%n",
              secs,
              borrows.get(),
              s.borrows,
              borrows.get() / secs,
              mismatches.get(),
              faults.size());
        }
      }
      stop.set(true);
      long stopped = System.nanoTime();
      int stuck = 0;
      for (Thread w : workers) {
        w.join(30_000);
        if (w.isAlive()) {
          stuck++;
        }
      }
      churner.join(30_000);
      sampler.join(30_000);
      long elapsed = stopped - started;

      // Permits must equal open physical connections, here and on the server.
      Map<String, Object> permits = new LinkedHashMap<>();
      boolean leaked = false;
      for (String db : DATABASES) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        DatabaseStats st;
        long backends;
        do {
          st = ub.stats(db);
          backends = appBackends("soak-" + db);
          if (st.budgetUsed() == st.activeConnections() + st.idleConnections()
              && st.budgetUsed() == backends) {
            break;
          }
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // backends exit late
        } while (System.nanoTime() < until);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("budgetUsed", st.budgetUsed());
        p.put("openConnections", st.activeConnections() + st.idleConnections());
        p.put("serverBackends", backends);
        p.put("active", st.activeConnections());
        boolean ok =
            st.budgetUsed() == st.activeConnections() + st.idleConnections()
                && st.budgetUsed() == backends
                && st.activeConnections() == 0;
        p.put("ok", ok);
        leaked |= !ok;
        permits.put(db, p);
      }

      List<String> problems = new ArrayList<>();
      if (mismatches.get() > 0) {
        problems.add(mismatches.get() + " mismatches " + firstMismatches);
      }
      if (untyped.get() > 0) {
        problems.add(untyped.get() + " failures without a typed exception");
      }
      if (stuck > 0) {
        problems.add(stuck + " worker threads stuck");
      }
      if (leaked) {
        problems.add("permits do not equal open connections: " + permits);
      }
      if (scan.hits.get() > 0) {
        problems.add(scan.hits.get() + " log lines contain a password");
      }
      if (borrows.get() < s.borrows) {
        problems.add("only " + borrows.get() + " of " + s.borrows + " borrows in the time limit");
      }
      List<Map<String, Object>> faultRows = new ArrayList<>();
      for (Fault f : faults) {
        Map<String, Object> m = new LinkedHashMap<>();
        long typedFailed = 0;
        long until =
            Math.max(
                (f.recovered == 0 ? System.nanoTime() : f.recovered) + 1_000_000_000L, f.checked);
        for (long[] ft : failureTimes) {
          if (ft[0] >= f.started && ft[0] <= until) {
            typedFailed++;
          }
        }
        m.put("fault", f.name);
        m.put("failedRequests", typedFailed);
        m.put("allTyped", true); // an untyped failure fails the whole run, see problems
        double recovery = f.recovered == 0 ? -1 : (f.recovered - f.recoveryFrom) / 1e6;
        m.put("recoveryMillis", recovery);
        m.put("maxBackends", f.maxBackends);
        m.put("stuckThreads", f.stuck);
        if (f.promoted != 0) {
          m.put("crashToPromotedMillis", (f.promoted - f.recoveryFrom) / 1e6);
          m.put(
              "crashToFirstBorrowOnNewPrimaryMillis",
              f.firstOnNewPrimary == 0 ? -1 : (f.firstOnNewPrimary - f.recoveryFrom) / 1e6);
          m.put("peopleCheckedAfter", f.peopleChecked);
          m.put("peopleWhoNeededARetry", f.peopleRetried);
          m.put("peopleFailed", f.peopleFailed);
          m.put("whyPeopleFailed", f.whyPeopleFailed);
          if (f.peopleChecked == 0 || f.peopleFailed > 0) {
            problems.add(
                f.name
                    + ": "
                    + f.peopleFailed
                    + " of "
                    + f.peopleChecked
                    + " logged-in people could not borrow on the new primary "
                    + f.whyPeopleFailed);
          }
          if (churnOnNewPrimary.size() < CHURN_KINDS) {
            problems.add(
                f.name + ": churn on the new primary did not do every kind: " + churnOnNewPrimary);
          }
        }
        faultRows.add(m);
        if (f.stuck > 0) {
          problems.add(f.name + ": " + f.stuck + " threads stuck");
        }
        if (f.recovered == 0 || f.recovered - f.recoveryFrom > RECOVERY_LIMIT_NANOS) {
          problems.add(f.name + ": no recovery within 5 s");
        }
      }
      if (servedByAStandby.get() > 0) {
        problems.add(servedByAStandby.get() + " borrows served by a standby");
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("serverVersion", serverVersion);
      out.put("borrowsChecked", borrows.get());
      out.put("mismatches", mismatches.get());
      out.put("stateChangingRequests", stateChanges.get());
      out.put("threads", s.threads);
      out.put("people", s.people);
      out.put("peopleCreatedDuringTheRun", created.get());
      out.put("peopleDroppedDuringTheRun", peopleDropped.get());
      out.put("budgetPerDatabase", s.budget);
      out.put("zipfExponent", s.zipf);
      out.put("seconds", elapsed / 1e9);
      out.put("borrowsPerSecond", borrows.get() / (elapsed / 1e9));
      out.put("setupSeconds", (System.nanoTime() - t0 - elapsed) / 1e9);
      out.put("extraGatewayMembers", s.members);
      out.put("gatewayMembersAtStart", gatewayMembers);
      out.put("membersSetupSeconds", membersSetupSeconds);
      Map<String, Object> byDatabase = new LinkedHashMap<>();
      for (int d = 0; d < DATABASES.size(); d++) {
        byDatabase.put(DATABASES.get(d), times[d].toMap(elapsed / 1e9));
      }
      out.put("checkedBorrowsByDatabase", byDatabase);
      out.put("failuresByType", toLongs(failures));
      out.put("untypedFailures", untyped.get());
      out.put("churn", toLongs(churn));
      synchronized (churnFailures) {
        out.put("churnFailures", List.copyOf(churnFailures));
      }
      if (standby != null) {
        out.put("churnOnTheNewPrimary", toLongs(churnOnNewPrimary));
        out.put("borrowsServedByAStandby", servedByAStandby.get());
      }
      out.put("faults", faultRows);
      out.put("maxBackends", maxBackends.get());
      out.put("backendLimit", 2 * s.budget + 8);
      out.put("longestBorrowMillis", longestBorrowNanos.get() / 1e6);
      out.put("stuckThreads", stuck);
      out.put("permits", permits);
      Map<String, Object> stats = new LinkedHashMap<>();
      for (String db : DATABASES) {
        DatabaseStats st = ub.stats(db);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("connectionsOpened", st.connectionsOpened());
        m.put("roleSwitches", st.roleSwitches());
        m.put("loginsAccepted", st.loginsAccepted());
        m.put("poolsEvicted", st.poolsEvicted());
        m.put("connectionsReclaimed", st.connectionsReclaimed());
        stats.put(db, m);
      }
      out.put("stats", stats);
      out.put("logLinesScanned", scan.lines.get());
      out.put("passwordsScannedFor", scan.secrets.size());
      out.put("logLinesWithAPassword", scan.hits.get());
      out.put("problems", problems);
      return out;
    }

    // ---- workers ------------------------------------------------------------------------

    @SuppressWarnings("try") // the binding is used for its close() alone
    private void work(int me) {
      ThreadLocalRandom r = ThreadLocalRandom.current();
      while (!stop.get() && (borrows.get() < s.borrows || faultsPending)) {
        int i = zipf == null ? r.nextInt(roles.length) : zipf.sample(r);
        if (gone.contains(i)) {
          continue;
        }
        Login login = logins.get(i);
        if (login == null) {
          continue;
        }
        boolean switching = r.nextBoolean();
        String db = switching ? "switching" : "dedicated";
        long begin = System.nanoTime();
        inFlightSince.set(me, begin);
        boolean checked = false;
        try (Binding b = ub.bind(login);
            Connection c = ub.connection(db);
            Statement st = c.createStatement()) {
          try (ResultSet rs =
              st.executeQuery(
                  "select current_user, session_user, coalesce(current_setting('"
                      + MARKER
                      + "', true), ''), inet_server_port(), pg_is_in_recovery()")) {
            rs.next();
            String current = rs.getString(1);
            String session = rs.getString(2);
            String marker = rs.getString(3);
            if (rs.getBoolean(5)) {
              servedByAStandby.incrementAndGet(); // targetServerType=primary must prevent it
            } else if (rs.getInt(4) == newPrimaryPort) {
              firstOnNewPrimary.compareAndSet(switching ? 1 : 0, 0, System.nanoTime());
            }
            String wantSession = switching ? GATEWAY : login.role();
            if (!login.role().equals(current)
                || !wantSession.equals(session)
                || !marker.isEmpty()) {
              mismatches.incrementAndGet();
              synchronized (firstMismatches) {
                if (firstMismatches.size() < 5) {
                  firstMismatches.add(
                      db + ": " + login.role() + " saw " + current + "/" + session + "/" + marker);
                }
              }
            }
          }
          if (r.nextInt(4) == 0) {
            st.execute("select set_config('" + MARKER + "', 'left-by-" + i + "', false)");
            stateChanges.incrementAndGet();
          }
          borrows.incrementAndGet();
          checked = true;
        } catch (UserboundException | SQLException e) {
          failed(e.getClass().getSimpleName());
        } catch (RuntimeException e) {
          untyped.incrementAndGet();
          failed("untyped " + e.getClass().getName() + ": " + e.getMessage());
        } finally {
          long took = System.nanoTime() - begin;
          inFlightSince.set(me, 0);
          longestBorrowNanos.accumulateAndGet(took, Math::max);
          if (checked) {
            times[switching ? 1 : 0].add(took); // borrow, check and hand-back
          }
        }
      }
    }

    private void failed(String kind) {
      failures.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
      failureTimes.add(new long[] {System.nanoTime()});
    }

    // ---- churn --------------------------------------------------------------------------

    private void churn() {
      ThreadLocalRandom r = ThreadLocalRandom.current();
      while (!stop.get()) {
        // Set before `current` is read, cleared after the step: a fault that has set `current`
        // and then sees this false knows that no step is under way and none will start.
        churning = true;
        String step = "none";
        try {
          int i = 3 + r.nextInt(roles.length - 3); // 0 probes, 1 and 2 are the faults' victims
          if (!gone.contains(i) && current == null) {
            int kind = r.nextInt(3);
            step =
                (kind == 0 ? "logout and login" : kind == 1 ? "password change" : "new people")
                    + " of "
                    + roles[i];
            switch (kind) {
              case 0 -> {
                // Until the new login succeeds the person is logged out (null: workers and the
                // failover check skip them), never left with a Login that cannot work.
                Login old = logins.getAndSet(i, null);
                if (old != null) {
                  ub.logout(old);
                }
                logins.set(i, ub.login(roles[i], passwords.get(i)));
                count("logout and login");
              }
              case 1 -> {
                char[] pw = secret().toCharArray();
                scan.add(new String(pw));
                try (Connection admin = primary.adminConnection("postgres")) {
                  admin
                      .unwrap(PGConnection.class)
                      .alterUserPassword(roles[i], pw.clone(), "scram-sha-256");
                }
                passwords.set(i, pw);
                // The Login with the old password is stale from here on (as an application's
                // would be): it stays in use only until the new one replaces it.
                Login stale = logins.get(i);
                try {
                  logins.set(i, ub.login(roles[i], pw));
                } catch (RuntimeException e) {
                  logins.compareAndSet(i, stale, null);
                  throw e;
                }
                count("password change and login");
              }
              default -> {
                // First logins of three new people at once, each replacing a slot's person.
                int[] slots = {i, 3 + r.nextInt(roles.length - 3), 3 + r.nextInt(roles.length - 3)};
                if (slots[1] == slots[0] || slots[2] == slots[0] || slots[2] == slots[1]) {
                  break;
                }
                String[] fresh = new String[3];
                char[][] pws = new char[3][];
                for (int k = 0; k < 3; k++) {
                  fresh[k] = "fresh_" + created.incrementAndGet();
                  pws[k] = secret().toCharArray();
                  scan.add(new String(pws[k]));
                  primary.createLogin(fresh[k], pws[k]);
                  primary.execute("postgres", "GRANT " + fresh[k] + " TO " + GATEWAY);
                }
                List<Login> made = Fixture.parallel(3, k -> ub.login(fresh[k], pws[k]));
                for (int k = 0; k < 3; k++) {
                  if (gone.contains(slots[k])) {
                    ub.logout(made.get(k));
                    primary.dropRole(fresh[k]);
                    continue;
                  }
                  String leaving = roles[slots[k]];
                  Login left = logins.get(slots[k]);
                  roles[slots[k]] = fresh[k];
                  passwords.set(slots[k], pws[k]);
                  logins.set(slots[k], made.get(k));
                  // The person replaced leaves the organisation: logged out, role dropped, so
                  // that the population stays the same size. (Left to grow, thousands of roles
                  // granted to the gateway make every GRANT cost each gateway backend a
                  // quadratic rebuild of its role-membership cache on PostgreSQL 15.)
                  if (left != null) {
                    ub.logout(left);
                  }
                  primary.dropRole(leaving);
                  peopleDropped.incrementAndGet();
                }
                count("first logins of three new people at once");
              }
            }
          }
        } catch (RuntimeException | SQLException e) {
          count("churn step failed: " + e.getClass().getSimpleName());
          synchronized (churnFailures) {
            if (churnFailures.size() < 5) {
              churnFailures.add(step + (primary == standby ? " (new primary): " : ": ") + e);
            }
          }
        } finally {
          churning = false;
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // the churn's pace
      }
    }

    private void count(String what) {
      churn.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
      if (primary == standby && !what.startsWith("churn step failed")) {
        churnOnNewPrimary.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
      }
    }

    // ---- faults -------------------------------------------------------------------------

    private void injectFaults() throws Exception {
      quiet();
      fault("pg_terminate_backend of 10 random backends", this::terminateSome);
      fault("server restart (pg_ctl restart -m fast)", () -> fixture.server.restart());
      fault("server crash (pg_ctl stop -m immediate, start)", fixture.server::crashAndRestart);
      fault(
          "network stall at the proxy for 2 s",
          () -> {
            proxy.stall();
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(2)); // the stall itself
            proxy.resume();
          });
      fault("network cut at the proxy (every connection reset)", proxy::cut);
      int victim = 1;
      fault(
          "ALTER ROLE ... NOLOGIN of an active person for 2 s",
          () -> {
            primary.execute("postgres", "ALTER ROLE " + roles[victim] + " NOLOGIN");
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(2)); // the revocation lasts
            primary.execute("postgres", "ALTER ROLE " + roles[victim] + " LOGIN");
          });
      int dropped = 2;
      fault(
          "DROP ROLE of an active person",
          () -> {
            gone.add(dropped);
            ub.logout(logins.get(dropped));
            primary.dropRole(roles[dropped]);
          });
      // Last: the old primary stays down, and the rest of the run is on the promoted standby.
      failover();
    }

    /**
     * The primary crashes and stays down, and the standby is promoted at once (a failover
     * manager would take seconds to decide; that wait is not Userbound's). Recovery counts from
     * the crash until each database has served a checked borrow on the new primary. Then every
     * logged-in person borrows on both databases with the Login they already had, and the churn
     * (logins, password changes, new people, dropped people) must work on the new primary.
     */
    private void failover() throws Exception {
      Fault f =
          new Fault(
              "failover: primary crash (pg_ctl stop -m immediate, left down), standby promoted;"
                  + " recovery counted from the crash");
      // Before the clock starts, with the churn paused: asynchronous replication may lose the
      // last commits of a crashed primary (a real risk, but not the one measured here), so the
      // standby first replays everything, including the people the churn created last.
      current = f;
      awaitChurnPaused();
      long replayLimit = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!standby.replayedEverythingOf(fixture.server)) {
        if (System.nanoTime() > replayLimit) {
          throw new IllegalStateException("the standby has not caught up in 30 s");
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // replay poll
      }
      fault(
          f,
          () -> {
            newPrimaryPort = standby.port();
            f.recoveryFrom = System.nanoTime();
            fixture.server.crash();
            primary = standby; // administration and backend counts go there from now on
            standby.promote();
            f.promoted = System.nanoTime();
          });
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (churnOnNewPrimary.size() < CHURN_KINDS && System.nanoTime() < until) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // churn poll
      }
    }

    interface Cause {
      void run() throws Exception;
    }

    private void fault(String name, Cause cause) throws Exception {
      fault(new Fault(name), cause);
    }

    private void fault(Fault f, Cause cause) throws Exception {
      faults.add(f);
      current = f; // the churn pauses, so that only the fault is measured
      awaitChurnPaused();
      f.started = System.nanoTime();
      cause.run();
      f.causeEnded = System.nanoTime();
      if (f.recoveryFrom == 0) {
        f.recoveryFrom = f.causeEnded;
      }
      boolean failover = f.promoted != 0;
      long limit = f.causeEnded + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < limit) {
        boolean served = probe("dedicated") && probe("switching");
        if (failover) {
          // The workers' borrows count as well: the new primary serves before pg_promote returns.
          long dedicated = firstOnNewPrimary.get(0);
          long switching = firstOnNewPrimary.get(1);
          if (dedicated != 0 && switching != 0) {
            f.recovered = Math.max(dedicated, switching);
            f.firstOnNewPrimary = Math.min(dedicated, switching);
            break;
          }
        } else if (served) {
          f.recovered = System.nanoTime();
          break;
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // probe period
      }
      if (failover && f.recovered != 0) {
        checkEveryone(f);
        f.checked = System.nanoTime();
      }
      // No worker may stay stuck in a borrow that began before the cause ended.
      long end = System.nanoTime() + RECOVERY_LIMIT_NANOS;
      int stuckNow;
      do {
        stuckNow = 0;
        for (int t = 0; t < inFlightSince.length(); t++) {
          long since = inFlightSince.get(t);
          if (since != 0 && since < f.causeEnded) {
            stuckNow++;
          }
        }
        if (stuckNow == 0) {
          break;
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // poll period
      } while (System.nanoTime() < end);
      f.stuck = stuckNow;
      current = null;
      quiet();
    }

    /** Waits until the churn step under way, if any, has ended (`current` is set). */
    private void awaitChurnPaused() {
      long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (churning && System.nanoTime() < limit) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // churn poll
      }
    }

    /**
     * Whether person 0 (never churned or faulted) gets a correct borrow now; one on the new
     * primary counts for the failover's recovery.
     */
    private boolean probe(String db) {
      try (Connection c = ub.connection(logins.get(0), db);
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery("select current_user, inet_server_port(), pg_is_in_recovery()")) {
        boolean ok = rs.next() && roles[0].equals(rs.getString(1)) && !rs.getBoolean(3);
        if (ok && rs.getInt(2) == newPrimaryPort) {
          firstOnNewPrimary.compareAndSet(db.equals("switching") ? 1 : 0, 0, System.nanoTime());
        }
        return ok;
      } catch (UserboundException | SQLException e) {
        return false;
      }
    }

    /**
     * After the failover: each logged-in person's next borrows, on both databases, with the
     * Login from before the crash, must run as that person on the new primary. A borrow that
     * fails is tried twice more (a connection to the dead primary that was used less than
     * 500 ms before may be handed out once unchecked); such people are counted apart.
     */
    private void checkEveryone(Fault f) {
      for (int i = 0; i < roles.length; i++) {
        Login login = logins.get(i);
        if (login == null || gone.contains(i)) {
          continue;
        }
        f.peopleChecked++;
        int attempts = 0;
        String why = null;
        for (String db : List.of("dedicated", "switching")) {
          String error = "";
          for (int a = 0; a < 3 && error != null; a++) {
            if (a > 0) {
              LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // before trying again
            }
            attempts++;
            error = onNewPrimary(login, db);
          }
          if (error != null && why == null) {
            why = login.role() + " on " + db + ": " + error;
          }
        }
        if (why != null) {
          f.peopleFailed++;
          if (f.whyPeopleFailed.size() < 5) {
            f.whyPeopleFailed.add(why);
          }
        } else if (attempts > 2) {
          f.peopleRetried++;
        }
      }
    }

    /** One checked borrow of a person's on the new primary: null if right, else what was wrong. */
    private String onNewPrimary(Login login, String db) {
      try (Connection c = ub.connection(login, db);
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "select current_user, session_user, inet_server_port(), pg_is_in_recovery()")) {
        rs.next();
        String want = db.equals("switching") ? GATEWAY : login.role();
        if (!login.role().equals(rs.getString(1)) || !want.equals(rs.getString(2))) {
          mismatches.incrementAndGet();
          synchronized (firstMismatches) {
            if (firstMismatches.size() < 5) {
              firstMismatches.add(
                  db
                      + " after the failover: "
                      + login.role()
                      + " saw "
                      + rs.getString(1)
                      + "/"
                      + rs.getString(2));
            }
          }
          return "ran as " + rs.getString(1) + "/" + rs.getString(2);
        }
        if (rs.getInt(3) != newPrimaryPort || rs.getBoolean(4)) {
          return "served by port " + rs.getInt(3) + ", in recovery " + rs.getBoolean(4);
        }
        return null;
      } catch (UserboundException | SQLException e) {
        failed(e.getClass().getSimpleName());
        return e.toString();
      }
    }

    private void terminateSome() {
      primary.execute(
          "postgres",
          "select pg_terminate_backend(pid) from (select pid from pg_stat_activity where"
              + " application_name like 'soak-%' and pid <> pg_backend_pid() order by random()"
              + " limit 10) v");
    }

    private void quiet() {
      LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(2)); // load and churn run meanwhile
    }

    // ---- sampling -----------------------------------------------------------------------

    private void sample() {
      while (!stop.get()) {
        try {
          int n = (int) (appBackends("soak-dedicated") + appBackends("soak-switching"));
          maxBackends.accumulateAndGet(n, Math::max);
          Fault f = current;
          if (f != null) {
            f.maxBackends = Math.max(f.maxBackends, n);
          }
        } catch (RuntimeException e) {
          // the server is down (a fault): nothing to count
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // sampling period
      }
    }

    private long appBackends(String applicationName) {
      try (Connection c = primary.adminConnection("postgres");
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "select count(*) from pg_stat_activity where application_name = '"
                      + applicationName
                      + "'")) {
        rs.next();
        return rs.getLong(1);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    private String secret() {
      // One length for every secret made here: the log scan looks up each length once.
      return String.format(Locale.ROOT, "pw-%016x%016x", random.nextLong(), random.nextLong());
    }
  }

  private static Map<String, Long> toLongs(Map<String, AtomicLong> m) {
    Map<String, Long> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  @SuppressWarnings("unchecked")
  static String markdown(Map<String, Object> r) {
    StringBuilder md = new StringBuilder("# Soak report\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "PostgreSQL %s; the ROLE_SWITCHING gateway was a member of %s roles at the start (%s"
                + " of them extra, created and granted in %.1f s).%n%n",
            r.get("serverVersion"),
            r.get("gatewayMembersAtStart"),
            r.get("extraGatewayMembers"),
            ((Number) r.get("membersSetupSeconds")).doubleValue()));
    md.append(
        String.format(
            Locale.ROOT,
            "%,d borrows checked on %s threads in %.0f s (%,.0f per second), %s people (Zipf"
                + " exponent %s; %s created and %s dropped during the run), budget %s per database:"
                + " **%d mismatches**, %d state-changing requests, longest borrow %.0f ms, %s stuck"
                + " threads, %d untyped failures; %,d log lines scanned for %s passwords: %d"
                + " hits.%n%n",
            ((Number) r.get("borrowsChecked")).longValue(),
            r.get("threads"),
            ((Number) r.get("seconds")).doubleValue(),
            ((Number) r.get("borrowsPerSecond")).doubleValue(),
            r.get("people"),
            r.get("zipfExponent"),
            r.get("peopleCreatedDuringTheRun"),
            r.get("peopleDroppedDuringTheRun"),
            r.get("budgetPerDatabase"),
            ((Number) r.get("mismatches")).longValue(),
            ((Number) r.get("stateChangingRequests")).longValue(),
            ((Number) r.get("longestBorrowMillis")).doubleValue(),
            r.get("stuckThreads"),
            ((Number) r.get("untypedFailures")).longValue(),
            ((Number) r.get("logLinesScanned")).longValue(),
            r.get("passwordsScannedFor"),
            ((Number) r.get("logLinesWithAPassword")).longValue()));
    md.append("| database | checked borrows | per second | mean | p50 | p99 | longest |\n")
        .append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (Map.Entry<String, Object> e :
        ((Map<String, Object>) r.get("checkedBorrowsByDatabase")).entrySet()) {
      Map<String, Object> t = (Map<String, Object>) e.getValue();
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %,d | %,.0f | %.2f ms | %.2f ms | %.2f ms | %.0f ms |%n",
              e.getKey(),
              ((Number) t.get("borrows")).longValue(),
              ((Number) t.get("borrowsPerSecond")).doubleValue(),
              ((Number) t.get("meanMillis")).doubleValue(),
              ((Number) t.get("p50Millis")).doubleValue(),
              ((Number) t.get("p99Millis")).doubleValue(),
              ((Number) t.get("longestMillis")).doubleValue()));
    }
    md.append("\n(p50 and p99: upper bounds of histogram buckets, at most 9 % high.)\n\n");
    md.append("| fault | requests failed (all typed) | recovery after the cause ended |")
        .append(" threads stuck | most backends (limit ")
        .append(r.get("backendLimit"))
        .append(") |\n| --- | ---: | ---: | ---: | ---: |\n");
    for (Map<String, Object> f : (List<Map<String, Object>>) r.get("faults")) {
      double ms = ((Number) f.get("recoveryMillis")).doubleValue();
      md.append("| ")
          .append(f.get("fault"))
          .append(" | ")
          .append(f.get("failedRequests"))
          .append(" | ")
          .append(ms < 0 ? "none in 30 s" : String.format(Locale.ROOT, "%.0f ms", ms))
          .append(" | ")
          .append(f.get("stuckThreads"))
          .append(" | ")
          .append(f.get("maxBackends"))
          .append(" |\n");
    }
    for (Map<String, Object> f : (List<Map<String, Object>>) r.get("faults")) {
      if (f.containsKey("crashToPromotedMillis")) {
        md.append(
            String.format(
                Locale.ROOT,
                "%nFailover: the standby was promoted %.0f ms after the crash began; the first"
                    + " checked borrow on the new primary came %.0f ms after it, both databases"
                    + " served there after %.0f ms. Then %s logged-in people borrowed on both"
                    + " databases with the logins they had: %s failed, %s needed a second try."
                    + " Borrows served by a standby: %s. Churn on the new primary: %s.%n",
                ((Number) f.get("crashToPromotedMillis")).doubleValue(),
                ((Number) f.get("crashToFirstBorrowOnNewPrimaryMillis")).doubleValue(),
                ((Number) f.get("recoveryMillis")).doubleValue(),
                f.get("peopleCheckedAfter"),
                f.get("peopleFailed"),
                f.get("peopleWhoNeededARetry"),
                r.get("borrowsServedByAStandby"),
                r.get("churnOnTheNewPrimary")));
      }
    }
    md.append("\nFailures by type (whole run): ")
        .append(r.get("failuresByType"))
        .append("\n\nChurn: ")
        .append(r.get("churn"))
        .append("\n\nChurn steps that failed (the first few): ")
        .append(r.get("churnFailures"))
        .append("\n\nPermits at the end: ")
        .append(r.get("permits"))
        .append("\n\nDatabase figures at the end: ")
        .append(r.get("stats"))
        .append("\n\nMost backends at once (whole run): ")
        .append(r.get("maxBackends"))
        .append("\n\nProblems: ")
        .append(r.get("problems"))
        .append('\n');
    return md.toString();
  }
}
