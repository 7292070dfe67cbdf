package io.userbound.benchmarks;

import com.zaxxer.hikari.HikariConfig;
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

/*
 * Without a warm pool: a new physical connection per request (pgjdbc's Driver), and the naive
 * way, a HikariCP pool built from the person's credentials for the request, used once and
 * closed (as small as it gets, one connection: the cheapest form of the naive way). Run with
 * 100 people.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
public class NaiveBenchmark {

  /** The people; no connection is kept open. */
  @State(Scope.Benchmark)
  public static class Cold extends Contender {
    @Override
    void open() {
      // nothing to open: every request connects
    }

    @Override
    int request(int person, int thread, int row) throws SQLException {
      try (Connection c = fixture.open(fixture.people[person])) {
        return request.run(c, row);
      }
    }

    @Override
    void close() {
      // nothing kept
    }
  }

  /**
   * A new physical connection per request.
   *
   * @param s the people
   * @param cursor this thread
   * @return the work's result
   * @throws SQLException if the server refuses
   */
  @Benchmark
  public int newConnection(Cold s, Cursor cursor) throws SQLException {
    return s.request(s.person(cursor), cursor.thread(), cursor.row());
  }

  /**
   * A HikariCP pool per request, from the person's credentials.
   *
   * @param s the people
   * @param cursor this thread
   * @return the work's result
   * @throws SQLException if the server refuses
   */
  @Benchmark
  public int poolPerRequest(Cold s, Cursor cursor) throws SQLException {
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(s.fixture.url);
    hc.setUsername(s.fixture.people[s.person(cursor)]);
    hc.setPassword(Fixture.PASSWORD);
    hc.setMaximumPoolSize(1);
    try (HikariDataSource pool = new HikariDataSource(hc);
        Connection c = pool.getConnection()) {
      return s.request.run(c, cursor.row());
    }
  }
}
