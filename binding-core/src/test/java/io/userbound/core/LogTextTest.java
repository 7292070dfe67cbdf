package io.userbound.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The one escaping function for log lines and messages, rule by rule. */
class LogTextTest {

  static Stream<Arguments> table() {
    return Stream.of(
        // name, input, escaped (maxChars 64)
        Arguments.of("plain ASCII", "alice", "alice"),
        Arguments.of("other scripts stay", "Zoë Øster 山田 ملك", "Zoë Øster 山田 ملك"),
        Arguments.of("a surrogate pair stays", "a\uD83D\uDE00b", "a\uD83D\uDE00b"),
        Arguments.of("CR LF", "a\r\nb", "a\\u000D\\u000Ab"),
        Arguments.of("ESC (terminal colours)", "\u001B[31mred", "\\u001B[31mred"),
        Arguments.of("TAB VT FF", "a\tb\u000Bc\u000Cd", "a\\u0009b\\u000Bc\\u000Cd"),
        Arguments.of("DEL", "a\u007Fb", "a\\u007Fb"),
        Arguments.of("NEL", "a\u0085b", "a\\u0085b"),
        Arguments.of("C1 CSI", "a\u009B31mb", "a\\u009B31mb"),
        Arguments.of("line separator", "a\u2028b", "a\\u2028b"),
        Arguments.of("paragraph separator", "a\u2029b", "a\\u2029b"),
        Arguments.of("right-to-left override", "\u202Eecila", "\\u202Eecila"),
        Arguments.of("left-to-right embedding", "\u202Ax\u202C", "\\u202Ax\\u202C"),
        Arguments.of("isolates", "\u2066a\u2067b\u2068c\u2069", "\\u2066a\\u2067b\\u2068c\\u2069"),
        Arguments.of("RLM LRM ALM", "\u200F\u200E\u061C", "\\u200F\\u200E\\u061C"),
        Arguments.of(
            "zero-width space and joiners", "a\u200B\u200C\u200Db", "a\\u200B\\u200C\\u200Db"),
        Arguments.of("byte order mark", "\uFEFFalice", "\\uFEFFalice"),
        Arguments.of("soft hyphen", "al\u00ADice", "al\\u00ADice"),
        Arguments.of("tag character (a pair)", "a\uDB40\uDC41", "a\\uDB40\\uDC41"),
        Arguments.of("lone high surrogate", "a\uD800b", "a\\uD800b"),
        Arguments.of("lone low surrogate", "a\uDC00b", "a\\uDC00b"),
        Arguments.of("reversed pair", "\uDC00\uD800", "\\uDC00\\uD800"),
        Arguments.of("unassigned code point", "a\u0378b", "a\\u0378b"),
        Arguments.of("noncharacter", "a\uFFFFb", "a\\uFFFFb"),
        Arguments.of("backslash doubled", "a\\u000Ab", "a\\\\u000Ab"),
        Arguments.of("quote stays", "o'brien", "o'brien"),
        Arguments.of("null", null, "null"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void escape_table(String name, String input, String escaped) {
    assertThat(LogText.escape(input, 64)).isEqualTo(escaped);
  }

  @Test
  void escape_everyUnsafeCodePointOfUnicode_leavesNoUnsafeChar() {
    List<Integer> left = new ArrayList<>();
    for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
      String out = LogText.escape(new String(Character.toChars(cp)), 16);
      if (!out.codePoints().allMatch(LogTextTest::safe)) {
        left.add(cp);
      }
      int type = Character.getType(cp);
      if (type == Character.FORMAT
          || type == Character.CONTROL
          || type == Character.LINE_SEPARATOR
          || type == Character.PARAGRAPH_SEPARATOR
          || type == Character.SURROGATE) {
        assertThat(out).as("U+%04X", cp).startsWith("\\u");
      }
    }
    assertThat(left).as("code points that came out unescaped").isEmpty();
  }

  private static boolean safe(int cp) {
    int t = Character.getType(cp);
    return t != Character.CONTROL
        && t != Character.FORMAT
        && t != Character.LINE_SEPARATOR
        && t != Character.PARAGRAPH_SEPARATOR
        && t != Character.SURROGATE
        && t != Character.UNASSIGNED;
  }

  @Test
  void escape_cutsLongText_neverInsideAPair() {
    assertThat(LogText.escape("abcdef", 3)).isEqualTo("abc...");
    assertThat(LogText.escape("ab\uD83D\uDE00", 3)).isEqualTo("ab...");
    assertThat(LogText.escape("ab\uD83D\uDE00", 4)).isEqualTo("ab\uD83D\uDE00");
    assertThat(LogText.escape("\n".repeat(100_000), 2)).isEqualTo("\\u000A\\u000A...");
  }

  @Test
  void escape_maxCharsBelowOne_isRefusedByName() {
    assertThatThrownBy(() -> LogText.escape("x", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxChars = 0: must be at least 1");
  }
}
