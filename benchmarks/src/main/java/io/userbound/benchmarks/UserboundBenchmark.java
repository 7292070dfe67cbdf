package io.userbound.benchmarks;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.userbound.benchmarks.entities.Item;
import io.userbound.core.Binding;
import io.userbound.core.Login;
import io.userbound.core.SessionReset;
import io.userbound.core.Userbound;
import io.userbound.hibernate.EntityMapping;
import io.userbound.hibernate.UnitOfWork;
import io.userbound.hibernate.UserboundHibernate;
import io.userbound.micrometer.UserboundMetrics;
import io.userbound.testkit.PgBouncer;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/*
 * Userbound: N logged-in people taking turns; a request binds the person's login, takes a
 * connection from the person's pool, does the work and hands it back. Default settings but for
 * the budget (see Pools.userbound) and the session reset, which is a parameter: TRACKED (the
 * default), DISCARD_ALL, NONE.
 *
 * Up to 1,000 people every person keeps one idle connection. 10,000 people do not fit in the
 * server: the budget (300 of max_connections 400) makes Userbound close the least recently
 * used person's idle connection for almost every request, and each request then opens a new
 * physical connection. That case measures LRU reclaim plus a SCRAM login, not a warm pool.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
public class UserboundBenchmark {

  /** N people logged in to Userbound, each with a dedicated pool. */
  @State(Scope.Benchmark)
  public static class People extends Contender {
    /** What Userbound does to a connection's session when it is handed back. */
    @Param({"TRACKED"})
    public SessionReset reset;

    /** Whether binding-micrometer's meters are bound (to a Prometheus registry). */
    @Param({"false"})
    public boolean metrics;

    /**
     * How connections reach the server: {@code direct}, or {@code pgbouncer} (a PgBouncer
     * 1.18 in session mode in front of it, started by the test kit).
     */
    @Param({"direct"})
    public String via;

    /**
     * How the budget fits the people: {@code headroom} (the people, the threads' second
     * connections, and the permits the default reclaimAhead keeps free when demand asks), or
     * {@code near} (two permits free, fewer than the default reserve: the steady state near
     * the budget, on purpose).
     */
    @Param({"headroom"})
    public String budgetFit = "headroom";

    Userbound userbound;
    Login[] logins;
    private PgBouncer bouncer;

    @Override
    int maxConnections(int threadCount) {
      // Budget, plus the logins being verified at once (outside the budget), plus slack.
      return people > 1_000 ? 400 : budget(threadCount) + 40;
    }

    private int budget(int threadCount) {
      if (people > 1_000) {
        return 300;
      }
      return switch (budgetFit) {
        case "headroom" -> people + threadCount + 2 * Pools.MAX_PER_PERSON + RESERVE;
        case "near" -> people + 2;
        default ->
            throw new IllegalArgumentException(
                "budgetFit = " + budgetFit + ": use headroom or near");
      };
    }

    /** The most permits DatabaseConfig's default reclaimAhead keeps free. */
    private static final int RESERVE = 8;

    @Override
    void open() {
      String url = fixture.url;
      if ("pgbouncer".equals(via)) {
        bouncer = PgBouncer.start(fixture.server, PgBouncer.PoolMode.SESSION);
        url = bouncer.jdbcUrl(Fixture.DATABASE);
      } else if (via != null && !"direct".equals(via)) {
        throw new IllegalArgumentException("via must be direct or pgbouncer, not " + via);
      }
      userbound = Pools.userbound(url, budget(threads), reset);
      if (metrics) {
        new UserboundMetrics(userbound)
            .bindTo(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
      }
      logins =
          Fixture.parallel(people, i -> userbound.login(fixture.people[i], fixture.password()))
              .toArray(new Login[0]);
    }

    @Override
    int request(int person, int thread, int row) throws SQLException {
      Binding binding = userbound.bind(logins[person]);
      try (Connection c = userbound.connection(Fixture.DATABASE)) {
        return request.run(c, row);
      } finally {
        binding.close();
      }
    }

    @Override
    void close() {
      if (userbound != null) {
        System.out.println(
            "userbound stats: "
                + userbound.stats(Fixture.DATABASE)
                + ", live threads in this JVM: "
                + ManagementFactory.getThreadMXBean().getThreadCount());
        userbound.close();
      }
      if (bouncer != null) {
        bouncer.close();
      }
    }
  }

  /** The same people with binding-hibernate on top: a request is a unit of work. */
  @State(Scope.Benchmark)
  public static class HibernatePeople extends People {
    UserboundHibernate hibernate;

    @Override
    void open() {
      super.open();
      hibernate =
          UserboundHibernate.builder(
                  userbound,
                  EntityMapping.builder()
                      .map(Item.class.getPackageName(), Fixture.DATABASE)
                      .build())
              .build();
    }

    @Override
    int request(int person, int thread, int row) {
      Binding binding = userbound.bind(logins[person]);
      try (UnitOfWork work = hibernate.openUnitOfWork()) {
        return Work.hibernate(work.of(Item.class), row);
      } finally {
        binding.close();
      }
    }

    @Override
    void close() {
      if (hibernate != null) {
        hibernate.close();
      }
      super.close();
    }
  }

  /**
   * A request of the next person: bind the login, get a connection, do the work, hand back.
   *
   * @param s the people
   * @param cursor this thread
   * @return the work's result
   * @throws SQLException never expected
   */
  @Benchmark
  public int request(People s, Cursor cursor) throws SQLException {
    return s.request(s.person(cursor), cursor.thread(), cursor.row());
  }

  /**
   * Bind, get a connection, hand back, no query: Userbound's own cost. With TRACKED (or NONE)
   * the hand-back of an untouched connection is no round trip; with DISCARD_ALL it is one.
   *
   * @param s the people
   * @param cursor this thread
   * @param bh keeps the connection alive
   * @throws SQLException never expected
   */
  @Benchmark
  public void borrow(People s, Cursor cursor, Blackhole bh) throws SQLException {
    Binding binding = s.userbound.bind(s.logins[s.person(cursor)]);
    try (Connection c = s.userbound.connection(Fixture.DATABASE)) {
      bh.consume(c);
    } finally {
      binding.close();
    }
  }

  /**
   * A Hibernate unit of work of the next person: two queries through binding-hibernate.
   *
   * @param s the people and binding-hibernate
   * @param cursor this thread
   * @return the work's result
   */
  @Benchmark
  public int hibernate(HibernatePeople s, Cursor cursor) {
    return s.request(s.person(cursor), cursor.thread(), cursor.row());
  }
}
