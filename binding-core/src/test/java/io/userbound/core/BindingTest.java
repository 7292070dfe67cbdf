package io.userbound.core;

import static io.userbound.core.Fixtures.currentUser;
import static io.userbound.core.Fixtures.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.userbound.core.Fixtures.Person;
import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import java.sql.Connection;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;

@ExtendWith(PostgresExtension.class)
class BindingTest {

  @Test
  void connection_whileNothingBound_isNotBound(PostgresServer server) {
    Userbound ub = Fixtures.userbound(server);
    assertThatThrownBy(() -> ub.connection("main"))
        .isInstanceOf(NotBoundException.class)
        .hasMessageContaining("Userbound.bind");
    assertThat(ub.current()).isEmpty();
  }

  @Test
  void bind_nested_restoresPreviousOnClose(PostgresServer server, TestNames names)
      throws Exception {
    Person alice = person(names);
    Person bob = person(names);
    Userbound ub = Fixtures.userbound(server);
    Login a = ub.login(alice.role(), alice.password());
    Login b = ub.login(bob.role(), bob.password());
    try (Binding outer = ub.bind(a)) {
      try (Binding inner = ub.bind(b);
          Connection c = ub.connection("main")) {
        assertThat(currentUser(c)).isEqualTo(bob.role());
        assertThat(ub.current()).contains(b);
      }
      try (Connection c = ub.connection("main")) {
        assertThat(currentUser(c)).isEqualTo(alice.role());
      }
      assertThat(outer.login()).isEqualTo(a);
    }
    assertThat(ub.current()).isEmpty();
  }

  @Test
  void close_onAnotherThread_unbindsTheOpeningThreadAtOnce(PostgresServer server, TestNames names)
      throws Exception {
    Person alice = person(names);
    Userbound ub = Fixtures.userbound(server);
    Login a = ub.login(alice.role(), alice.password());
    Binding binding = ub.bind(a);
    var other = Executors.newSingleThreadExecutor();
    try {
      other.submit(binding::close).get(10, TimeUnit.SECONDS);
      assertThat(ub.current()).as("closed elsewhere: dead here too").isEmpty();
      assertThatThrownBy(() -> ub.connection("main")).isInstanceOf(NotBoundException.class);
      binding.close();
      binding.close();
      assertThat(ub.current()).isEmpty();
    } finally {
      other.shutdownNow();
    }
  }

  @Test
  void closedElsewhere_neverComesBack_onLaterBindingsOfThePooledThread(
      PostgresServer server, TestNames names) throws Exception {
    Person alice = person(names);
    Person bob = person(names);
    Userbound ub = Fixtures.userbound(server);
    Login a = ub.login(alice.role(), alice.password());
    Login b = ub.login(bob.role(), bob.password());
    var pooled =
        Executors.newSingleThreadExecutor(); // one server thread, reused by every "request"
    try {
      Binding leaked = pooled.submit(() -> ub.bind(a)).get(10, TimeUnit.SECONDS);
      leaked.close(); // closed on this thread, not the one that opened it
      pooled
          .submit(
              () -> {
                try (Binding ignored = ub.bind(b)) {
                  assertThat(ub.current()).contains(b);
                }
                return null;
              })
          .get(10, TimeUnit.SECONDS);
      Object after = pooled.submit(() -> ub.current().orElse(null)).get(10, TimeUnit.SECONDS);
      assertThat(after).as("an anonymous request on that thread runs as nobody").isNull();
    } finally {
      pooled.shutdownNow();
    }
  }

  @Test
  void nestedBindings_closedOutOfOrder_neverRestoreAnOlderLogin(
      PostgresServer server, TestNames names) throws Exception {
    Person alice = person(names);
    Person bob = person(names);
    Person carol = person(names);
    Userbound ub = Fixtures.userbound(server);
    Login a = ub.login(alice.role(), alice.password());
    Login b = ub.login(bob.role(), bob.password());
    Login c = ub.login(carol.role(), carol.password());
    Binding outer = ub.bind(a);
    Binding inner = ub.bind(b);
    outer.close(); // out of order: the inner one is still open and stays in force
    assertThat(ub.current()).contains(b);
    try (Connection conn = ub.connection("main")) {
      assertThat(currentUser(conn)).isEqualTo(bob.role());
    }
    inner.close();
    assertThat(ub.current()).as("outer was closed first; nothing comes back").isEmpty();
    try (Binding third = ub.bind(c)) {
      assertThat(ub.current()).contains(c);
      outer.close();
      inner.close();
      assertThat(ub.current()).as("closing old bindings again changes nothing").contains(c);
    }
    assertThat(ub.current()).isEmpty();
  }

