package io.userbound.benchmarks;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A peer whose per-user pools are behind {@code DataSource.getConnection(user, password)}
 * (DBCP2's {@code PerUserPoolDataSource}, c3p0's {@code ComboPooledDataSource}): the same
 * request for both; a subclass only makes and closes the data source.
 */
abstract class PerUserDataSource extends Contender {

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
}
