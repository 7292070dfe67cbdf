package io.userbound.testkit.internal;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;

/** Identifier quoting and error wrapping. */
final class Sql {
  private static final int MAX_IDENTIFIER_BYTES = 63;

  private Sql() {}

  /**
   * Checks a database or role name: not empty, no NUL, at most 63 bytes (PostgreSQL would
   * silently truncate a longer one, and then drop or create the wrong object).
   */
  static String requireName(String name, String what) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException(
          what + " name must not be empty, but was " + (name == null ? "null" : "''"));
    }
    if (name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(what + " name must not contain NUL: " + printable(name));
    }
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_IDENTIFIER_BYTES) {
      throw new IllegalArgumentException(
          what
              + " name must be at most "
              + MAX_IDENTIFIER_BYTES
              + " bytes, but "
              + printable(name)
              + " has "
              + bytes);
    }
    return name;
  }

  /** Quotes an identifier: {@code a"b} becomes {@code "a""b"}. */
  static String quote(String name, String what) {
    return '"' + requireName(name, what).replace("\"", "\"\"") + '"';
  }

  static String printable(String name) {
    return "'" + name.replace("\0", "\\0") + "'";
  }

  /** Wraps a failure with what was being done and the SQLSTATE; never includes SQL text. */
  static IllegalStateException failure(String doing, SQLException e) {
    return new IllegalStateException(
        doing + " failed: " + e.getMessage() + " [SQLSTATE " + e.getSQLState() + "]", e);
  }
}
