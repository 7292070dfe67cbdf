package io.userbound.benchmarks;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A peer whose per-user pools are behind {@code DataSource.getConnection(user, password)}
 * (DBCP2's {@code PerUserPoolDataSource}, c3p0's {@code ComboPooledDataSource}): the same
 * request and the same benchmarks for both; a subclass (the JMH benchmark class, its own
 * state) only makes the data source.
 */
public abstract class PerUserDataSource extends Contender {

  DataSource pool;

  /** Makes the data source; the fixture and the validation setting are known. */
  abstract DataSource create();

  @Override
  final void open() {
    pool = create();
  }

  @Override
  final int request(int person, int thread, int row) throws SQLException {
    try (Connection c = pool.getConnection(fixture.people[person], Fixture.PASSWORD)) {
      return request.run(c, row);
    }
  }

  @Override
  final void close() throws Exception {
    if (pool instanceof AutoCloseable c) {
      c.close();
    }
  }

  /**
   * A request of the next person.
   *
   * @param cursor this thread
   * @return the work's result
   * @throws SQLException never expected
   */
  @Benchmark
  public int request(Cursor cursor) throws SQLException {
    return request(person(cursor), cursor.thread(), cursor.row());
  }

  /**
   * Borrow and hand back, no query.
   *
   * @param cursor this thread
   * @param bh keeps the connection alive
   * @throws SQLException never expected
   */
  @Benchmark
  public void borrow(Cursor cursor, Blackhole bh) throws SQLException {
    try (Connection c = pool.getConnection(fixture.people[person(cursor)], Fixture.PASSWORD)) {
      bh.consume(c);
    }
  }
}
