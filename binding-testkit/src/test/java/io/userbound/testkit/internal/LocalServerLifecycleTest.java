package io.userbound.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.userbound.testkit.Await;
import io.userbound.testkit.Jdbc;
import io.userbound.testkit.PostgresOptions;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.Source;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LocalServerLifecycleTest {
  private static final Duration DEADLINE = Duration.ofSeconds(20);
  private static LocalPostgresServer server;

  @BeforeAll
  static void startServer() {
    Assumptions.assumeTrue(PgBinaries.find().isPresent(), "no local PostgreSQL binaries");
    server = start("lifecycle");
  }

  @AfterAll
  static void closeServer() {
    if (server != null) {
      server.close();
    }
  }

  private static LocalPostgresServer start(String name) {
    return (LocalPostgresServer)
        PostgresServer.start(
            PostgresOptions.builder().name(name).source(Source.LOCAL).maxConnections(20).build());
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(
          new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port), 1000);
      return true;
    } catch (ConnectException e) {
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /** Processes whose command line names the path: the postmaster (and runuser, as root). */
  private static List<ProcessHandle> processesMentioning(Path path) {
    String needle = path.toString();
    return ProcessHandle.allProcesses()
        .filter(
            p ->
                p.info()
                    .commandLine()
                    .or(() -> p.info().arguments().map(a -> String.join(" ", a)))
                    .map(c -> c.contains(needle))
                    .orElse(false))
        .collect(Collectors.toList());
  }

  @Test
  void start_localServerRunsOnLoopbackWithGivenSettings() throws SQLException {
    assertThat(server.host()).isEqualTo("127.0.0.1");
    assertThat(server.isRunning()).isTrue();
    assertThat(server.supportsLifecycle()).isTrue();
    assertThat(server.name()).isEqualTo("lifecycle");
    assertThat(server.baseDirectory().getFileName().toString())
        .startsWith("userbound-pg-lifecycle");
    try (Connection c = server.adminConnection("postgres")) {
      assertThat(Jdbc.queryString(c, "SHOW max_connections")).isEqualTo("20");
      assertThat(Jdbc.queryString(c, "SHOW fsync")).isEqualTo("off");
      assertThat(Jdbc.queryString(c, "SHOW listen_addresses")).isEqualTo("127.0.0.1");
    }
    assertThat(Files.exists(server.baseDirectory().resolve("pwfile"))).isFalse();
  }

  @Test
  void twoServers_runAtOnceSeparately() throws SQLException {
    try (LocalPostgresServer other = start("second")) {
      assertThat(other.port()).isNotEqualTo(server.port());
      assertThat(other.dataDirectory()).isNotEqualTo(server.dataDirectory());
      assertThat(new String(other.adminPassword()))
          .isNotEqualTo(new String(server.adminPassword()));
      other.createDatabase("only_on_second");
      try (Connection c = server.adminConnection("postgres")) {
        assertThat(
                Jdbc.queryString(
                    c, "SELECT count(*) FROM pg_database WHERE datname = 'only_on_second'"))
            .isEqualTo("0");
      }
      try (Connection c = other.adminConnection("only_on_second")) {
        assertThat(Jdbc.queryString(c, "SELECT 1")).isEqualTo("1");
      }
    }
  }

  @Test
  void restart_keepsPortAndDataAndBreaksOldConnections() throws SQLException {
    int port = server.port();
    server.execute(
        "postgres", "CREATE TABLE IF NOT EXISTS kept (x int); INSERT INTO kept VALUES (7)");
    try (Connection before = server.adminConnection("postgres")) {
      server.restart();

      assertThat(server.port()).isEqualTo(port);
      assertThat(server.isRunning()).isTrue();
      assertThatThrownBy(() -> Jdbc.queryString(before, "SELECT 1"))
          .isInstanceOf(SQLException.class);
    }
    try (Connection after = server.adminConnection("postgres")) {
      assertThat(Jdbc.queryString(after, "SELECT count(*) FROM kept WHERE x = 7"))
          .isNotEqualTo("0");
    }
  }

  @Test
  void crashAndRestart_keepsPortAndCheckpointedDataAndBreaksOldConnections() throws SQLException {
    int port = server.port();
    server.execute(
        "postgres", "CREATE TABLE IF NOT EXISTS crashed (x int); INSERT INTO crashed VALUES (9)");
    server.execute("postgres", "CHECKPOINT");
    try (Connection before = server.adminConnection("postgres")) {
      server.crashAndRestart();

      assertThat(server.port()).isEqualTo(port);
      assertThat(server.isRunning()).isTrue();
      assertThatThrownBy(() -> Jdbc.queryString(before, "SELECT 1"))
          .isInstanceOf(SQLException.class);
    }
    try (Connection after = server.adminConnection("postgres")) {
      // Test servers run with synchronous_commit off, so what the WAL writer had not written
      // yet is lost in a crash, as on any server so configured; a checkpoint's data is not.
      assertThat(Jdbc.queryString(after, "SELECT count(*) FROM crashed WHERE x = 9"))
          .isNotEqualTo("0");
    }
  }

  @Test
  void stopThenStart_refusesWhileStoppedAndWorksAfter() throws SQLException {
    int port = server.port();

    server.stop();
    assertThat(server.isRunning()).isFalse();
    assertThat(accepts(port)).isFalse();
    assertThatThrownBy(() -> server.adminConnection("postgres").close())
        .isInstanceOf(SQLException.class);
    server.stop(); // already stopped: no-op

    server.start();
    server.start(); // already running: no-op
    assertThat(server.isRunning()).isTrue();
    assertThat(server.port()).isEqualTo(port);
    try (Connection c = server.adminConnection("postgres")) {
      assertThat(Jdbc.queryString(c, "SELECT 1")).isEqualTo("1");
    }
  }

  @Test
  void close_removesDataDirectoryPortAndProcesses() {
    LocalPostgresServer doomed = start("doomed");
    Path base = doomed.baseDirectory();
    Path data = doomed.dataDirectory();
    int port = doomed.port();
    long pid = doomed.serverPid().orElseThrow();
    assertThat(processesMentioning(data)).isNotEmpty();
    assertThat(accepts(port)).isTrue();

    doomed.close();

    assertThat(base).doesNotExist();
    assertThat(doomed.isRunning()).isFalse();
    Await.until("port " + port + " refuses connections", DEADLINE, () -> !accepts(port));
    Await.until("no process mentions " + data, DEADLINE, () -> processesMentioning(data).isEmpty());
    Await.until(
        "postmaster " + pid + " is gone",
        DEADLINE,
        () -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
  }

  @Test
  void close_isIdempotentAndLifecycleAfterCloseIsIllegalState() {
    LocalPostgresServer closed = start("closed");
    closed.close();
    closed.close();

    assertThatThrownBy(closed::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(closed::stop).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> closed.createDatabase("x"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
