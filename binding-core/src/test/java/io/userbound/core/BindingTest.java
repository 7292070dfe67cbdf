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
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({PostgresExtension.class, LeakCheck.class})
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
  void bind_nested_restoresPreviousOnClose(PostgresServer server, TestNames names) throws Exception {
    Person alice = person(names);
    Person bob = person(names);
    Userbound ub = Fixtures.userbound(server);
    Login a = ub.login(alice.role(), alice.password());
    Login b = ub.login(bob.role(), bob.password());
    try (Binding outer = ub.bind(a)) {
      try (Binding inner = ub.bind(b); Connection c = ub.connection("main")) {
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
  void close_twiceOrOnAnotherThread_neverThrows(PostgresServer server, TestNames names) throws Exception {
    Person alice = person(names);
    Userbound ub = Fixtures.userbound(server);
    Login a = ub.login(alice.role(), alice.password());
    Binding binding = ub.bind(a);
    var other = Executors.newSingleThreadExecutor();
    try {
      other.submit(binding::close).get(10, TimeUnit.SECONDS);
      assertThat(ub.current()).as("closing elsewhere does not unbind here").contains(a);
      binding.close();
      binding.close();
      assertThat(ub.current()).isEmpty();
    } finally {
      other.shutdownNow();
    }
  }

  @Test
  void binding_isPerThread(PostgresServer server, TestNames names) throws Exception {
    Person alice = person(names);
    Userbound ub = Fixtures.userbound(server);
    Login a = ub.login(alice.role(), alice.password());
    var other = Executors.newSingleThreadExecutor();
    try (Binding ignored = ub.bind(a)) {
      Throwable there = other.submit(() -> {
        try (Connection c = ub.connection("main")) {
          return null;
        } catch (Throwable t) {
          return t;
        }
      }).get(10, TimeUnit.SECONDS);
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
    try (Binding ignored = ub.bind(a); Connection c = ds.getConnection()) {
      assertThat(currentUser(c)).isEqualTo(alice.role());
    }
    try (Binding ignored = ub.bind(b); Connection c = ds.getConnection()) {
      assertThat(currentUser(c)).isEqualTo(bob.role());
    }
    assertThatThrownBy(ds::getConnection).isInstanceOf(NotBoundException.class);
    assertThatThrownBy(() -> ds.getConnection("x", "y")).isInstanceOf(java.sql.SQLFeatureNotSupportedException.class);
    assertThat(ds.unwrap(DataSource.class)).isSameAs(ds);
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
        .isInstanceOf(UnknownDatabaseException.class).hasMessageContaining("[main]");
  }

  @Test
  void connection_unwrapsToPgConnection(PostgresServer server, TestNames names) throws Exception {
    Person alice = person(names);
    Userbound ub = Fixtures.userbound(server);
    Login a = ub.login(alice.role(), alice.password());
    try (Connection c = ub.connection(a, "main")) {
      assertThat(c.isWrapperFor(org.postgresql.PGConnection.class)).isTrue();
      assertThat(c.unwrap(org.postgresql.PGConnection.class).getBackendPID()).isPositive();
    }
  }
}
