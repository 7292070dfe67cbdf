package io.userbound.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.userbound.testkit.PostgresServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The schema scripts as a DBA runs them ({@code psql -f}, twice: they are idempotent, and the
 * group roles exist already on these servers), and the application started against existing
 * servers with {@code --finance-url}/{@code --staff-url}, creating nothing.
 */
@ExtendWith(SampleAppExtension.class)
class ExistingServersTest {

  @Test
  void schemaRunByHand_thenTheAppOnExistingServers_enforcesTheSameGrants(SampleApp embedded)
      throws Exception {
    PostgresServer financeServer = embedded.demo().orElseThrow().finance();
    PostgresServer staffServer = embedded.demo().orElseThrow().staff();
    financeServer.createDatabase("books");
    staffServer.createDatabase("people");
    try {
      for (int run = 0; run < 2; run++) {
        runAsDba(financeServer, "books", "db/finance.sql");
        runAsDba(staffServer, "people", "db/staff.sql");
      }
      financeServer.execute("books", "INSERT INTO customer (name, country) VALUES ('Hooli', 'US')");
      Options options =
          Options.parse(
                  new String[] {
                    "--port",
                    "0",
                    "--finance-url",
                    financeServer.jdbcUrl("books"),
                    "--staff-url",
                    staffServer.jdbcUrl("people")
                  },
                  Map.of())
              .orElseThrow();
      try (SampleApp app = SampleApp.start(options)) {
        assertThat(app.demo()).isEmpty();
        try (Person alice = Person.loggedIn(app, "alice");
            Person carol = Person.loggedIn(app, "carol")) {
          assertThat(alice.get("/api/finance/customers").values("name")).containsExactly("Hooli");
          assertThat(alice.get("/api/staff/hours").body()).isEmpty();
          assertThat(alice.post("/api/staff/hours", "{\"projectId\":1,\"hours\":1}").status())
              .isEqualTo(400);
          assertThat(carol.get("/api/me").body().at("/databases/staff/error").asText())
              .isEqualTo("access_denied");
          assertThat(carol.get("/api/finance/customers").status()).isEqualTo(200);
        }
      }
    } finally {
      financeServer.dropDatabase("books");
      staffServer.dropDatabase("people");
    }
  }

  /** Runs a schema script with psql, as a DBA would; without psql, through JDBC. */
  private static void runAsDba(PostgresServer server, String database, String resource)
      throws Exception {
    Optional<Path> psql = psql();
    if (psql.isEmpty()) {
      server.execute(database, Resources.text(resource));
      return;
    }
    Path script = Files.createTempFile("schema-", ".sql");
    char[] password = server.adminPassword();
    try {
      Files.writeString(script, Resources.text(resource), StandardCharsets.UTF_8);
      ProcessBuilder pb =
          new ProcessBuilder(
                  psql.get().toString(),
                  "-X",
                  "-q",
                  "-v",
                  "ON_ERROR_STOP=1",
                  "-h",
                  server.host(),
                  "-p",
                  Integer.toString(server.port()),
                  "-U",
                  server.adminUser(),
                  "-d",
                  database,
                  "-f",
                  script.toString())
              .redirectErrorStream(true);
      pb.environment().put("PGPASSWORD", new String(password));
      Process p = pb.start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("psql -f %s:%n%s", resource, output).isZero();
      assertThat(output).as(resource).doesNotContain("ERROR");
    } finally {
      Arrays.fill(password, '\0');
      Files.deleteIfExists(script);
    }
  }

  private static Optional<Path> psql() throws IOException {
    Path lib = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(lib)) {
      try (Stream<Path> versions = Files.list(lib)) {
        Optional<Path> found =
            versions
                .map(v -> v.resolve("bin/psql"))
                .filter(Files::isExecutable)
                .sorted()
                .reduce((a, b) -> b);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return List.of("/usr/bin/psql", "/usr/local/bin/psql").stream()
        .map(Path::of)
        .filter(Files::isExecutable)
        .findFirst();
  }
}
