package io.userbound.core.internal;

import io.userbound.core.LogText;
import io.userbound.core.LoginFailedException;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/*
 * Role names and passwords are hostile input. Nothing here puts them into SQL: in the
 * dedicated-pools strategy a role name only ever travels in the startup packet. What
 * must be refused up front is what PostgreSQL would silently change: names longer than
 * NAMEDATALEN - 1 bytes are truncated by the server (two spellings, one role), NUL ends a
 * startup-packet string, and unpaired surrogates would be sent as '?'.
 */
final class Names {

  static final int MAX_ROLE_BYTES = 63;
  static final int MAX_PASSWORD_CHARS = 4096;

  private Names() {}

  static void checkLogin(String role, char[] password) {
    checkRole(role);
    if (password == null || password.length == 0) {
      throw refused("the password is empty");
    }
    if (password.length > MAX_PASSWORD_CHARS) {
      throw refused("the password is longer than " + MAX_PASSWORD_CHARS + " characters");
    }
    for (char c : password) {
      if (c == '\0') {
        throw refused("the password contains a NUL character");
      }
    }
    if (utf8Length(CharBuffer.wrap(password)) < 0) {
      throw refused("the password is not well-formed Unicode");
    }
  }

  /** A role name PostgreSQL would take as it is (see the class comment), else refused. */
  static void checkRole(String role) {
    if (role == null || role.isEmpty()) {
      throw refused("the role name is empty");
    }
    if (role.indexOf('\0') >= 0) {
      throw refused("the role name contains a NUL character");
    }
    int bytes = utf8Length(CharBuffer.wrap(role));
    if (bytes < 0) {
      throw refused("the role name is not well-formed Unicode");
    }
    if (bytes > MAX_ROLE_BYTES) {
      throw refused("the role name is longer than " + MAX_ROLE_BYTES + " bytes");
    }
  }

  /**
   * Whether SASLprep maps the password to nothing: it is made only of the characters of
   * RFC 3454 table B.1 (soft hyphen, zero-width spaces and joiners, variation selectors,
   * ...). pgjdbc cannot run SCRAM with an empty prepared password (it fails with an
   * internal error), and no such password can ever log in.
   */
  static boolean preparesToNothing(char[] password) {
    for (char c : password) {
      boolean mappedToNothing =
          c == '\u00AD'
              || c == '\u034F'
              || c == '\u1806'
              || (c >= '\u180B' && c <= '\u180D')
              || (c >= '\u200B' && c <= '\u200D')
              || c == '\u2060'
              || (c >= '\uFE00' && c <= '\uFE0F')
              || c == '\uFEFF';
      if (!mappedToNothing) {
        return false;
      }
    }
    return true;
  }

  private static LoginFailedException refused(String why) {
    return new LoginFailedException(null, "login refused: " + why, null, null);
  }

  /** UTF-8 length, or -1 if the text has unpaired surrogates. */
  private static int utf8Length(CharBuffer text) {
    CharsetEncoder encoder =
        StandardCharsets.UTF_8
            .newEncoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      var bytes = encoder.encode(text);
      int n = bytes.remaining();
      if (bytes.hasArray()) {
        Arrays.fill(
            bytes.array(), bytes.arrayOffset(), bytes.arrayOffset() + bytes.capacity(), (byte) 0);
      }
      return n;
    } catch (CharacterCodingException e) {
      return -1;
    }
  }

  /**
   * A role name (or any text from outside) made safe for a log line or message: quoted,
   * escaped by {@link LogText#escape(CharSequence, int)} (line breaks, controls, format and
   * bidi characters, lone surrogates as {@code \}{@code uXXXX}), at most 64 chars.
   */
  static String forMessage(String role) {
    if (role == null) {
      return "null";
    }
    return '\'' + LogText.escape(role, 64) + '\'';
  }

  /**
   * A role name as an SQL identifier: in double quotes, each double quote doubled, so that
   * any name (spaces, quotes, semicolons, upper case) stands for exactly that role. Role
   * names with NUL never get here (checkLogin refuses them).
   */
  static String quoteIdentifier(String role) {
    if (role.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("a role name with NUL cannot be quoted");
    }
    return '"' + role.replace("\"", "\"\"") + '"';
  }

  /** A role name made safe for a HikariCP pool or thread name. */
  static String forPoolName(String role) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < role.length() && sb.length() < 24; i++) {
      char c = role.charAt(i);
      sb.append(c < 128 && (Character.isLetterOrDigit(c) || c == '_') ? c : '_');
    }
    return sb.toString();
  }
}
