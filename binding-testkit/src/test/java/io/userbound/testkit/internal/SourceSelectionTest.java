package io.userbound.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.userbound.testkit.PostgresOptions;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.PostgresUnavailableException;
import io.userbound.testkit.Source;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

@ResourceLock("system-properties")
class SourceSelectionTest {

  private static <T> T withProperty(String key, String value, Callable<T> body) throws Exception {
    Properties props = System.getProperties();
    String old = props.getProperty(key);
    System.setProperty(key, value);
    try {
      return body.call();
    } finally {
      if (old == null) {
        System.clearProperty(key);
      } else {
        System.setProperty(key, old);
      }
    }
  }

  @Test
  void local_withMissingBinDirSaysWhatToInstall() {
    PostgresOptions options = PostgresOptions.builder().source(Source.LOCAL).build();

    assertThatThrownBy(
            () ->
                withProperty(
                    "userbound.pg.bin", "/nonexistent/pg/bin", () -> PostgresServer.start(options)))
        .isInstanceOf(PostgresUnavailableException.class)
        .hasMessageContaining("/nonexistent/pg/bin")
        .hasMessageContaining("apt-get install postgresql-15")
        .hasMessageContaining("USERBOUND_PG_BIN")
        .hasMessageContaining("USERBOUND_TEST_PG_URL")
        .hasMessageContaining("Docker");
  }

  @Test
  void auto_withUnknownForcedSourceIsRefused() {
    assertThatThrownBy(
            () ->
                withProperty(
                    "userbound.test.pg",
                    "mainframe",
                    () -> PostgresServers.chooseSource(PostgresOptions.defaults())))
        .isInstanceOf(PostgresUnavailableException.class)
        .hasMessageContaining("local, external or docker")
        .hasMessageContaining("mainframe");
  }

  @Test
  void auto_forcedSourceWins() throws Exception {
    assertThat(
            withProperty(
                "userbound.test.pg",
                "docker",
                () -> PostgresServers.chooseSource(PostgresOptions.defaults())))
        .isEqualTo(Source.DOCKER);
  }

  @Test
  void auto_externalUrlSelectsExternal() throws Exception {
    Assumptions.assumeTrue(Env.get(Env.SOURCE).isEmpty(), "a source is forced");
    PostgresOptions options =
        PostgresOptions.builder().externalUrl("jdbc:postgresql://db.test/postgres").build();

    assertThat(PostgresServers.chooseSource(options)).isEqualTo(Source.EXTERNAL);
    assertThat(
            withProperty(
                "userbound.test.pg.url",
                "jdbc:postgresql://db.test/postgres",
                () -> PostgresServers.chooseSource(PostgresOptions.defaults())))
        .isEqualTo(Source.EXTERNAL);
  }

  @Test
  void external_withoutUrlSaysWhatToSet() {
    Assumptions.assumeTrue(Env.get(Env.URL).isEmpty(), "USERBOUND_TEST_PG_URL is set");
    PostgresOptions options = PostgresOptions.builder().source(Source.EXTERNAL).build();

    assertThatThrownBy(() -> PostgresServer.start(options))
        .isInstanceOf(PostgresUnavailableException.class)
        .hasMessageContaining("USERBOUND_TEST_PG_URL");
  }

  @Test
  void pgBinaries_newestVersionFirst() {
    assertThat(PgBinaries.compareVersions("15", "9.6")).isPositive();
    assertThat(PgBinaries.compareVersions("10", "9.6")).isPositive();
    assertThat(PgBinaries.compareVersions("15.1", "15")).isPositive();
    assertThat(PgBinaries.compareVersions("14", "14")).isZero();
  }

  @Test
  void pgBinaries_foundOnThisMachine() {
    Assumptions.assumeTrue(
        Env.get(Env.SOURCE).map("local"::equals).orElse(true), "another source is forced");
    Path bin = PgBinaries.require();

    assertThat(PgBinaries.isBinDir(bin)).isTrue();
  }

  @Test
  void externalUrl_isParsedAndKeepsParameters() {
    ExternalPostgresServer server =
        ExternalPostgresServer.parse(
            "x",
            "jdbc:postgresql://db.test:6543/maint?ssl=true&sslmode=require",
            "admin",
            new char[0]);

    assertThat(server.host()).isEqualTo("db.test");
    assertThat(server.port()).isEqualTo(6543);
    assertThat(server.maintenanceDatabase()).isEqualTo("maint");
    assertThat(server.jdbcUrl("a b"))
        .isEqualTo("jdbc:postgresql://db.test:6543/a+b?ssl=true&sslmode=require");
    assertThat(
            ExternalPostgresServer.parse("x", "jdbc:postgresql://[::1]/", "a", new char[0])
                .jdbcUrl("d"))
        .isEqualTo("jdbc:postgresql://[::1]:5432/d?sslmode=disable");
    assertThatThrownBy(
            () ->
                ExternalPostgresServer.parse(
                    "x", "jdbc:postgresql://h1,h2/db?password=pw", "a", new char[0]))
        .isInstanceOf(PostgresUnavailableException.class)
        .hasMessageContaining("one host")
        .hasMessageNotContaining("=pw");
  }

  @Test
  void pgVersion_otherThanTheMatrix_isRefusedNamingTheChoices() {
    assertThatThrownBy(() -> withProperty("userbound.pg.version", "14", PgVersion::requested))
        .isInstanceOf(PostgresUnavailableException.class)
        .hasMessageContaining("USERBOUND_PG_VERSION")
        .hasMessageContaining("16, 17, 18")
        .hasMessageContaining("'14'");
  }

  @Test
  void pgVersion_whoseBinariesAreNotInTheLocalRepository_saysHowToFetchThem(@TempDir Path empty)
      throws Exception {
    Assumptions.assumeTrue(Env.get(Env.PG_BIN).isEmpty(), "USERBOUND_PG_BIN is set");
    PostgresOptions options = PostgresOptions.builder().source(Source.LOCAL).build();

    assertThatThrownBy(
            () ->
                withProperty(
                    "maven.repo.local",
                    empty.toString(),
                    () ->
                        withProperty(
                            "userbound.pg.version", "17", () -> PostgresServer.start(options))))
        .isInstanceOf(PostgresUnavailableException.class)
        .hasMessageContaining("PostgreSQL 17")
        .hasMessageContaining(empty.toString())
        .hasMessageContaining("dependency:get -Dartifact=io.zonky.test.postgres:")
        .hasMessageContaining("USERBOUND_PG_BIN");
  }

  @Test
  void pgVersion_thatTheGivenBinariesAreNot_isRefusedNamingBoth() throws Exception {
    Path bin = PgBinaries.require();
    int major = PgVersion.majorOf(bin);
    String other = major == 18 ? "17" : "18";

    assertThatThrownBy(
            () ->
                withProperty(
                    "userbound.pg.bin",
                    bin.toString(),
                    () -> withProperty("userbound.pg.version", other, PgBinaries::find)))
        .isInstanceOf(PostgresUnavailableException.class)
        .hasMessageContaining("PostgreSQL " + other + " was asked for")
        .hasMessageContaining("holds PostgreSQL " + major)
        .hasMessageContaining(bin.toString());
  }
}
