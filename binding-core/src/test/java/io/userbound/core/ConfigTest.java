package io.userbound.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigTest {

  private static final String URL = "jdbc:postgresql://127.0.0.1:5432/finance";

  @Test
  void maxConnectionsPerPerson_negative_isRejectedNamingSettingAndValue() {
    assertThatThrownBy(() -> DatabaseConfig.builder("finance", URL).maxConnectionsPerPerson(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxConnectionsPerPerson = -1");
  }

  @Test
  void budget_zero_isRejected() {
    assertThatThrownBy(() -> DatabaseConfig.builder("finance", URL).budget(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("budget = 0");
  }

  @Test
  void budget_smallerThanPerUserMax_isRejectedAtBuild() {
    var b = DatabaseConfig.builder("finance", URL).maxConnectionsPerPerson(5).budget(3);
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("budget (3)")
        .hasMessageContaining("maxConnectionsPerPerson (5)");
  }

  @Test
  void url_notPostgres_isRejected() {
    assertThatThrownBy(() -> DatabaseConfig.builder("finance", "jdbc:mysql://x/y"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jdbcUrl = jdbc:mysql://x/y")
        .hasMessageContaining("jdbc:postgresql:");
  }

  @Test
  void url_withPassword_isRejectedAndMasked() {
    assertThatThrownBy(
            () -> DatabaseConfig.builder("finance", URL + "?user=a&password=Sup3rSecret"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("password=***")
        .hasMessageNotContaining("Sup3rSecret");
  }

  @Test
  void maskUrl_hidesPassword() {
    assertThat(DatabaseConfig.maskUrl("jdbc:postgresql://h/d?password=abc&ssl=true"))
        .isEqualTo("jdbc:postgresql://h/d?password=***&ssl=true");
  }

  @Test
  void name_invalid_isRejected() {
    assertThatThrownBy(() -> DatabaseConfig.builder("fin ance", URL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name = fin ance");
  }

  @Test
  void durations_outOfRange_areRejected() {
    var b = DatabaseConfig.builder("finance", URL);
    assertThatThrownBy(() -> b.connectionTimeout(Duration.ofMillis(10)))
        .hasMessageContaining("connectionTimeout = PT0.01S");
    assertThatThrownBy(() -> b.idleTimeout(Duration.ZERO))
        .hasMessageContaining("idleTimeout = PT0S");
    assertThatThrownBy(() -> b.maxLifetime(Duration.ofSeconds(1)))
        .hasMessageContaining("maxLifetime = PT1S");
    assertThatThrownBy(() -> b.maxPools(0)).hasMessageContaining("maxPools = 0");
  }

  @Test
  void driverProperty_credentials_areRejected() {
    var b = DatabaseConfig.builder("finance", URL);
    assertThatThrownBy(() -> b.driverProperty("password", "x"))
        .hasMessageContaining("driverProperty = password");
    assertThatThrownBy(() -> b.driverProperty("USER", "x"))
        .hasMessageContaining("driverProperty = USER");
  }

  @Test
  void databases_duplicateName_isRejected() {
    var b = UserboundConfig.builder().database(DatabaseConfig.builder("finance", URL).build());
    assertThatThrownBy(() -> b.database(DatabaseConfig.builder("finance", URL).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("database = finance: declared twice");
  }

  @Test
  void loginDatabase_defaultsToFirstDeclared_andUnknownIsRejected() {
    var config =
        UserboundConfig.builder()
            .database(DatabaseConfig.builder("finance", URL).build())
            .database(DatabaseConfig.builder("staff", URL).build())
            .build();
    assertThat(config.loginDatabase()).isEqualTo("finance");
    var b =
        UserboundConfig.builder()
            .database(DatabaseConfig.builder("finance", URL).build())
            .verifyLoginsOn("nope");
    assertThatThrownBy(b::build).hasMessageContaining("verifyLoginsOn = nope");
    assertThatThrownBy(() -> UserboundConfig.builder().build())
        .hasMessageContaining("declare at least one database");
  }

  @Test
  void database_unknownName_isTyped() {
    var config =
        UserboundConfig.builder().database(DatabaseConfig.builder("finance", URL).build()).build();
    assertThatThrownBy(() -> config.database("staff"))
        .isInstanceOf(UnknownDatabaseException.class)
        .hasMessageContaining("[finance]");
  }

  @Test
  void defaults_areSensible() {
    var d = DatabaseConfig.builder("finance", URL).build();
    assertThat(d.maxConnectionsPerPerson()).isEqualTo(2);
    assertThat(d.budget()).isEqualTo(50);
    assertThat(d.sessionReset()).isEqualTo(SessionReset.TRACKED);
    assertThat(d.handBackTimeout()).isEqualTo(d.connectionTimeout());
    assertThat(d.toString()).contains("finance").contains(URL);
  }

  @Test
  void handBackTimeout_followsTheConnectionTimeoutUnlessSet() {
    var follows =
        DatabaseConfig.builder("finance", URL).connectionTimeout(Duration.ofSeconds(2)).build();
    assertThat(follows.handBackTimeout()).isEqualTo(Duration.ofSeconds(2));
    var own =
        DatabaseConfig.builder("finance", URL).handBackTimeout(Duration.ofMillis(300)).build();
    assertThat(own.handBackTimeout()).isEqualTo(Duration.ofMillis(300));
    assertThatThrownBy(() -> DatabaseConfig.builder("finance", URL).handBackTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("handBackTimeout = PT0S");
  }

  @Test
  void build_doesNotWriteTheDefaultBudgetIntoTheBuilder() {
    var b = DatabaseConfig.builder("finance", URL);
    assertThat(b.build().budget()).isEqualTo(50);
    assertThat(b.maxConnectionsPerPerson(60).build().budget())
        .as("the default follows the per-person maximum")
        .isEqualTo(60);
  }

  @Test
  void roleSwitching_isChosenByTheGateway_andNeverShowsItsPassword() {
    char[] pw = "Gw-S3cret-pw".toCharArray();
    DatabaseConfig c = DatabaseConfig.builder("finance", URL).roleSwitching("gw", pw).build();
    pw[0] = 'X'; // the configuration keeps its own copy
    assertThat(c.strategy()).isEqualTo(IsolationStrategy.ROLE_SWITCHING);
    assertThat(c.gatewayRole()).isEqualTo("gw");
    assertThat(c.toString()).contains("ROLE_SWITCHING").doesNotContain("S3cret");
    assertThat(DatabaseConfig.builder("finance", URL).build().strategy())
        .isEqualTo(IsolationStrategy.DEDICATED_POOLS);
  }

  @Test
  void roleSwitching_badGateway_isRejected() {
    var b = DatabaseConfig.builder("finance", URL);
    assertThatThrownBy(() -> b.roleSwitching("", "pw".toCharArray()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("roleSwitching role");
    assertThatThrownBy(() -> b.roleSwitching("x".repeat(64), "pw".toCharArray()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.roleSwitching("g\0w", "pw".toCharArray()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.roleSwitching("gw", new char[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("roleSwitching password");
    assertThatThrownBy(() -> b.roleSwitching("gw", null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void reclaimAhead_mustBeBelowTheBudget() {
    assertThat(DatabaseConfig.builder("finance", URL).budget(100).build().reclaimAhead())
        .isEqualTo(6);
    assertThat(DatabaseConfig.builder("finance", URL).budget(1000).build().reclaimAhead())
        .isEqualTo(8);
    assertThatThrownBy(() -> DatabaseConfig.builder("finance", URL).reclaimAhead(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reclaimAhead = -1");
    assertThatThrownBy(
            () -> DatabaseConfig.builder("finance", URL).budget(10).reclaimAhead(10).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reclaimAhead (10)");
  }
}
