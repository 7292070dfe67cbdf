package io.userbound.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
 * A plain map of HikariCP pools, one per person, looked up by role name: what Userbound builds
 * on, without Userbound (no budget, no login check, no lease counting, no session reset). All
 * pools share one housekeeping executor, as any sane hand-made version would.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
public class HikariMapBenchmark {

  /** N people, each with a plain HikariCP pool in a map. */
  @State(Scope.Benchmark)
  public static class PoolMap extends Contender {
    ScheduledExecutorService housekeeper;
    Map<String, HikariDataSource> pools;

    @Override
    void open() {
      housekeeper = Executors.newSingleThreadScheduledExecutor();
      pools = new ConcurrentHashMap<>();
      Fixture.parallel(
          people,
          i ->
              pools.put(
                  fixture.people[i],
                  Pools.hikari(fixture, fixture.people[i], Pools.MAX_PER_PERSON, 0, housekeeper)));
    }

    @Override
    int request(int person, int thread, int row) throws SQLException {
      try (Connection c = pools.get(fixture.people[person]).getConnection()) {
        return request.run(c, row);
      }
    }

    @Override
    void close() {
      if (pools != null) {
        pools.values().forEach(HikariDataSource::close);
      }
      if (housekeeper != null) {
        housekeeper.shutdownNow();
      }
    }
  }

  /**
   * A request of the next person through the map.
   *
   * @param s the pools
   * @param cursor this thread
   * @return the work's result
   * @throws SQLException never expected
   */
  @Benchmark
  public int request(PoolMap s, Cursor cursor) throws SQLException {
    return s.request(s.person(cursor), cursor.thread(), cursor.row());
  }

  /**
   * Borrow and hand back through the map, no query: Userbound's base cost.
   *
   * @param s the pools
   * @param cursor this thread
   * @param bh keeps the connection alive
   * @throws SQLException never expected
   */
  @Benchmark
  public void borrow(PoolMap s, Cursor cursor, Blackhole bh) throws SQLException {
    try (Connection c = s.pools.get(s.fixture.people[s.person(cursor)]).getConnection()) {
      bh.consume(c);
    }
  }
}
