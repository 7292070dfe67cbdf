package io.userbound.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(PostgresExtension.class)
class AdminOperationsTest {
  private static final char[] PASSWORD = "s3cret-Pa55".toCharArray();
  private static final Duration DEADLINE = Duration.ofSeconds(10);

  private static boolean databaseExists(PostgresServer server, String name) {
    return "1"
        .equals(
            Jdbc.adminQuery(
                server,
                "postgres",
                "SELECT count(*) FROM pg_database WHERE datname = '"
                    + name.replace("'", "''")
                    + "'"));
  }

  private static boolean roleExists(PostgresServer server, String name) {
    return "1"
        .equals(
            Jdbc.adminQuery(
                server,
                "postgres",
                "SELECT count(*) FROM pg_roles WHERE rolname = '" + name.replace("'", "''") + "'"));
  }

  @Test
  void createDatabase_thenDropDatabase(PostgresServer server, TestNames names) {
    String db = names.database("orders");

    server.createDatabase(db);
    assertThat(databaseExists(server, db)).isTrue();
    assertThat(Jdbc.adminQuery(server, db, "SELECT current_database()")).isEqualTo(db);

    server.dropDatabase(db);
    assertThat(databaseExists(server, db)).isFalse();
  }

  @Test
  void dropDatabase_missingIsNoOp(PostgresServer server, TestNames names) {
    server.dropDatabase(names.database());
  }

  @Test
  void dropDatabase_withOpenConnectionForcesItOut(PostgresServer server, TestNames names)
      throws SQLException {
    String db = names.createDatabase();
    try (Connection c = server.adminConnection(db)) {
      server.dropDatabase(db);

      assertThat(databaseExists(server, db)).isFalse();
      assertThat(c.isValid(2)).isFalse();
    }
  }

  @Test
  void createDatabase_existingIsIllegalStateWithSqlState(PostgresServer server, TestNames names) {
    String db = names.createDatabase();

    assertThatThrownBy(() -> server.createDatabase(db))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(db)
        .hasMessageContaining("42P04")
        .hasCauseInstanceOf(SQLException.class);
  }

  @Test
  void createLogin_canConnectAndPasswordArrayIsUntouched(PostgresServer server, TestNames names)
      throws SQLException {
    char[] password = "pw-for-alice".toCharArray();
    String role = names.role("alice");

    server.createLogin(role, password);

    assertThat(new String(password)).isEqualTo("pw-for-alice");
    try (Connection c = Jdbc.connect(server.jdbcUrl("postgres"), role, password)) {
      assertThat(Jdbc.queryString(c, "SELECT session_user")).isEqualTo(role);
    }
  }

  @Test
  void createGroupRole_cannotLogIn(PostgresServer server, TestNames names) {
    String group = names.role("clerks");

    server.createGroupRole(group);

    assertThat(roleExists(server, group)).isTrue();
    assertThatThrownBy(() -> Jdbc.connect(server.jdbcUrl("postgres"), group, PASSWORD).close())
        .isInstanceOf(SQLException.class);
  }

  @Test
  void dropRole_missingIsNoOp(PostgresServer server, TestNames names) {
    server.dropRole(names.role());
  }

  @Test
  void dropRole_ownerOfObjectsWithOpenConnectionIsDropped(PostgresServer server, TestNames names)
      throws SQLException {
    String role = names.login(PASSWORD);
    String db = names.createDatabase();
    String ownedDb = names.database("owned");
    server.execute(db, "GRANT CREATE ON SCHEMA public TO " + role);
    server.createDatabase(ownedDb);
    server.execute(
        "postgres",
        "ALTER DATABASE "
            + ownedDb
            + " OWNER TO "
            + role
            + "; GRANT CONNECT ON DATABASE "
            + db
            + " TO "
            + role);
    try (Connection c = Jdbc.connect(server.jdbcUrl(db), role, PASSWORD)) {
      c.createStatement().execute("CREATE TABLE mine (id int)");

      server.dropRole(role);

      assertThat(roleExists(server, role)).isFalse();
      assertThat(c.isValid(2)).isFalse();
    }
    assertThat(
            Jdbc.adminQuery(
                server, db, "SELECT tableowner FROM pg_tables" + " WHERE tablename = 'mine'"))
        .isEqualTo(server.adminUser());
    assertThat(
            Jdbc.adminQuery(
                server,
                "postgres",
                "SELECT pg_get_userbyid(datdba)"
                    + " FROM pg_database WHERE datname = '"
                    + ownedDb
                    + "'"))
        .isEqualTo(server.adminUser());
  }

