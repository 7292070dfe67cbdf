package io.userbound.benchmarks;

import com.mchange.v2.c3p0.ComboPooledDataSource;
import io.userbound.core.Login;
import io.userbound.core.SessionReset;
import io.userbound.core.Userbound;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

/*
 * First logins: 100 people who have no pool yet log in at once, on 2 or 8 threads, and each
 * runs a first request ("select 1"). One operation = all 100, so the score is the wall time of
 * the burst; divide by 100 for one person's share.
 *
 * What "log in" means per library (the same work: a SCRAM login, a new pool, one query):
 *   userbound  Userbound.login(role, password), then connection(login, db), query, close
 *   dbcp2      PerUserPoolDataSource.getConnection(role, password), query, close
 *   c3p0       ComboPooledDataSource.getConnection(role, password), query, close
 *
 * Each iteration gets a fresh library instance (so the people are new to it) and waits until
 * the previous instance's backends are gone from the server.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3)
@Measurement(iterations = 10)
@State(Scope.Benchmark)
public class FirstLoginBenchmark {

  static final int PEOPLE = 100;

  /** The library under test. */
  @Param({"userbound", "dbcp2", "c3p0"})
  public String library;

  /** How many threads log the 100 people in concurrently. */
  @Param({"2", "8"})
  public int loginThreads;

  private Fixture fixture;
  private ExecutorService threads;
  private Userbound userbound;
  private PerUserPoolDataSource dbcp2;
  private ComboPooledDataSource c3p0;

  /** Starts the server and the login threads. */
  @Setup(Level.Trial)
  public void startServer() {
    fixture = Fixture.start("logins-" + library, 3 * PEOPLE + 20, PEOPLE);
    threads = Executors.newFixedThreadPool(loginThreads);
  }

  /** A new library instance, to which all 100 people are new. */
  @Setup(Level.Iteration)
  public void newLibrary() {
    switch (library) {
      case "userbound" -> userbound = Pools.userbound(fixture, 2 * PEOPLE, SessionReset.TRACKED);
      case "dbcp2" -> dbcp2 = Pools.dbcp2(fixture, false);
      case "c3p0" -> c3p0 = Pools.c3p0(fixture, false);
      default ->
          throw new IllegalArgumentException(
              "library = " + library + ": use userbound, dbcp2 or c3p0");
    }
  }

  /**
   * Logs the 100 people in concurrently and runs each one's first request.
   *
   * @return the sum of the query results (100)
   * @throws Exception if a login fails
   */
  @Benchmark
  public int firstLogins() throws Exception {
    List<Callable<Integer>> logins = new ArrayList<>(PEOPLE);
    for (int i = 0; i < PEOPLE; i++) {
      String role = fixture.people[i];
      logins.add(() -> firstRequest(role));
    }
    int sum = 0;
    try {
      for (Future<Integer> f : threads.invokeAll(logins)) {
        sum += f.get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("a first login failed: " + e.getCause(), e.getCause());
    }
    return sum;
  }

  private int firstRequest(String role) throws SQLException {
    switch (library) {
      case "userbound" -> {
        Login login = userbound.login(role, fixture.password());
        try (Connection c = userbound.connection(login, Fixture.DATABASE)) {
          return Work.select1(c);
        }
      }
      case "dbcp2" -> {
        try (Connection c = dbcp2.getConnection(role, Fixture.PASSWORD)) {
          return Work.select1(c);
        }
      }
      default -> {
        try (Connection c = c3p0.getConnection(role, Fixture.PASSWORD)) {
          return Work.select1(c);
        }
      }
    }
  }

  /**
   * Closes the library instance and waits until its backends have left the server.
   *
   * @throws Exception if closing fails
   */
  @TearDown(Level.Iteration)
  public void closeLibrary() throws Exception {
    if (userbound != null) {
      userbound.close();
      userbound = null;
    }
    if (dbcp2 != null) {
      dbcp2.close();
      dbcp2 = null;
    }
    if (c3p0 != null) {
      c3p0.close();
      c3p0 = null;
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (fixture.server.backends().stream().anyMatch(b -> b.user().startsWith("p"))
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  /** Stops the threads and the server. */
  @TearDown(Level.Trial)
  public void stopServer() {
    if (threads != null) {
      threads.shutdownNow();
    }
    if (fixture != null) {
      fixture.close();
    }
  }
}
