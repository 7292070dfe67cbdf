package io.userbound.benchmarks;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
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
 * c3p0's ComboPooledDataSource.getConnection(user, password), one pool per person.
 *
 * c3p0 hands connections back asynchronously (a borrow right after a return may wait for
 * it) and keeps at least one connection per person (minPoolSize 1) with no cap across users:
 * no 10,000 people, as for DBCP2.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
public class C3p0Benchmark {

  /** N people through the peer's per-user pools. */
  @State(Scope.Benchmark)
  public static class People extends PerUserDataSource {
    @Override
    DataSource create() {
      return Pools.c3p0(fixture, validate);
    }
  }

  /**
   * A request of the next person.
   *
   * @param s the pools
   * @param cursor this thread
   * @return the work's result
   * @throws SQLException never expected
   */
  @Benchmark
  public int request(People s, Cursor cursor) throws SQLException {
    return s.request(s.person(cursor), cursor.thread(), cursor.row());
  }

  /**
   * Borrow and hand back, no query.
   *
   * @param s the pools
   * @param cursor this thread
   * @param bh keeps the connection alive
   * @throws SQLException never expected
   */
  @Benchmark
  public void borrow(People s, Cursor cursor, Blackhole bh) throws SQLException {
    try (Connection c =
        s.pool.getConnection(s.fixture.people[s.person(cursor)], Fixture.PASSWORD)) {
      bh.consume(c);
    }
  }
}
