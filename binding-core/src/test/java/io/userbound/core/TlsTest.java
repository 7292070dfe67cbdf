package io.userbound.core;

import static io.userbound.core.Fixtures.currentUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.userbound.testkit.PostgresOptions;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestPasswords;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Databases on other hosts: logins cross the network only to a server the client has
 * verified (sslmode=verify-full against the server's authority). A TLS-only server with a
 * certificate from a throw-away authority that the test kit makes.
 */
class TlsTest {

  private static PostgresServer server;
  private static char[] password;

  @BeforeAll
  static void startServer() {
    server = PostgresServer.start(PostgresOptions.builder().name("tls").tls(true).build());
    password = TestPasswords.fresh();
    server.createLogin("tls_alice", password);
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private static Userbound userbound(String url) {
    return Fixtures.track(
        Userbound.create(
            UserboundConfig.builder()
                .database(
                    DatabaseConfig.builder("main", url)
                        .connectionTimeout(Duration.ofSeconds(3))
                        .build())
                .build()));
  }

  @Test
  void verifyFull_againstTheServersAuthority_connectsOverTls() throws Exception {
    assertThat(server.jdbcUrl("postgres")).contains("sslmode=verify-full").contains("sslrootcert=");
    Userbound ub = userbound(server.jdbcUrl("postgres"));
    Login login = ub.login("tls_alice", password);
    try (Connection c = ub.connection(login, "main");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("select ssl from pg_stat_ssl where pid = pg_backend_pid()")) {
      rs.next();
      assertThat(rs.getBoolean(1)).as("the session is encrypted").isTrue();
      assertThat(currentUser(c)).isEqualTo("tls_alice");
    }
  }

  @Test
  void anotherAuthority_isRefused_beforeAnyPasswordIsSent(@TempDir Path dir) throws Exception {
    Path other = dir.resolve("other.crt");
    Process p =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-new",
                "-nodes",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-keyout",
                dir.resolve("other.key").toString(),
                "-out",
                other.toString(),
                "-days",
                "1",
                "-subj",
                "/CN=impostor")
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.exists(other)).isTrue();
    String url =
        "jdbc:postgresql://127.0.0.1:"
            + server.port()
            + "/postgres?sslmode=verify-full&sslrootcert="
            + URLEncoder.encode(other.toString(), StandardCharsets.UTF_8);
    Userbound ub = userbound(url);
    assertThatThrownBy(() -> ub.login("tls_alice", password))
        .isInstanceOf(DatabaseUnavailableException.class);
    assertThat(ub.stats("main").pools()).isZero();
  }

  @Test
  void noTls_isRefusedByTheServer() {
    Userbound ub =
        userbound("jdbc:postgresql://127.0.0.1:" + server.port() + "/postgres?sslmode=disable");
    assertThatThrownBy(() -> ub.login("tls_alice", password))
        .isInstanceOf(LoginFailedException.class);
  }
}