  @Test
  void execute_runsSeveralStatements(PostgresServer server, TestNames names) {
    String db = names.createDatabase();

    server.execute(
        db, "CREATE TABLE t (x int); INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)");

    assertThat(Jdbc.adminQuery(server, db, "SELECT sum(x) FROM t")).isEqualTo("3");
  }

  @Test
  void execute_failureRollsBackAndNamesSqlState(PostgresServer server, TestNames names) {
    String db = names.createDatabase();

    assertThatThrownBy(() -> server.execute(db, "CREATE TABLE t (x int); SELECT 1/0"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("22012")
        .hasMessageContaining(db);
    assertThat(Jdbc.adminQuery(server, db, "SELECT to_regclass('t')")).isNull();
  }

  @Test
  void runScript_runsFile(PostgresServer server, TestNames names, @TempDir Path dir)
      throws Exception {
    String db = names.createDatabase();
    Path script = dir.resolve("schema.sql");
    Files.writeString(
        script,
        """
        -- schema; with a comment
        CREATE TABLE invoice (id int PRIMARY KEY, note text);
        INSERT INTO invoice VALUES (1, 'a;b'), (2, $$c;'d$$);
        DO $$ BEGIN PERFORM 1; END $$;
        """);

    server.runScript(db, script);

    assertThat(Jdbc.adminQuery(server, db, "SELECT string_agg(note, ',' ORDER BY id) FROM invoice"))
        .isEqualTo("a;b,c;'d");
  }

  @Test
  void runScript_missingFileIsIllegalState(PostgresServer server, @TempDir Path dir) {
    assertThatThrownBy(() -> server.runScript("postgres", dir.resolve("nope.sql")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("nope.sql");
  }

  @Test
  void backends_showLoginWhileConnectedAndCountDropsAfterClose(
      PostgresServer server, TestNames names) throws SQLException {
    String role = names.login(PASSWORD);
    assertThat(server.backendCount(role)).isZero();

    try (Connection c =
        Jdbc.connect(server.jdbcUrl("postgres") + "&ApplicationName=probe", role, PASSWORD)) {
      assertThat(c.isValid(2)).isTrue();
      assertThat(server.backendCount(role)).isEqualTo(1);
      assertThat(server.backends())
          .filteredOn(b -> role.equals(b.user()))
          .singleElement()
          .satisfies(
              b -> {
                assertThat(b.database()).isEqualTo("postgres");
                assertThat(b.applicationName()).isEqualTo("probe");
                assertThat(b.state()).isEqualTo("idle");
                assertThat(b.pid()).isPositive();
              });
    }

    Await.until("backend of " + role + " is gone", DEADLINE, () -> server.backendCount(role) == 0);
  }

  @Test
  void backends_excludeTheAskingConnection(PostgresServer server) {
    assertThat(server.backends()).noneMatch(b -> b.user() == null);
    assertThat(server.backends()).allMatch(b -> b.pid() > 0);
  }

  @Test
  void hostileNames_areQuotedAndDropCleanly(PostgresServer server, TestNames names)
      throws SQLException {
    String db = names.prefix() + "_d\";DROP x";
    String role = names.prefix() + "_r\"ole; x";

    server.createDatabase(db);
    server.createLogin(role, PASSWORD);
    server.execute(db, "CREATE TABLE \"t\"\"x\" (id int)");
    try (Connection c = Jdbc.connect(server.jdbcUrl(db), role, PASSWORD)) {
      assertThat(Jdbc.queryString(c, "SELECT current_database() || '|' || current_user"))
          .isEqualTo(db + "|" + role);
    }

    server.dropDatabase(db);
    server.dropRole(role);

    assertThat(databaseExists(server, db)).isFalse();
    assertThat(roleExists(server, role)).isFalse();
    assertThat(databaseExists(server, "postgres")).isTrue();
  }

  @Test
  void names_longerThan63BytesAreRefused(PostgresServer server) {
    String tooLong = "x".repeat(64);

    assertThatThrownBy(() -> server.createDatabase(tooLong))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("63 bytes");
    assertThatThrownBy(() -> server.dropRole(tooLong)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void jdbcUrl_isLoopbackWithSslDisabled(PostgresServer server) {
    assertThat(server.jdbcUrl("finance"))
        .isEqualTo(
            "jdbc:postgresql://"
                + server.host()
                + ":"
                + server.port()
                + "/finance?sslmode=disable");
  }
}
