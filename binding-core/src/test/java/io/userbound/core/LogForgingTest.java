package io.userbound.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.userbound.testkit.CapturedLogs;
import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import io.userbound.testkit.TestPasswords;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Role names and client keys with Unicode line breaks, controls and bidi characters reach
 * exception messages (with their causes) and the audit log only escaped.
 */
@ExtendWith(PostgresExtension.class)
class LogForgingTest {

  /** A segment CapturedLogs writes for a stack trace: a throwable's class, or a frame. */
  private static final Pattern TRACE = Pattern.compile("\tat .*|[A-Za-z_$][\\w.$]*: .*");

  static Stream<Arguments> hostile() {
    return Stream.of(
        Arguments.of("RLO and LS", "\u202Eevil\u2028forged", "\\u202Eevil\\u2028forged"),
        Arguments.of("NEL", "a\u0085INFO x", "a\\u0085INFO x"),
        Arguments.of("PS", "a\u2029INFO x", "a\\u2029INFO x"),
        Arguments.of("CR LF", "a\r\nINFO x", "a\\u000D\\u000AINFO x"),
        Arguments.of("ESC", "\u001B[2Ka", "\\u001B[2Ka"),
        Arguments.of("C1 CSI", "a\u009B2Kb", "a\\u009B2Kb"),
        Arguments.of("isolates", "\u2067ab\u2069", "\\u2067ab\\u2069"),
        Arguments.of("LRE PDF", "\u202Aab\u202C", "\\u202Aab\\u202C"),
        Arguments.of("ZWSP BOM", "a\u200B\uFEFFb", "a\\u200B\\uFEFFb"),
        Arguments.of("ALM", "a\u061Cb", "a\\u061Cb"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostile")
  void refused_isEscaped(
      String name, String hostile, String escaped, PostgresServer server, TestNames names) {
    Userbound ub = Fixtures.userbound(server);
    String role = names.prefix() + "_" + hostile;
    String client = "203.0.113.9" + hostile;
    assertThatThrownBy(() -> ub.login(role, TestPasswords.fresh(), client))
        .isInstanceOfSatisfying(
            LoginFailedException.class,
            e -> {
              assertThat(e.getMessage()).contains("'" + names.prefix() + "_" + escaped + "'");
              for (Throwable t = e; t != null; t = t.getCause()) {
                assertThat(t.getMessage()).as("a message in the chain").satisfies(this::oneLine);
              }
            });
    List<String> lines = linesAbout(names.prefix());
    assertThat(lines)
        .filteredOn(l -> l.contains("LOGIN_REFUSED"))
        .singleElement()
        .satisfies(
            l ->
                assertThat(l)
                    .startsWith("INFO io.userbound.audit - LOGIN_REFUSED")
                    .contains("role='" + names.prefix() + "_" + escaped + "'")
                    .contains("client='203.0.113.9" + escaped + "'"));
    assertThat(lines).allSatisfy(this::logged);
  }

  @Test
  void accepted_isEscaped(PostgresServer server, TestNames names) {
    char[] pw = TestPasswords.fresh();
    String role = names.prefix() + "_\u202Eevil\u2028forged";
    server.createLogin(role, pw);
    Userbound ub = Fixtures.userbound(server);
    Login login = ub.login(role, pw, "198.51.100.7\u2028x");
    String escaped = "'" + names.prefix() + "_\\u202Eevil\\u2028forged'";
    assertThat(login.role()).isEqualTo(role);
    assertThat(login.toString()).contains(escaped).satisfies(this::oneLine);
    ub.logout(login);
    assertThatThrownBy(() -> ub.connection(login, "main"))
        .isInstanceOfSatisfying(
            LoginFailedException.class,
            e -> assertThat(e.getMessage()).contains(escaped).satisfies(this::oneLine));
    List<String> lines = linesAbout(names.prefix());
    assertThat(lines)
        .filteredOn(l -> l.contains("LOGIN_ACCEPTED"))
        .singleElement()
        .satisfies(l -> assertThat(l).contains("role=" + escaped).contains("\\u2028x'"));
    assertThat(lines).allSatisfy(this::logged);
  }

  private static List<String> linesAbout(String prefix) {
    return CapturedLogs.lines().stream().filter(l -> l.contains(prefix)).toList();
  }

  /** A message: every character safe, so no line break, control or bidi character. */
  private void oneLine(String text) {
    assertThat(text.codePoints().filter(LogForgingTest::unsafe).toArray())
        .as("unsafe characters in %s", text.replaceAll("[^\\x20-\\x7e]", "?"))
        .isEmpty();
  }

  /** A captured log line: its message, then CapturedLogs' own lines for a stack trace. */
  private void logged(String line) {
    String[] segments = line.split("\n", -1);
    oneLine(segments[0]);
    for (int i = 1; i < segments.length; i++) {
      assertThat(segments[i]).matches(TRACE);
      oneLine(segments[i].replaceFirst("^\t", ""));
    }
  }

  private static boolean unsafe(int cp) {
    int t = Character.getType(cp);
    return t == Character.CONTROL
        || t == Character.FORMAT
        || t == Character.LINE_SEPARATOR
        || t == Character.PARAGRAPH_SEPARATOR
        || t == Character.SURROGATE
        || t == Character.UNASSIGNED;
  }
}
