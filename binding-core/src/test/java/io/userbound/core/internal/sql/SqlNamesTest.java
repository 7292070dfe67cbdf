package io.userbound.core.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Pins the name lists the guard judges by: a change to them is a change of the rule. */
class SqlNamesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sql-clean-commands.txt",
        "sql-keywords-before-paren.txt",
        "sql-types.txt",
        "sql-functions.txt",
        "sql-executing-functions.txt"
      })
  void everyName_isLowerCase_andListedOnce(String resource) throws IOException {
    List<String> names = rawNames(resource);
    assertThat(names).isNotEmpty().doesNotHaveDuplicates();
    assertThat(names).allMatch(name -> name.matches("[a-z_][a-z0-9_]*"), "lower-case names");
    assertThat(SqlNames.load(resource)).containsExactlyInAnyOrderElementsOf(names);
  }

  @Test
  void lists_holdWhatTheRuleExpects() {
    assertThat(SqlNames.CLEAN_COMMANDS)
        .hasSize(38)
        .contains("select", "with", "insert", "update", "delete", "create", "begin", "commit")
        .doesNotContain("set", "reset", "discard", "do", "prepare", "execute", "call", "load");
    assertThat(SqlNames.KEYWORDS_BEFORE_PAREN).hasSize(120).contains("in", "exists", "values");
    assertThat(SqlNames.TYPES).hasSize(61).contains("varchar", "numeric", "timestamptz");
    assertThat(SqlNames.FUNCTIONS)
        .hasSize(373)
        .contains("count", "lower", "now", "current_setting", "pg_advisory_xact_lock")
        .doesNotContain(
            "set_config",
            "nextval",
            "setval",
            "pg_advisory_lock",
            "pg_try_advisory_lock",
            "dblink",
            "query_to_xml");
    assertThat(SqlNames.SQL_EXECUTING_FUNCTIONS)
        .hasSize(14)
        .contains(
            "query_to_xml",
            "query_to_xmlschema",
            "query_to_xml_and_xmlschema",
            "dblink",
            "dblink_exec",
            "dblink_open",
            "dblink_send_query");
    assertThat(SqlNames.SQL_EXECUTING_FUNCTIONS).doesNotContainAnyElementsOf(SqlNames.FUNCTIONS);
  }

  @Test
  void aMissingList_failsLoudly() {
    assertThatThrownBy(() -> SqlNames.load("no-such-list.txt"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no-such-list.txt");
  }

  @Test
  void lists_areImmutable() {
    Set<String> functions = SqlNames.FUNCTIONS;
    assertThatThrownBy(() -> functions.add("set_config"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  private static List<String> rawNames(String resource) throws IOException {
    List<String> names = new ArrayList<>();
    try (InputStream in = SqlNames.class.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        String name = line.replaceAll("#.*", "").strip();
        if (!name.isEmpty()) {
          names.add(name);
        }
      }
    }
    return names;
  }
}
