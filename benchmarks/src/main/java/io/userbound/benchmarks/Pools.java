package io.userbound.benchmarks;

import com.mchange.v2.c3p0.ComboPooledDataSource;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.userbound.core.DatabaseConfig;
import io.userbound.core.SessionReset;
import io.userbound.core.Userbound;
import io.userbound.core.UserboundConfig;
import java.beans.PropertyVetoException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.apache.commons.dbcp2.datasources.PerUserPoolDataSource;
import org.postgresql.ds.PGConnectionPoolDataSource;

/*
 * How each contender is configured, in one place so that the settings can be compared.
 *
 * Every pool may hold up to MAX_PER_PERSON connections per person (4 threads on one person
 * must not queue), opens nothing it does not need, and runs no validation query on borrow:
 * each library's defaults, except where a default would make it do more work than the others
 * (c3p0's initial/min pool size of 3 per person, HikariCP's 10 idle connections).
 */
final class Pools {

  static final int MAX_PER_PERSON = 4;
  static final String QUERY = "select 1";

  private Pools() {
  }

  /** The operation's query: {@code select 1}, read to the end. */
  static int query(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(QUERY)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** Userbound with one database, {@code bench}, and the given budget and reset. */
  static Userbound userbound(Fixture fixture, int budget, SessionReset reset) {
    return Userbound.create(UserboundConfig.builder()
        .database(DatabaseConfig.builder(Fixture.DATABASE, fixture.url)
            .maxConnectionsPerUser(MAX_PER_PERSON)
            .budget(budget)
            .maxPools(10_000)
            .idleTimeout(Duration.ofMinutes(30))
            .sessionReset(reset)
            .build())
        .build());
  }

  /** One HikariCP pool with one person's credentials (the "one application account" case). */
  static HikariDataSource hikari(Fixture fixture, String role, int size, String poolName) {
    HikariConfig hc = new HikariConfig();
    hc.setPoolName(poolName);
    hc.setJdbcUrl(fixture.url);
    hc.setUsername(role);
    hc.setPassword(Fixture.PASSWORD);
    hc.setMaximumPoolSize(size);
    hc.setMinimumIdle(size);
    return new HikariDataSource(hc);
  }

  /** commons-dbcp2's per-user pools over pgjdbc's ConnectionPoolDataSource. */
  static PerUserPoolDataSource dbcp2(Fixture fixture) {
    PGConnectionPoolDataSource cpds = new PGConnectionPoolDataSource();
    cpds.setURL(fixture.url);
    PerUserPoolDataSource ds = new PerUserPoolDataSource();
    ds.setConnectionPoolDataSource(cpds);
    ds.setDefaultMaxTotal(MAX_PER_PERSON);
    ds.setDefaultMaxIdle(MAX_PER_PERSON);
    ds.setDefaultMinIdle(0);
    return ds;
  }

  /** c3p0, one pool per (user, password) through {@code getConnection(user, password)}. */
  static ComboPooledDataSource c3p0(Fixture fixture) {
    ComboPooledDataSource ds = new ComboPooledDataSource();
    try {
      ds.setDriverClass("org.postgresql.Driver");
    } catch (PropertyVetoException e) {
      throw new IllegalStateException(e);
    }
    ds.setJdbcUrl(fixture.url);
    ds.setInitialPoolSize(1);
    ds.setMinPoolSize(1);
    ds.setMaxPoolSize(MAX_PER_PERSON);
    ds.setAcquireIncrement(1);
    return ds;
  }
}
