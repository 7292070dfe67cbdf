package io.userbound.benchmarks;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * What every contender's JMH state shares: the parameters, the server (a {@link Fixture} per
 * trial), the validation setting, a warm-up in which every person makes one request, and
 * which person takes the next turn. A subclass builds its pools in {@link #open()}, serves one
 * request in {@link #request(int, int, int)} and closes its pools in {@link #close()}.
 *
 * <p>The same states run outside JMH in {@link Interleaved}, on a server they share.
 * Setup and tear-down run on one thread; {@link #request(int, int, int)} and
 * {@link #person(Cursor)} on any number of threads at once.
 */
@State(Scope.Benchmark)
public abstract class Contender {

  /** Logged-in people taking turns (for the control: open connections, one per person). */
  @Param({"100"})
  public int people;

  /**
   * What a request does with its connection: {@code select1}, {@code pk} or {@code write} (see
   * {@link Work}).
   */
  @Param({"select1"})
  public String work;

  /**
   * When people come back: {@code soon} or {@code later}, and so whether pools validate (see {@link
   * Pools}).
   */
  @Param({"soon"})
  public String comeBack;

  /**
   * Network round trip added in µs: 0 is loopback; more puts a delaying {@code TcpProxy} in
   * between.
   */
  @Param({"0"})
  public int rtt;

  /**
   * How people take turns. {@code own}: each thread round-robin over its own share (see
   * {@link Cursor}); a person is always served by the same thread. {@code shared}: one
   * round-robin counter for all threads, so a person's consecutive requests come from different
   * threads. {@code random}: a random person per request, as real traffic; now and then two
   * threads want the same person at once and a pool opens a second connection.
   */
  @Param({"own"})
  public String access;

  Fixture fixture;
  Work request;

  /** Whether pools validate connections on every borrow ({@code comeBack = later}). */
  boolean validate;

  int threads;

  private boolean ownsFixture;
  private int mode;
  private final AtomicInteger turn = new AtomicInteger();

  /**
   * Starts this trial's server and the contender, and warms every person up.
   *
   * @param params JMH's parameters (for the thread count)
   * @throws Exception if the server or the contender cannot start
   */
  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) throws Exception {
    int t = params.getThreads();
    String[] name = params.getBenchmark().split("\\."); // ...UserboundBenchmark.request
    Fixture f =
        Fixture.start(
            name[name.length - 2].replace("Benchmark", "") + "-" + people,
            maxConnections(t),
            people,
            Duration.ofNanos(rtt * 500L));
    start(f, true, t);
  }

  /** Starts on a server; closes it at the end if {@code owns}. */
  final void start(Fixture f, boolean owns, int threadCount) throws Exception {
    fixture = f;
    ownsFixture = owns;
    threads = threadCount;
    request = Work.of(work);
    mode =
        switch (access) {
          case "own" -> 0;
          case "shared" -> 1;
          case "random" -> 2;
          default ->
              throw new IllegalArgumentException(
                  "access = " + access + ": use own, shared or random");
        };
    validate = Pools.validateOnBorrow(comeBack);
    try {
      open();
      // Every person once, so that what is measured is the warm case: pools filled, pgjdbc's
      // and the server's per-connection caches warm.
      int n = Math.max(people, threads);
      Fixture.parallel(
          n,
          i -> {
            try {
              return request(i % people, i % threads, 1 + i % Fixture.ROWS);
            } catch (SQLException e) {
              throw new IllegalStateException("warm-up request " + i + " failed", e);
            }
          });
    } catch (Exception e) {
      tearDown();
      throw e;
    }
    if (!owns) {
      // On a shared server (Interleaved) the next contender in this JVM must start from the
      // default.
      Pools.defaultValidation();
    }
  }

  /** Closes the contender and, if this state started it, the server. */
  @TearDown(Level.Trial)
  public void tearDown() {
    try {
      close();
    } catch (Exception e) {
      System.err.println(getClass().getName() + ": close failed: " + e);
    } finally {
      Pools.defaultValidation();
      if (ownsFixture && fixture != null) {
        fixture.close();
      }
    }
  }

  /**
   * The person whose turn it is on the calling thread, in {@code [0, people)}.
   *
   * @param cursor the calling thread's cursor
   * @return the person's index
   */
  final int person(Cursor cursor) {
    return switch (mode) {
      case 0 -> cursor.next(people);
      case 1 -> Math.floorMod(turn.getAndIncrement(), people);
      default -> ThreadLocalRandom.current().nextInt(people);
    };
  }

  /** The server's max_connections this contender needs on {@code threads} threads. */
  int maxConnections(int threadCount) {
    return Math.max(people, threadCount) * Pools.MAX_PER_PERSON + 40;
  }

  /** Builds the contender's pools (or connections); the fixture and parameters are set. */
  abstract void open() throws Exception;

  /**
   * One request of a person: get a connection, do {@link #request}'s work, give it back.
   *
   * @param person the person's index
   * @param thread the calling thread's index (for per-thread resources)
   * @param row the item row to use
   * @return the work's result
   * @throws SQLException if the request fails
   */
  abstract int request(int person, int thread, int row) throws SQLException;

  /** Closes what {@link #open()} built. */
  abstract void close() throws Exception;
}
