package io.userbound.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import io.userbound.testkit.TestPasswords;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile-input campaign of the public API: role names, passwords, clients, database
 * names, JDBC URLs and driver properties an attacker (or a careless caller) may pass. Each one
 * must give its typed exception, leave nothing behind (no pool, no budget permit, no backend)
 * and leave the server and Userbound serving the next honest person. (The HTTP half of the
 * campaign, form encodings and oversized bodies, is binding-servlet's HostileRequestTest;
 * every module's last test scans every log line for every test password.)
 */
@ExtendWith(PostgresExtension.class)
class HostileInputTest {

  /** What an input is tried against: a Userbound with one logged-in person. */
  record Target(Userbound ub, Login honest, Fixtures.Person person, PostgresServer server) {}

  /** One hostile input: its name, what to do with it, and the exception it must give. */
  record Input(String name, Function<Target, Object> attempt, Class<?> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Input login(String name, String role, char[] password, Class<?> expected) {
    return new Input(name, t -> t.ub().login(role, password, "203.0.113.9"), expected);
  }

  static Input config(String name, Function<Target, Object> attempt) {
    return new Input(name, attempt, IllegalArgumentException.class);
  }

  static Stream<Arguments> inputs() {
    char[] some = "Some-pw-1".toCharArray();
    Class<?> refused = LoginFailedException.class;
    List<Input> all =
        List.of(
            login("empty role", "", some, refused),
            login("null role", null, some, refused),
            login("role of 64 ASCII bytes", "r".repeat(64), some, refused),
            login("role of 22 three-byte characters (66 bytes)", "€".repeat(22), some, refused),
            login("role with NUL", "ali\0ce", some, refused),
            login("role with an unpaired surrogate", "al\uD800ice", some, refused),
            login("role as SQL injection", "x'; DROP ROLE postgres; --", some, refused),
            login("quoted role", "\"postgres\"", some, refused),
            login("role with a newline (log injection)", "alice\nINFO forged", some, refused),
            login("role with a right-to-left override", "\u202Eecila", some, refused),
            login("superuser with a guessed password", "postgres", some, refused),
            login("predefined NOLOGIN role", "pg_read_all_data", some, refused),
            login("role of 100,000 characters", "a".repeat(100_000), some, refused),
            login("empty password", "alice", new char[0], refused),
            login("null password", "alice", null, refused),
            login("password of 5,000 characters", "alice", new char[5000], refused),
            login("password with NUL", "alice", "pw\0pw".toCharArray(), refused),
            login(
                "password with an unpaired surrogate", "alice", "pw\uDC00".toCharArray(), refused),
            login(
                "password SASLprep maps to nothing",
                "alice",
                "\u00AD\u200B".toCharArray(),
                refused),
            new Input(
                "the person's role with another person's password",
                t -> t.ub().login(t.person().role(), ("Not-" + "theirs-9".repeat(2)).toCharArray()),
                refused),
            new Input(
                "the person's role, password with a trailing space",
                t ->
                    t.ub()
                        .login(
                            t.person().role(),
                            (new String(t.person().password()) + " ").toCharArray()),
                refused),
            new Input(
                "the person's role in upper case",
                t ->
                    t.ub().login(t.person().role().toUpperCase(Locale.ROOT), t.person().password()),
                refused),
            new Input(
                "a client name of 100,000 characters with newlines",
                t -> t.ub().login("nobody_here", some, "x\n".repeat(50_000)),
                refused),
            new Input(
                "an unknown database",
                t -> t.ub().connection(t.honest(), "main; select 1"),
                UnknownDatabaseException.class),
            new Input(
                "a null database",
                t -> t.ub().connection(t.honest(), null),
                UnknownDatabaseException.class),
            new Input(
                "a database name with NUL",
                t -> t.ub().connection(t.honest(), "main\0"),
                UnknownDatabaseException.class),
            new Input(
                "a login of another Userbound instance",
                t -> {
                  try (Userbound other =
                      Userbound.create(
                          UserboundConfig.builder()
                              .database(Fixtures.database("main", t.server(), "postgres").build())
                              .build())) {
                    Login foreign = other.login(t.person().role(), t.person().password());
                    return t.ub().connection(foreign, "main");
                  }
                },
                IllegalArgumentException.class),
            new Input(
                "a connection for nobody bound",
                t -> t.ub().connection("main"),
                NotBoundException.class),
            config(
                "a JDBC URL with a password",
                t -> DatabaseConfig.builder("x", "jdbc:postgresql://h/db?password=Leak-pw-1")),
            config(
                "a JDBC URL with a user",
                t -> DatabaseConfig.builder("x", "jdbc:postgresql://h/db?user=admin").build()),
            config(
                "a JDBC URL of another driver",
                t -> DatabaseConfig.builder("x", "jdbc:mysql://h/db")),
            config("not a JDBC URL", t -> DatabaseConfig.builder("x", "file:///etc/passwd")),
            config(
                "a driver property that sets the user",
                t ->
                    DatabaseConfig.builder("x", "jdbc:postgresql://h/db")
                        .driverProperty("user", "a")),
            config(
                "a driver property that sets the password",
                t ->
                    DatabaseConfig.builder("x", "jdbc:postgresql://h/db")
                        .driverProperty("password", "Leak-pw-2")),
            config(
                "an empty database name",
                t -> DatabaseConfig.builder("", "jdbc:postgresql://h/db")),
            config(
                "a negative budget",
                t -> DatabaseConfig.builder("x", "jdbc:postgresql://h/db").budget(-1)),
            config(
                "a negative connection timeout",
                t ->
                    DatabaseConfig.builder("x", "jdbc:postgresql://h/db")
                        .connectionTimeout(Duration.ofSeconds(-1))),
            config(
                "a gateway role with NUL",
                t ->
                    DatabaseConfig.builder("x", "jdbc:postgresql://h/db")
                        .roleSwitching("g\0w", "pw".toCharArray())),
            config(
                "two databases of one name",
                t ->
                    UserboundConfig.builder()
                        .database(DatabaseConfig.builder("x", "jdbc:postgresql://h/a").build())
                        .database(DatabaseConfig.builder("x", "jdbc:postgresql://h/b").build())
                        .build()));
    return all.stream().map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputs")
  void hostileInput_givesItsTypedError_leavesNothingBehind_andTheServerServes(
      Input input, PostgresServer server, TestNames names) throws Exception {
    Fixtures.Person person = Fixtures.person(names);
    TestPasswords.remember("Leak-pw-1".toCharArray());
    TestPasswords.remember("Leak-pw-2".toCharArray());
    Userbound ub =
        Fixtures.userbound(Fixtures.database("main", server, "postgres").budget(4).build());
    Login honest = ub.login(person.role(), person.password());
    try (Connection c = ub.connection(honest, "main")) {
      assertThat(Fixtures.currentUser(c)).isEqualTo(person.role());
    }
    DatabaseStats before = ub.stats("main");

    Throwable thrown =
        catchThrowable(() -> input.attempt().apply(new Target(ub, honest, person, server)));

    assertThat(thrown).as(input.name()).isInstanceOf(input.expected());
    assertThat(thrown.getMessage()).as("a message that says what is wrong").isNotBlank();
    assertThat(String.valueOf(thrown.getMessage()))
        .doesNotContain("Leak-pw-1")
        .doesNotContain("Leak-pw-2")
        .doesNotContain(new String(person.password()));
    DatabaseStats after = ub.stats("main");
    assertThat(after.pools()).as("pools").isEqualTo(before.pools());
    assertThat(after.budgetUsed()).as("budget permits").isEqualTo(before.budgetUsed());
    assertThat(after.activeConnections()).as("lent connections").isZero();
    // The next honest request is served as before.
    try (Connection c = ub.connection(honest, "main")) {
      assertThat(Fixtures.currentUser(c)).isEqualTo(person.role());
    }
    Login again = ub.login(person.role(), person.password());
    try (Connection c = ub.connection(again, "main")) {
      assertThat(Fixtures.currentUser(c)).isEqualTo(person.role());
    }
  }
}
