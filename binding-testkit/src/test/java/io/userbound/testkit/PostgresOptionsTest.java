package io.userbound.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresOptionsTest {

  @Test
  void defaults_areAsDocumented() {
    PostgresOptions options = PostgresOptions.defaults();

    assertThat(options.name()).isEqualTo("pg");
    assertThat(options.maxConnections()).isEqualTo(100);
    assertThat(options.source()).isEqualTo(Source.AUTO);
    assertThat(options.settings()).isEmpty();
    assertThat(options.externalUrl()).isEmpty();
  }

  @Test
  void maxConnections_outOfRangeNamesSettingAndValue() {
    assertThatThrownBy(() -> PostgresOptions.builder().maxConnections(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxConnections must be between 1 and 10000, but was 0");
    assertThatThrownBy(() -> PostgresOptions.builder().maxConnections(10_001))
        .hasMessageContaining("10001");
  }

  @Test
  void name_malformedIsRefused() {
    assertThatThrownBy(() -> PostgresOptions.builder().name("../etc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name")
        .hasMessageContaining("'../etc'");
  }

  @Test
  void setting_reservedOrMalformedIsRefused() {
    assertThatThrownBy(() -> PostgresOptions.builder().setting("max_connections", "5"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxConnections(int)");
    assertThatThrownBy(() -> PostgresOptions.builder().setting("port", "5"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PostgresOptions.builder().setting("a b", "5"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PostgresOptions.builder().setting("work_mem", "1\n2"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void settings_keepOrderAndAreUnmodifiable() {
    PostgresOptions options =
        PostgresOptions.builder()
            .setting("work_mem", "8MB")
            .setting("log_min_messages", "warning")
            .build();

    assertThat(options.settings())
        .containsExactly(Map.entry("work_mem", "8MB"), Map.entry("log_min_messages", "warning"));
    assertThatThrownBy(() -> options.settings().put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void toString_masksPasswords() {
    char[] password = "hunter2hunter2".toCharArray();
    PostgresOptions options =
        PostgresOptions.builder()
            .externalUrl("jdbc:postgresql://db:5432/postgres?password=urlsecret&ssl=true")
            .externalUser("admin")
            .externalPassword(password)
            .build();
    password[0] = 'X';

    assertThat(options.toString())
        .doesNotContain("hunter2")
        .doesNotContain("urlsecret")
        .contains("externalPassword=***");
    assertThat(options.externalPassword())
        .hasValueSatisfying(p -> assertThat(new String(p)).isEqualTo("hunter2hunter2"));
  }

  @Test
  void build_credentialsWithoutUrlOrUrlWithOtherSourceIsRefused() {
    assertThatThrownBy(() -> PostgresOptions.builder().externalUser("a").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("externalUrl");
    assertThatThrownBy(
            () ->
                PostgresOptions.builder()
                    .source(Source.LOCAL)
                    .externalUrl("jdbc:postgresql://h/db")
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("LOCAL");
  }
}
