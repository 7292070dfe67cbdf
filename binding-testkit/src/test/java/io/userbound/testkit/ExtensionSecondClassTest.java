package io.userbound.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExtensionSecondClassTest {
  private static final Set<String> PREFIXES = new HashSet<>();
  private static String createdPrefix;
  private static final Set<String> CREATED_DATABASES = new HashSet<>();
  private static final Set<String> CREATED_ROLES = new HashSet<>();

  @Test
  @Order(1)
  void server_isSharedWithOtherClasses(PostgresServer server) {
    SharedServerWitness.check(server);
  }

  @Test
  @Order(2)
  void testNames_createdThingsAreKeptDuringTheTest(PostgresServer server, TestNames names) {
    createdPrefix = names.prefix();
    PREFIXES.add(names.prefix());
    String login = names.login("pw".toCharArray());
    String database = names.createDatabase();
    String manualRole = names.role("owner");
    String manualDatabase = names.database("manual");
    server.createGroupRole(manualRole);
    server.createDatabase(manualDatabase);
    server.execute(
        manualDatabase,
        "CREATE TABLE t (x int); ALTER TABLE t OWNER TO "
            + manualRole
            + "; GRANT SELECT ON t TO "
            + login);
    server.execute("postgres", "ALTER DATABASE " + database + " OWNER TO " + login);
    CREATED_DATABASES.add(database);
    CREATED_DATABASES.add(manualDatabase);
    CREATED_ROLES.add(login);
    CREATED_ROLES.add(manualRole);

    assertThat(count(server, "pg_database", "datname", createdPrefix)).isEqualTo("2");
    assertThat(count(server, "pg_roles", "rolname", createdPrefix)).isEqualTo("2");
  }

  @Test
  @Order(3)
  void testNames_createdThingsAreGoneAfterTheTest(PostgresServer server, TestNames names) {
    PREFIXES.add(names.prefix());

    assertThat(createdPrefix).isNotNull();
    assertThat(count(server, "pg_database", "datname", createdPrefix)).isEqualTo("0");
    assertThat(count(server, "pg_roles", "rolname", createdPrefix)).isEqualTo("0");
    assertThat(PREFIXES).hasSize(2);
    assertThat(CREATED_DATABASES).allMatch(n -> n.startsWith(createdPrefix + "_"));
    assertThat(CREATED_ROLES).allMatch(n -> n.startsWith(createdPrefix + "_"));
  }

  @Test
  @Order(4)
  void testNames_areValidUnquotedIdentifiers(TestNames names) {
    PREFIXES.add(names.prefix());
    String a = names.role();
    String b = names.role();

    assertThat(a).isNotEqualTo(b);
    assertThat(names.role("x")).isEqualTo(names.role("x")).isEqualTo(names.prefix() + "_x");
    assertThat(names.database()).isNotEqualTo(names.database());
    for (String name : new String[] {a, b, names.database(), names.role("abc_1")}) {
      assertThat(name).matches("[a-z_][a-z0-9_]*").hasSizeLessThanOrEqualTo(63);
    }
    assertThat(PREFIXES).hasSize(3);
  }

  @Test
  @Order(5)
  void testNames_badSuffixIsRefused(TestNames names) {
    assertThatThrownBy(() -> names.role("Bad-Name"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Bad-Name'");
    assertThatThrownBy(() -> names.database("x".repeat(40)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("63 bytes");
  }

  @Test
  @Order(6)
  void testNames_sanitizeLongAndOddMethodNames() {
    assertThat(TestNames.sanitize("Weird Name(): ÄÖ with spaces and a very long tail"))
        .matches("[a-z0-9_]+")
        .hasSizeLessThanOrEqualTo(30)
        .startsWith("weird_name_");
    assertThat(TestNames.sanitize("___")).isEqualTo("test");
  }

  private static String count(PostgresServer server, String table, String column, String prefix) {
    return Jdbc.adminQuery(
        server,
        "postgres",
        "SELECT count(*) FROM " + table + " WHERE " + column + " LIKE '" + prefix + "\\_%'");
  }
}
