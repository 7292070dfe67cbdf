package io.userbound.sample;

import io.userbound.testkit.PostgresOptions;
import io.userbound.testkit.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The embedded default: two throw-away PostgreSQL servers from the test kit, one for
 * {@code finance} and one for {@code staff}, as if on two hosts, each with its schema, the
 * demo people and demo rows. Closing stops both and deletes their data.
 *
 * <p>Roles belong to a server, not to a database, so every demo person is created on both
 * servers with the same password, as a DBA would for people who use both; their group
 * memberships differ per server.
 */
public final class DemoServers implements AutoCloseable {

  public static final String FINANCE = "finance";
  public static final String STAFF = "staff";

  private final PostgresServer finance;
  private final PostgresServer staff;

  private DemoServers(PostgresServer finance, PostgresServer staff) {
    this.finance = finance;
    this.staff = staff;
  }

  /**
   * Starts both servers (in parallel), creates the databases, runs the schema scripts, and
   * creates the demo people and rows.
   *
   * @return the running servers; close them
   * @throws RuntimeException if a server does not start or a script fails; nothing is left running
   */
  public static DemoServers start() {
    CompletableFuture<PostgresServer> financeStart =
        CompletableFuture.supplyAsync(() -> setUp(FINANCE));
    CompletableFuture<PostgresServer> staffStart =
        CompletableFuture.supplyAsync(() -> setUp(STAFF));
    PostgresServer financeServer = null;
    PostgresServer staffServer = null;
    RuntimeException failure = null;
    try {
      financeServer = financeStart.join();
    } catch (CompletionException e) {
      failure = unwrap(e);
    }
    try {
      staffServer = staffStart.join();
    } catch (CompletionException e) {
      if (failure == null) {
        failure = unwrap(e);
      } else {
        failure.addSuppressed(unwrap(e));
      }
    }
    if (failure != null) {
      if (financeServer != null) {
        financeServer.close();
      }
      if (staffServer != null) {
        staffServer.close();
      }
      throw failure;
    }
    return new DemoServers(financeServer, staffServer);
  }

  private static RuntimeException unwrap(CompletionException e) {
    return e.getCause() instanceof RuntimeException r ? r : e;
  }

  private static PostgresServer setUp(String database) {
    PostgresServer server =
        PostgresServer.start(PostgresOptions.builder().name("sample-" + database).build());
    try {
      server.createDatabase(database);
      server.execute(database, Resources.text("db/" + database + ".sql"));
      for (DemoPerson p : DemoPerson.ALL) {
        char[] password = p.password().toCharArray();
        server.createLogin(p.role(), password);
        List<String> groups = database.equals(FINANCE) ? p.financeGroups() : p.staffGroups();
        for (String group : groups) {
          server.execute(database, "GRANT " + group + " TO " + p.role());
        }
      }
      server.execute(database, Resources.text("db/demo/" + database + "-data.sql"));
      return server;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** {@return the server holding {@code finance}} */
  public PostgresServer finance() {
    return finance;
  }

  /** {@return the server holding {@code staff}} */
  public PostgresServer staff() {
    return staff;
  }

  /**
   * {@return the major version of the servers (both run the same binaries), for Hibernate's
   * dialect: without it, Hibernate assumes its oldest supported PostgreSQL}
   */
  public int majorVersion() {
    try (Connection c = finance.adminConnection(FINANCE);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select pg_catalog.current_setting('server_version_num')")) {
      rs.next();
      return Integer.parseInt(rs.getString(1)) / 10_000;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the demo server's version", e);
    }
  }

  /** {@return the JDBC URL of {@code finance}, without credentials} */
  public String financeUrl() {
    return finance.jdbcUrl(FINANCE);
  }

  /** {@return the JDBC URL of {@code staff}, without credentials} */
  public String staffUrl() {
    return staff.jdbcUrl(STAFF);
  }

  /** Stops both servers and deletes their data. Never throws; idempotent. */
  @Override
  public void close() {
    try {
      staff.close();
    } finally {
      finance.close();
    }
  }
}
