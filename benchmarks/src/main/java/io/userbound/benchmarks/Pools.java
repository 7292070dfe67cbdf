package io.userbound.benchmarks;

import com.mchange.v2.c3p0.ComboPooledDataSource;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.userbound.core.DatabaseConfig;
import io.userbound.core.SessionReset;
import io.userbound.core.Userbound;
import io.userbound.core.UserboundConfig;
import java.beans.PropertyVetoException;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.commons.dbcp2.datasources.PerUserPoolDataSource;
import org.postgresql.ds.PGConnectionPoolDataSource;

/*
 * How each contender is configured, in one place so that the settings can be compared.
 *
 * Every pool may hold up to MAX_PER_PERSON connections per person (Userbound's default, and
 * enough for 2 threads on one person), opens nothing it does not need, and otherwise keeps
 * each library's defaults, except where a default would make it do more work than the others
 * (c3p0's initial/min pool size of 3 per person, HikariCP's 10 idle connections).
 *
 * Validation ("come back" = soon | later), the same idea for every pool:
 *   soon   a person comes back within milliseconds. No pool validates: HikariCP skips its alive
 *          check for a connection used in the last 500 ms, DBCP2 (testOnBorrow=false) and c3p0
 *          (testConnectionOnCheckout=false) never validate by default.
 *   later  a person comes back after more than 500 ms, as in a web application. Every pool
 *          validates on every borrow with Connection.isValid: HikariCP (the plain map, the
 *          shared pool and Userbound's pools) through com.zaxxer.hikari.aliveBypassWindowMs=0,
 *          DBCP2 with testOnBorrow=true and no validation query, c3p0 with
 *          testConnectionOnCheckout=true and no test query. pgjdbc's isValid is a round trip;
 *          Userbound's connections answer isValid from a local check of the socket (a round
 *          trip only when the server sent something unasked), which is the point of measuring it.
 * The no-pool control validates nothing in either case.
 */
final class Pools {

  /** Connections one person may hold in any pool: Userbound's default maxConnectionsPerPerson. */
  static final int MAX_PER_PERSON = 2;

  private static final String ALIVE_BYPASS = "com.zaxxer.hikari.aliveBypassWindowMs";

  private Pools() {}

  /**
   * Checks a {@code comeBack} parameter and, for {@code later}, makes every HikariCP pool
   * created from now on in this JVM check connections on every borrow.
   *
   * @return whether connections must be validated on every borrow
   */
  static boolean validateOnBorrow(String comeBack) {
    switch (comeBack) {
      case "soon" -> {
        return false;
      }
      case "later" -> {
        System.setProperty(ALIVE_BYPASS, "0");
        return true;
      }
      default ->
          throw new IllegalArgumentException("comeBack = " + comeBack + ": use soon or later");
    }
  }

  /** Undoes {@link #validateOnBorrow(String)} for pools created later in this JVM. */
  static void defaultValidation() {
    System.clearProperty(ALIVE_BYPASS);
  }

  /**
   * Userbound with one database, {@code bench}: the default settings but for the budget (the
   * default of 50 connections would not keep 100 people warm) and the session reset.
   */
  static Userbound userbound(Fixture fixture, int budget, SessionReset reset) {
    return userbound(fixture.url, budget, reset);
  }

  /** Userbound with that budget and reset, connecting to this URL. */
  static Userbound userbound(String url, int budget, SessionReset reset) {
    return Userbound.create(
        UserboundConfig.builder()
            .database(
                DatabaseConfig.builder(Fixture.DATABASE, url)
                    .budget(budget)
                    .sessionReset(reset)
                    .build())
            .build());
  }

  /** One HikariCP pool with one person's credentials, sharing a housekeeping executor if given. */
  static HikariDataSource hikari(
      Fixture fixture, String role, int size, int minIdle, ScheduledExecutorService housekeeper) {
    HikariConfig hc = new HikariConfig();
    hc.setPoolName("bench-" + role);
    hc.setJdbcUrl(fixture.url);
    hc.setUsername(role);
    hc.setPassword(Fixture.PASSWORD);
    hc.setMaximumPoolSize(size);
    hc.setMinimumIdle(minIdle);
    if (housekeeper != null) {
      hc.setScheduledExecutor(housekeeper);
    }
    return new HikariDataSource(hc);
  }

  /** commons-dbcp2's per-user pools over pgjdbc's ConnectionPoolDataSource. */
  static PerUserPoolDataSource dbcp2(Fixture fixture, boolean validateOnBorrow) {
    PGConnectionPoolDataSource cpds = new PGConnectionPoolDataSource();
    cpds.setURL(fixture.url);
    PerUserPoolDataSource ds = new PerUserPoolDataSource();
    ds.setConnectionPoolDataSource(cpds);
    ds.setDefaultMaxTotal(MAX_PER_PERSON);
    ds.setDefaultMaxIdle(MAX_PER_PERSON);
    ds.setDefaultMinIdle(0);
    // No validation query: DBCP2 then validates with Connection.isValid, as HikariCP does.
    ds.setDefaultTestOnBorrow(validateOnBorrow);
    return ds;
  }

  /** c3p0, one pool per (user, password) through {@code getConnection(user, password)}. */
  static ComboPooledDataSource c3p0(Fixture fixture, boolean validateOnBorrow) {
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
    // No preferred test query: c3p0 then tests with Connection.isValid.
    ds.setTestConnectionOnCheckout(validateOnBorrow);
    return ds;
  }
}
