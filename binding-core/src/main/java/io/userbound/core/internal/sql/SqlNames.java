package io.userbound.core.internal.sql;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/*
 * The lists of names SqlClassifier judges by, loaded once from resource files next to this
 * class (one lower-case name a line, "#" starts a comment). Data is data: a reviewer reads a
 * list, not a wall of Set.of(...), and SqlNamesTest pins what each holds. The files live in
 * this package, which the module does not export: Class.getResourceAsStream finds them on the
 * class path and, since the caller is in the same module, on the module path too
 * (ModulePathTest runs a classified query there).
 */
final class SqlNames {

  // before the lists: load() uses it while they are initialised
  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");

  /** Commands that cannot change session state by themselves. */
  static final Set<String> CLEAN_COMMANDS = load("sql-clean-commands.txt");

  /** Words that may stand right before "(" without being a function call. */
  static final Set<String> KEYWORDS_BEFORE_PAREN = load("sql-keywords-before-paren.txt");

  /** Type names that take a modifier in parentheses. */
  static final Set<String> TYPES = load("sql-types.txt");

  /** Built-in functions known not to change session state. */
  static final Set<String> FUNCTIONS = load("sql-functions.txt");

  /** Functions that run SQL text given as an argument. */
  static final Set<String> SQL_EXECUTING_FUNCTIONS = load("sql-executing-functions.txt");

  private SqlNames() {}

  /**
   * Reads one list.
   *
   * @throws IllegalStateException if the resource is missing or holds a name twice or a name
   *     that is not lower-case
   */
  static Set<String> load(String resource) {
    Set<String> names = new LinkedHashSet<>();
    try (InputStream in = SqlNames.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("resource " + resource + " not found next to SqlNames");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      int lineNumber = 0;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lineNumber++;
        int comment = line.indexOf('#');
        String name = (comment >= 0 ? line.substring(0, comment) : line).strip();
        if (name.isEmpty()) {
          continue;
        }
        if (!NAME.matcher(name).matches()) {
          throw new IllegalStateException(
              resource + ":" + lineNumber + ": not a lower-case name: '" + name + "'");
        }
        if (!names.add(name)) {
          throw new IllegalStateException(resource + ":" + lineNumber + ": '" + name + "' twice");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
    return Set.copyOf(names);
  }
}
