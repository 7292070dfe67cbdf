package io.userbound.servlet;

import io.userbound.core.DatabaseConfig;
import io.userbound.core.Userbound;
import io.userbound.core.UserboundConfig;
import io.userbound.core.UserboundLeaks;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import io.userbound.testkit.TestPasswords;
import java.time.Duration;
import java.util.function.UnaryOperator;

/** Small helpers shared by the servlet tests. */
final class Fixtures {

  private Fixtures() {}

  /** A person with a login role on the shared server. */
  @SuppressWarnings("ArrayRecordComponent") // the password is wiped, never compared
  record Person(String role, char[] password) {

    String passwordText() {
      return new String(password);
    }
  }

  static Person person(TestNames names) {
    char[] pw = TestPasswords.fresh();
    return new Person(names.login(pw), pw);
  }

  /**
   * Two databases on the shared server, {@code finance} and {@code staff}, each a fresh
   * database of this test; every role may connect to them.
   */
  static UserboundConfig twoDatabases(
      PostgresServer server, TestNames names, UnaryOperator<DatabaseConfig.Builder> tweak) {
    return twoDatabases(server, names.createDatabase(), names.createDatabase(), tweak);
  }

  /** The databases {@code finance} and {@code staff} on the given existing databases. */
  static UserboundConfig twoDatabases(
      PostgresServer server,
      String finance,
      String staff,
      UnaryOperator<DatabaseConfig.Builder> tweak) {
    return UserboundConfig.builder()
        .database(
            tweak
                .apply(
                    DatabaseConfig.builder("finance", server.jdbcUrl(finance))
                        .connectionTimeout(Duration.ofSeconds(5))
                        .maxConnectionsPerPerson(4))
                .build())
        .database(
            tweak
                .apply(
                    DatabaseConfig.builder("staff", server.jdbcUrl(staff))
                        .connectionTimeout(Duration.ofSeconds(5))
                        .maxConnectionsPerPerson(4))
                .build())
        .build();
  }

  static UserboundConfig twoDatabases(PostgresServer server, TestNames names) {
    return twoDatabases(server, names, b -> b);
  }

  /** A database configuration that connects nowhere until someone logs in. */
  static UserboundConfig offline(PostgresServer server) {
    return UserboundConfig.builder()
        .database(DatabaseConfig.builder("finance", server.jdbcUrl("postgres")).build())
        .build();
  }

  /** A Userbound closed (and checked for leaks) after the test. */
  static Userbound userbound(UserboundConfig config) {
    return UserboundLeaks.track(Userbound.create(config));
  }
}
