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
 * commons-dbcp2's PerUserPoolDataSource over pgjdbc's ConnectionPoolDataSource, one pool per
 * person.
 *
 * No 10,000 people: DBCP2 has no cap across users, so every person keeps an idle connection
 * open and 10,000 people need 10,000 server backends, far above any max_connections this
 * 2-core machine can run. Not measured, not faked.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
public class Dbcp2Benchmark {

  /** N people through the peer's per-user pools. */
  @State(Scope.Benchmark)
  public static class People extends PerUserDataSource {
    @Override
    DataSource create() {
      return Pools.dbcp2(fixture, validate);
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