  @Test
  void unbindAll_closesWhatWasLeftOpen(PostgresServer server, TestNames names) {
    Person alice = person(names);
    Person bob = person(names);
    Userbound ub = Fixtures.userbound(server);
    Login a = ub.login(alice.role(), alice.password());
    Login b = ub.login(bob.role(), bob.password());
    Binding first = ub.bind(a);
    ub.bind(b); // forgotten
    assertThat(ub.unbindAll()).isEqualTo(2);
    assertThat(ub.current()).isEmpty();
    assertThat(ub.unbindAll()).as("a clean thread").isZero();
    first.close();
    assertThat(ub.current()).isEmpty();
  }

  @Test
  void binding_isPerThread(PostgresServer server, TestNames names) throws Exception {
    Person alice = person(names);
    Userbound ub = Fixtures.userbound(server);
    Login a = ub.login(alice.role(), alice.password());
    var other = Executors.newSingleThreadExecutor();
    try (Binding ignored = ub.bind(a)) {
      Throwable there =
          other
              .submit(
                  () -> {
                    try (Connection c = ub.connection("main")) {
                      return null;
                    } catch (Throwable t) {
                      return t;
                    }
                  })
              .get(10, TimeUnit.SECONDS);
      assertThat(there).isInstanceOf(NotBoundException.class);
    } finally {
      other.shutdownNow();
    }
  }

  @Test
  void dataSource_followsTheBinding(PostgresServer server, TestNames names) throws Exception {
    Person alice = person(names);
    Person bob = person(names);
    Userbound ub = Fixtures.userbound(server);
    DataSource ds = ub.dataSource("main");
    Login a = ub.login(alice.role(), alice.password());
    Login b = ub.login(bob.role(), bob.password());
    try (Binding ignored = ub.bind(a);
        Connection c = ds.getConnection()) {
      assertThat(currentUser(c)).isEqualTo(alice.role());
    }
    try (Binding ignored = ub.bind(b);
        Connection c = ds.getConnection()) {
      assertThat(currentUser(c)).isEqualTo(bob.role());
    }
    assertThatThrownBy(ds::getConnection).isInstanceOf(NotBoundException.class);
    assertThatThrownBy(() -> ds.getConnection("x", "y"))
        .isInstanceOf(SQLFeatureNotSupportedException.class);
    assertThat(ds.unwrap(DataSource.class)).isSameAs(ds);
  }

  @Test
  void dataSource_isTheSameInstanceForTheSameName(PostgresServer server) {
    Userbound ub = Fixtures.userbound(server);
    assertThat(ub.dataSource("main")).isSameAs(ub.dataSource("main"));
    assertThatThrownBy(() -> ub.dataSource("nope")).isInstanceOf(UnknownDatabaseException.class);
  }

  @Test
  void twoInstances_doNotSeeEachOthersBindings(PostgresServer server, TestNames names) {
    Person alice = person(names);
    Userbound one = Fixtures.userbound(server);
    Userbound two = Fixtures.userbound(server);
    Login a = one.login(alice.role(), alice.password());
    try (Binding ignored = one.bind(a)) {
      assertThat(one.current()).contains(a);
      assertThat(two.current()).isEmpty();
      assertThatThrownBy(() -> two.connection("main")).isInstanceOf(NotBoundException.class);
    }
  }

  @Test
  void connection_unknownDatabase_isTyped(PostgresServer server, TestNames names) {
    Person alice = person(names);
    Userbound ub = Fixtures.userbound(server);
    Login a = ub.login(alice.role(), alice.password());
    assertThatThrownBy(() -> ub.connection(a, "nope"))
        .isInstanceOf(UnknownDatabaseException.class)
        .hasMessageContaining("[main]");
  }

  @Test
  void connection_unwrapsToPgConnection(PostgresServer server, TestNames names) throws Exception {
    Person alice = person(names);
    Userbound ub = Fixtures.userbound(server);
    Login a = ub.login(alice.role(), alice.password());
    try (Connection c = ub.connection(a, "main")) {
      assertThat(c.isWrapperFor(PGConnection.class)).isTrue();
      assertThat(c.unwrap(PGConnection.class).getBackendPID()).isPositive();
    }
  }
}
