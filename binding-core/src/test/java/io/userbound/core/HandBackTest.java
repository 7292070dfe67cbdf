package io.userbound.core;

import static io.userbound.core.Fixtures.currentUser;
import static io.userbound.core.Fixtures.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.userbound.core.Fixtures.Person;
import io.userbound.testkit.Await;
import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TcpProxy;
import io.userbound.testkit.TestNames;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The hand-back is bounded (a stalled server pins neither the request thread nor the
 * pool), shutdown closes lent connections, and stats see every connection still lent.
 */
@ExtendWith(PostgresExtension.class)
class HandBackTest {

  private static void stalledHandBack(
      PostgresServer server, TestNames names, SessionReset reset, String sql) throws Exception {
    Person alice = person(names);
    try (TcpProxy proxy = TcpProxy.start(server.host(), server.port())) {
      Userbound ub =
          Fixtures.userbound(
              DatabaseConfig.builder("main", proxy.jdbcUrl(server, "postgres"))
                  .connectionTimeout(Duration.ofSeconds(2))
                  .handBackTimeout(Duration.ofMillis(300))
                  .maxConnectionsPerPerson(1)
                  .sessionReset(reset)
                  .build());
      Login login = ub.login(alice.role(), alice.password());
      Connection c = ub.connection(login, "main");
      try (Statement st = c.createStatement()) {
        st.execute(sql);
      }
      proxy.stall(); // the server keeps the TCP session and stops answering
      CompletableFuture<Void> handBack =
          CompletableFuture.runAsync(
              () -> {
                try {
                  c.close();
                } catch (SQLException e) {
                  throw new AssertionError("close() must not throw for a failed hand-back", e);
                }
              });
      handBack.get(10, TimeUnit.SECONDS); // without the deadline this would never return
      DatabaseStats s = ub.stats("main");
      assertThat(s.activeConnections()).as("the lease ended").isZero();
      ub.logout(login);
      Await.until(
          "the pool closed and its permit came back although the server is stalled",
          Duration.ofSeconds(10),
          () -> ub.stats("main").pools() == 0 && ub.stats("main").budgetUsed() == 0);
      proxy.resume();
      Login again = ub.login(alice.role(), alice.password());
      try (Connection fresh = ub.connection(again, "main")) {
        assertThat(currentUser(fresh)).isEqualTo(alice.role());
      }
    }
  }

  @Test
  void stalledServer_sessionReset_isBounded(PostgresServer server, TestNames names)
      throws Exception {
    stalledHandBack(server, names, SessionReset.TRACKED, "SET application_name = 'dirty'");
  }

  @Test
  void stalledServer_rollback_isBounded(PostgresServer server, TestNames names) throws Exception {
    stalledHandBack(server, names, SessionReset.TRACKED, "BEGIN; select 1");
  }

  @Test
  void stalledServer_discardAll_isBounded(PostgresServer server, TestNames names) throws Exception {
    stalledHandBack(server, names, SessionReset.DISCARD_ALL, "select 1");
  }

  @Test
  void close_closesLentConnections_andTheirNextUseIsTyped(PostgresServer server, TestNames names)
      throws Exception {
    Person alice = person(names);
    Userbound ub = Fixtures.userbound(server);
    Login login = ub.login(alice.role(), alice.password());
    Connection lent = ub.connection(login, "main");
    assertThat(currentUser(lent)).isEqualTo(alice.role());
    ub.close();
    Await.until(
        "the lent connection's backend is gone",
        Duration.ofSeconds(10),
        () -> server.backendCount(alice.role()) == 0);
    assertThat(lent.isClosed()).isTrue();
    assertThatThrownBy(lent::createStatement)
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("Userbound was closed")
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08003"));
    lent.close(); // harmless
    assertThat(ub.stats("main").budgetUsed()).isZero();
  }

  @Test
  void stats_countConnectionsStillLentByALoggedOutPerson(PostgresServer server, TestNames names)
      throws Exception {
    Person alice = person(names);
    Userbound ub = Fixtures.userbound(server);
    Login login = ub.login(alice.role(), alice.password());
    Connection c = ub.connection(login, "main");
    c.setAutoCommit(false);
    c.createStatement().execute("select 1");
    ub.logout(login);
    DatabaseStats s = ub.stats("main");
    assertThat(s.pools()).as("the retired pool still lends").isEqualTo(1);
    assertThat(s.activeConnections()).isEqualTo(1);
    assertThat(s.budgetUsed()).isEqualTo(1);
    c.close();
    Await.until(
        "pool closed once handed back",
        Duration.ofSeconds(10),
        () -> ub.stats("main").pools() == 0 && ub.stats("main").budgetUsed() == 0);
    assertThat(server.backendCount(alice.role())).isZero();
  }
}
