package io.userbound.testkit.internal;

import java.util.Locale;
import java.util.Optional;

/** Reads a setting from a system property first, then from an environment variable. */
final class Env {
  static final String SOURCE = "USERBOUND_TEST_PG";
  static final String URL = "USERBOUND_TEST_PG_URL";
  static final String USER = "USERBOUND_TEST_PG_USER";
  static final String PASSWORD = "USERBOUND_TEST_PG_PASSWORD";
  static final String PG_BIN = "USERBOUND_PG_BIN";
  static final String PGBOUNCER = "USERBOUND_TEST_PGBOUNCER";
  static final String PGBOUNCER_BIN = "USERBOUND_PGBOUNCER_BIN";

  private Env() {}

  /** {@code USERBOUND_TEST_PG_URL} becomes {@code userbound.test.pg.url}. */
  static String propertyName(String envName) {
    return envName.toLowerCase(Locale.ROOT).replace('_', '.');
  }

  static Optional<String> get(String envName) {
    String value = System.getProperty(propertyName(envName));
    if (value == null || value.isBlank()) {
      value = System.getenv(envName);
    }
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  /** Names both places, for messages: {@code USERBOUND_PG_BIN (or -Duserbound.pg.bin)}. */
  static String describe(String envName) {
    return envName + " (or -D" + propertyName(envName) + ")";
  }
}
