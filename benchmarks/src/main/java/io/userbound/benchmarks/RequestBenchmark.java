package io.userbound.benchmarks;

import com.mchange.v2.c3p0.ComboPooledDataSource;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.userbound.core.Binding;
import io.userbound.core.Login;
import io.userbound.core.SessionReset;
import io.userbound.core.Userbound;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.commons.dbcp2.datasources.PerUserPoolDataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;

/*
 * One operation = get a connection for a person, run "select 1", give the connection back.
 *
 * Contenders (each state starts its own PostgreSQL server for the trial):
 *   floor              each thread runs the query on its own already-open connection
 *   openConnections    the same over N already-open connections, round-robin, no pool: the
 *                      fair floor for N people (N distinct server backends cost more than one)
 *   hikariShared       one warm HikariCP pool, one role: a plain application's cost
 *   userbound          N logged-in people taking turns, Userbound dedicated pools
 *   hikariMap          the same N people through a plain map of HikariCP pools (Userbound's
 *                      base, without Userbound)
 *   dbcp2, c3p0        the same N people through the peers' per-user pools
 *   naivePerRequest    build a HikariCP pool with the person's credentials, use it once, close
 *   newConnection      a new physical connection per request (pgjdbc Driver)
 * and the *Borrow variants, which borrow and return without a query (the library's own cost).
 *
 * People take turns round-robin over each thread's own share (see Cursor). The launcher
 * (Main) decides which combinations of parameters and threads run; the defaults below are the
 * full matrix at 2 threads, which is the machine's core count.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RequestBenchmark {

  // ---------------------------------------------------------------- controls

  /** Each benchmark thread has its own open connection. */
  @State(Scope.Benchmark)
  public static class Floor {
    Fixture fixture;
    Connection[] connections;

    /**
     * Starts the server and opens one connection per benchmark thread.
     *
     * @param params JMH's parameters (for the thread count)
     */
    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
      fixture = Fixture.start("floor", params.getThreads() + 20, 1);
      connections = new Connection[params.getThreads()];
      for (int t = 0; t < connections.length; t++) {
        try {
          connections[t] = fixture.open(fixture.people[0]);
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      }
    }

    /** Closes the connections and the server. */
    @TearDown(Level.Trial)
    public void tearDown() {
      Fixture.closeAll(connections);
      if (fixture != null) {
        fixture.close();
      }
    }
  }

  /** N already-open connections, one per person, no pool. */
  @State(Scope.Benchmark)
  public static class OpenConnections {
    /** How many open connections (and so server backends) the threads go round. */
    @Param({"100", "1000"})
    public int connections;

    Fixture fixture;
    Connection[] open;

    /** Starts the server and opens the connections. */
    @Setup(Level.Trial)
    public void setUp() {
      fixture = Fixture.start("open-" + connections, connections + 20, connections);
      open = fixture.openMany(connections);
    }

    /** Closes the connections and the server. */
    @TearDown(Level.Trial)
    public void tearDown() {
      Fixture.closeAll(open);
      if (fixture != null) {
        fixture.close();
      }
    }
  }

  /**
   * The query on the thread's own open connection: the floor.
   *
   * @param s the connections
   * @param cursor this thread
   * @return the query's result
   * @throws SQLException never expected
   */
  @Benchmark
  public int floor(Floor s, Cursor cursor) throws SQLException {
    return Pools.query(s.connections[cursor.thread()]);
  }

  /**
   * The query on the next of N open connections, round-robin.
   *
   * @param s the connections
   * @param cursor this thread
   * @param access how people take turns
   * @return the query's result
   * @throws SQLException never expected
   */
  @Benchmark
  public int openConnections(OpenConnections s, Cursor cursor, Cursor.Access access) throws SQLException {
    return Pools.query(s.open[cursor.next(access, s.connections)]);
  }

  // ---------------------------------------------------------------- one shared HikariCP pool

  /** One warm HikariCP pool logged in as one role. */
  @State(Scope.Benchmark)
  public static class HikariShared {
    Fixture fixture;
    HikariDataSource pool;

    /**
     * Starts the server and a full pool.
     *
     * @param params JMH's parameters (for the thread count)
     */
    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
      int size = Math.max(Pools.MAX_PER_PERSON, params.getThreads());
      fixture = Fixture.start("hikari", size + 20, 1);
      pool = Pools.hikari(fixture, fixture.people[0], size, "hikari-shared");
    }

    /** Closes the pool and the server. */
    @TearDown(Level.Trial)
    public void tearDown() {
      if (pool != null) {
        pool.close();
      }
      if (fixture != null) {
        fixture.close();
      }
    }
  }

  /**
   * Borrow from the shared pool, query, return.
   *
   * @param s the pool
   * @return the query's result
   * @throws SQLException never expected
   */
  @Benchmark
  public int hikariShared(HikariShared s) throws SQLException {
    try (Connection c = s.pool.getConnection()) {
      return Pools.query(c);
    }
  }

  /**
   * Borrow from the shared pool and return, no query: HikariCP's own cost.
   *
   * @param s the pool
   * @param bh keeps the connection alive
   * @throws SQLException never expected
   */
  @Benchmark
  public void hikariSharedBorrow(HikariShared s, Blackhole bh) throws SQLException {
    try (Connection c = s.pool.getConnection()) {
      bh.consume(c);
    }
  }

  // ---------------------------------------------------------------- Userbound

  /** N people logged in to Userbound, each with a dedicated pool. */
  @State(Scope.Benchmark)
  public static class UserboundPeople {
    /** Logged-in people taking turns. */
    @Param({"1", "100", "1000", "10000"})
    public int people;

    /** What Userbound does to a connection's session when it is handed back. */
    @Param({"DISCARD_ALL", "NONE"})
    public SessionReset reset;

    /**
     * When people come back. {@code soon}: within milliseconds, as round-robin in a benchmark
     * does. {@code later}: after more than 500 ms, as people of a web application do, which
     * makes HikariCP check the connection with an extra round trip before lending it
     * (com.zaxxer.hikari.aliveBypassWindowMs, default 500; set to 0 here for this trial's fork).
     */
    @Param({"soon"})
    public String comeBack;

    /**
     * Userbound's budget. {@code auto}: one connection per person plus slack up to 1,000
     * people; 300 (server max_connections 400) for more. A number: that budget, with
     * max_connections 100 above it.
     */
    @Param({"auto"})
    public String budget;

    Fixture fixture;
    Userbound userbound;
    Login[] logins;

    /** Starts the server, creates the people and logs every one of them in. */
    @Setup(Level.Trial)
    public void setUp() {
      // Up to 1,000 people every person keeps one idle connection. 10,000 people do not fit
      // in max_connections: the budget (300 of 400) forces Userbound to close the least
      // recently used person's idle connection for almost every request, and each request
      // then opens a new physical connection. That case measures LRU reclaim, not a warm pool.
      int cap;
      int maxConnections;
      if (budget.equals("auto")) {
        cap = people > 1_000 ? 300 : people + 2 * Pools.MAX_PER_PERSON;
        maxConnections = people > 1_000 ? 400 : cap + 20;
      } else {
        cap = Integer.parseInt(budget);
        maxConnections = cap + 100;
      }
      fixture = Fixture.start("userbound-" + people, maxConnections, people);
      switch (comeBack) {
        case "soon" -> { }
        case "later" -> System.setProperty("com.zaxxer.hikari.aliveBypassWindowMs", "0");
        default -> throw new IllegalArgumentException("comeBack = " + comeBack + ": use soon or later");
      }
      userbound = Pools.userbound(fixture, cap, reset);
      logins = Fixture.parallel(people, i -> userbound.login(fixture.people[i], fixture.password()))
          .toArray(new Login[0]);
    }

    /** Prints Userbound's counters (reclaims, logins), then closes Userbound and the server. */
    @TearDown(Level.Trial)
    public void tearDown() {
      if (userbound != null) {
        System.out.println("userbound stats: " + userbound.stats(Fixture.DATABASE) + ", live threads in this JVM: "
            + java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount());
        userbound.close();
      }
      if (fixture != null) {
        fixture.close();
      }
    }
  }

  /**
   * A request of the next person: bind the login, get a connection, query, hand back.
   *
   * @param s the people
   * @param cursor this thread
   * @param access how people take turns
   * @return the query's result
   * @throws SQLException never expected
   */
  @Benchmark
  public int userbound(UserboundPeople s, Cursor cursor, Cursor.Access access) throws SQLException {
    Login login = s.logins[cursor.next(access, s.people)];
    Binding binding = s.userbound.bind(login);
    try (Connection c = s.userbound.connection(Fixture.DATABASE)) {
      return Pools.query(c);
    } finally {
      binding.close();
    }
  }

  /**
   * Bind, get a connection, hand back, no query. Run it with {@code reset=NONE}: with
   * DISCARD_ALL the hand-back itself is a round trip.
   *
   * @param s the people
   * @param cursor this thread
   * @param bh keeps the connection alive
   * @throws SQLException never expected
   */
  @Benchmark
  public void userboundBorrow(UserboundPeople s, Cursor cursor, Blackhole bh) throws SQLException {
    Login login = s.logins[cursor.next(s.people)];
    Binding binding = s.userbound.bind(login);
    try (Connection c = s.userbound.connection(Fixture.DATABASE)) {
      bh.consume(c);
    } finally {
      binding.close();
    }
  }

  // ---------------------------------------------------------------- a plain map of HikariCP pools

  /**
   * N people, each with a plain HikariCP pool in a map: what Userbound builds on, without
   * Userbound (no budget, no fingerprint, no lease counting, no session reset). All pools share
   * one housekeeping executor, as they would in any sane hand-made version.
   */
  @State(Scope.Benchmark)
  public static class HikariMap {
    /** Logged-in people taking turns. */
    @Param({"100"})
    public int people;

    Fixture fixture;
    ScheduledExecutorService housekeeper;
    Map<String, HikariDataSource> pools;

    /** Starts the server and one warm pool per person. */
    @Setup(Level.Trial)
    public void setUp() {
      fixture = Fixture.start("hikari-map-" + people, 2 * people + 2 * Pools.MAX_PER_PERSON + 20, people);
      housekeeper = Executors.newSingleThreadScheduledExecutor();
      pools = new ConcurrentHashMap<>();
      Fixture.parallel(people, i -> {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(fixture.url);
        hc.setUsername(fixture.people[i]);
        hc.setPassword(Fixture.PASSWORD);
        hc.setMaximumPoolSize(Pools.MAX_PER_PERSON);
        hc.setMinimumIdle(0);
        hc.setScheduledExecutor(housekeeper);
        HikariDataSource ds = new HikariDataSource(hc);
        pools.put(fixture.people[i], ds);
        try (Connection c = ds.getConnection()) {
          return Pools.query(c);
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      });
    }

    /** Closes the pools and the server. */
    @TearDown(Level.Trial)
    public void tearDown() {
      if (pools != null) {
        pools.values().forEach(HikariDataSource::close);
      }
      if (housekeeper != null) {
        housekeeper.shutdownNow();
      }
      if (fixture != null) {
        fixture.close();
      }
    }
  }

  /**
   * A request of the next person through a plain map of HikariCP pools.
   *
   * @param s the people
   * @param cursor this thread
   * @param access how people take turns
   * @return the query's result
   * @throws SQLException never expected
   */
  @Benchmark
  public int hikariMap(HikariMap s, Cursor cursor, Cursor.Access access) throws SQLException {
    try (Connection c = s.pools.get(s.fixture.people[cursor.next(access, s.people)]).getConnection()) {
      return Pools.query(c);
    }
  }

  /**
   * Borrow and return through a plain map of HikariCP pools, no query: Userbound's base cost.
   *
   * @param s the people
   * @param cursor this thread
   * @param bh keeps the connection alive
   * @throws SQLException never expected
   */
  @Benchmark
  public void hikariMapBorrow(HikariMap s, Cursor cursor, Blackhole bh) throws SQLException {
    try (Connection c = s.pools.get(s.fixture.people[cursor.next(s.people)]).getConnection()) {
      bh.consume(c);
    }
  }

  // ---------------------------------------------------------------- peers

  /**
   * N people through commons-dbcp2's PerUserPoolDataSource.
   *
   * <p>No 10,000: DBCP2 has no cap across users, so every person keeps an idle connection
   * open and 10,000 people need 10,000 server backends, far above any max_connections this
   * 2-core machine can run (we use 400 for Userbound's 10,000 case). Not measured, not faked.
   */
  @State(Scope.Benchmark)
  public static class Dbcp2People {
    /** Logged-in people taking turns (no 10,000: see the class comment). */
    @Param({"1", "100", "1000"})
    public int people;

    Fixture fixture;
    PerUserPoolDataSource pool;

    /** Starts the server and opens every person's pool with one connection. */
    @Setup(Level.Trial)
    public void setUp() {
      fixture = Fixture.start("dbcp2-" + people, 2 * people + 2 * Pools.MAX_PER_PERSON + 20, people);
      pool = Pools.dbcp2(fixture);
      Fixture.parallel(people, i -> {
        try (Connection c = pool.getConnection(fixture.people[i], Fixture.PASSWORD)) {
          return Pools.query(c);
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      });
    }

    /** Closes the pools and the server. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      if (pool != null) {
        pool.close();
      }
      if (fixture != null) {
        fixture.close();
      }
    }
  }

  /**
   * A request of the next person through DBCP2.
   *
   * @param s the people
   * @param cursor this thread
   * @param access how people take turns
   * @return the query's result
   * @throws SQLException never expected
   */
  @Benchmark
  public int dbcp2(Dbcp2People s, Cursor cursor, Cursor.Access access) throws SQLException {
    try (Connection c = s.pool.getConnection(s.fixture.people[cursor.next(access, s.people)], Fixture.PASSWORD)) {
      return Pools.query(c);
    }
  }

  /**
   * Borrow and return through DBCP2, no query.
   *
   * @param s the people
   * @param cursor this thread
   * @param bh keeps the connection alive
   * @throws SQLException never expected
   */
  @Benchmark
  public void dbcp2Borrow(Dbcp2People s, Cursor cursor, Blackhole bh) throws SQLException {
    try (Connection c = s.pool.getConnection(s.fixture.people[cursor.next(s.people)], Fixture.PASSWORD)) {
      bh.consume(c);
    }
  }

  /**
   * N people through c3p0's ComboPooledDataSource.getConnection(user, password).
   *
   * <p>No 10,000: like DBCP2, c3p0 keeps at least one connection per person (minPoolSize 1)
   * with no cap across users, so 10,000 people need at least 10,000 backends. Not measured,
   * not faked.
   */
  @State(Scope.Benchmark)
  public static class C3p0People {
    /** Logged-in people taking turns (no 10,000: see the class comment). */
    @Param({"1", "100", "1000"})
    public int people;

    Fixture fixture;
    ComboPooledDataSource pool;

    /** Starts the server and opens every person's pool. */
    @Setup(Level.Trial)
    public void setUp() {
      fixture = Fixture.start("c3p0-" + people, 2 * people + 2 * Pools.MAX_PER_PERSON + 20, people);
      pool = Pools.c3p0(fixture);
      Fixture.parallel(people, i -> {
        try (Connection c = pool.getConnection(fixture.people[i], Fixture.PASSWORD)) {
          return Pools.query(c);
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      });
    }

    /** Closes the pools and the server. */
    @TearDown(Level.Trial)
    public void tearDown() {
      if (pool != null) {
        pool.close();
      }
      if (fixture != null) {
        fixture.close();
      }
    }
  }

  /**
   * A request of the next person through c3p0.
   *
   * @param s the people
   * @param cursor this thread
   * @param access how people take turns
   * @return the query's result
   * @throws SQLException never expected
   */
  @Benchmark
  public int c3p0(C3p0People s, Cursor cursor, Cursor.Access access) throws SQLException {
    try (Connection c = s.pool.getConnection(s.fixture.people[cursor.next(access, s.people)], Fixture.PASSWORD)) {
      return Pools.query(c);
    }
  }

  /**
   * Borrow and return through c3p0, no query.
   *
   * @param s the people
   * @param cursor this thread
   * @param bh keeps the connection alive
   * @throws SQLException never expected
   */
  @Benchmark
  public void c3p0Borrow(C3p0People s, Cursor cursor, Blackhole bh) throws SQLException {
    try (Connection c = s.pool.getConnection(s.fixture.people[cursor.next(s.people)], Fixture.PASSWORD)) {
      bh.consume(c);
    }
  }

  // ---------------------------------------------------------------- without a warm pool

  /** 100 people for the per-request connection cases. */
  @State(Scope.Benchmark)
  public static class Cold {
    static final int PEOPLE = 100;
    Fixture fixture;

    /** Starts the server and creates the people. */
    @Setup(Level.Trial)
    public void setUp() {
      fixture = Fixture.start("cold", 60, PEOPLE);
    }

    /** Closes the server. */
    @TearDown(Level.Trial)
    public void tearDown() {
      if (fixture != null) {
        fixture.close();
      }
    }
  }

  /**
   * The naive way: a HikariCP pool built from the person's credentials for this request, used
   * once and closed. The pool is as small as it gets (one connection), so this is the
   * cheapest form of the naive way.
   *
   * @param s the people
   * @param cursor this thread
   * @return the query's result
   * @throws SQLException if the server refuses
   */
  @Benchmark
  public int naivePerRequest(Cold s, Cursor cursor) throws SQLException {
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(s.fixture.url);
    hc.setUsername(s.fixture.people[cursor.next(Cold.PEOPLE)]);
    hc.setPassword(Fixture.PASSWORD);
    hc.setMaximumPoolSize(1);
    try (HikariDataSource pool = new HikariDataSource(hc); Connection c = pool.getConnection()) {
      return Pools.query(c);
    }
  }

  /**
   * A new physical connection per request.
   *
   * @param s the people
   * @param cursor this thread
   * @return the query's result
   * @throws SQLException if the server refuses
   */
  @Benchmark
  public int newConnection(Cold s, Cursor cursor) throws SQLException {
    try (Connection c = s.fixture.open(s.fixture.people[cursor.next(Cold.PEOPLE)])) {
      return Pools.query(c);
    }
  }
}
