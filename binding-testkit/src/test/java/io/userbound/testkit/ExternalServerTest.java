package io.userbound.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class ExternalServerTest {
  private static final char[] PASSWORD = "ext-pass".toCharArray();

  private static PostgresServer external(PostgresServer target) {
    return PostgresServer.start(
        PostgresOptions.builder()
            .name("ext")
            .externalUrl(target.jdbcUrl("postgres"))
            .externalUser(target.adminUser())
            .externalPassword(target.adminPassword())
            .build());
  }

  @Test
  void external_createsAndDropsDatabasesAndRoles(PostgresServer local, TestNames names)
      throws SQLException {
    try (PostgresServer external = external(local)) {
      String db = names.database("ext");
      String role = names.role("ext");

      assertThat(external.host()).isEqualTo(local.host());
      assertThat(external.port()).isEqualTo(local.port());
      assertThat(external.jdbcUrl(db)).isEqualTo(local.jdbcUrl(db));
      external.createDatabase(db);
      external.createLogin(role, PASSWORD);
      try (Connection c = Jdbc.connect(local.jdbcUrl(db), role, PASSWORD)) {
        assertThat(Jdbc.queryString(c, "SELECT current_user")).isEqualTo(role);
      }
      external.dropDatabase(db);
      external.dropRole(role);

      assertThat(
              Jdbc.adminQuery(
                  local,
                  "postgres",
                  "SELECT count(*) FROM pg_database WHERE datname = '" + db + "'"))
          .isEqualTo("0");
      assertThat(
              Jdbc.adminQuery(
                  local,
                  "postgres",
                  "SELECT count(*) FROM pg_roles WHERE rolname = '" + role + "'"))
          .isEqualTo("0");
    }
  }

  @Test
  void external_lifecycleIsUnsupportedAndCloseLeavesServerRunning(PostgresServer local) {
    PostgresServer external = external(local);

    assertThat(external.supportsLifecycle()).isFalse();
    assertThatThrownBy(external::stop)
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("external server")
        .hasMessageContaining("USERBOUND_TEST_PG=local");
    assertThatThrownBy(external::start).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(external::restart).isInstanceOf(UnsupportedOperationException.class);
    external.close();

    assertThat(external.isRunning()).isFalse();
    assertThat(local.isRunning()).isTrue();
    assertThat(Jdbc.adminQuery(local, "postgres", "SELECT 1")).isEqualTo("1");
  }

  @Test
  void external_wrongPasswordIsUnavailableWithoutPassword(PostgresServer local) {
    PostgresOptions options =
        PostgresOptions.builder()
            .externalUrl(local.jdbcUrl("postgres"))
            .externalUser(local.adminUser())
            .externalPassword("wrong-secret".toCharArray())
            .build();

    assertThatThrownBy(() -> PostgresServer.start(options))
        .isInstanceOf(PostgresUnavailableException.class)
        .hasMessageContaining("28P01")
        .hasMessageContaining("USERBOUND_TEST_PG_PASSWORD")
        .hasMessageNotContaining("wrong-secret");
  }
}
