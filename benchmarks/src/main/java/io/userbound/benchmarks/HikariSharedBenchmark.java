package io.userbound.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/*
 * One warm HikariCP pool logged in as one role: what a plain application with one database
 * account pays. The people parameter is not used (run it with the default).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
public class HikariSharedBenchmark {

  /** One full pool, as person 0. */
  @State(Scope.Benchmark)
  public static class SharedPool extends Contender {
    HikariDataSource pool;

    @Override
    void open() {
      int size = Math.max(Pools.MAX_PER_PERSON, threads);
      pool = Pools.hikari(fixture, fixture.people[0], size, size, null);
    }

    @Override
    int request(int person, int thread, int row) throws SQLException {
      try (Connection c = pool.getConnection()) {
        return request.run(c, row);
      }
    }

    @Override
    void close() {
      if (pool != null) {
        pool.close();
      }
    }
  }

  /**
   * Borrow from the shared pool, do the work, hand back.
   *
   * @param s the pool
   * @param cursor this thread
   * @return the work's result
   * @throws SQLException never expected
   */
  @Benchmark
  public int request(SharedPool s, Cursor cursor) throws SQLException {
    return s.request(0, cursor.thread(), cursor.row());
  }

  /**
   * Borrow from the shared pool and hand back, no query: HikariCP's own cost.
   *
   * @param s the pool
   * @param bh keeps the connection alive
   * @throws SQLException never expected
   */
  @Benchmark
  public void borrow(SharedPool s, Blackhole bh) throws SQLException {
    try (Connection c = s.pool.getConnection()) {
      bh.consume(c);
    }
  }
}
