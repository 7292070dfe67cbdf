package io.userbound.core.internal.sql;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.userbound.core.internal.sql.SqlLexer.Token;
import java.util.List;
import java.util.Set;

/*
 * Tells from SQL text what running it may do that outlives the statement: leave session
 * state behind for the next request on the same connection (the TRACKED reset acts on
 * SESSION and PREPARED), or change who the connection runs as, or anything else a
 * ROLE_SWITCHING connection refuses (ROLE).
 *
 * Reading. The text is read as PostgreSQL reads it (SqlLexer follows scan.l: comments that
 * end at CR or LF, nested block comments, E'' U&'' B'' X'' N'' and dollar-quoted literals,
 * string continuation, quoted and Unicode-escaped names, identifier characters from U+0080
 * up) and as pgjdbc splits it (PgjdbcSplit); a word inside a comment or literal is never
 * taken for a command or a call. Where the guard cannot be sure it reads the text as the
 * server will, the text is UNREADABLE: an unterminated comment, literal, quoted name or
 * dollar quote, a NUL or unpaired surrogate, an invalid escape or UESCAPE, a number run
 * into a word (read differently before and after PostgreSQL 15), or a place where pgjdbc
 * and the server part (see PgjdbcSplit). UNREADABLE text gets every flag: refused under
 * ROLE_SWITCHING, a full DISCARD ALL under TRACKED.
 *
 * The reading assumes standard_conforming_strings = on, PostgreSQL's default since 9.1
 * (with it off, '..\'..' would end elsewhere). So whatever could turn it off is ROLE: SET
 * or RESET of standard_conforming_strings or of a quoted or escaped name, RESET ALL,
 * DISCARD ALL, set_config unless its first argument is a plain literal naming another
 * parameter, an UPDATE of pg_settings, a function's SET clause (CREATE / ALTER FUNCTION).
 * A server whose default is off is not supported.
 *
 * SESSION (TRACKED). Conservative: a statement is clean only if
 *   - it starts with a command on sql-clean-commands.txt (SELECT, WITH, VALUES, INSERT,
 *     UPDATE, DELETE, MERGE, SHOW, EXPLAIN, COPY, transaction control, LOCK, FETCH, NOTIFY,
 *     TRUNCATE, DDL, ...), or SET LOCAL / SET TRANSACTION / SET CONSTRAINTS, which end with
 *     the transaction;
 *   - it names no temporary object (TEMP, TEMPORARY, pg_temp...);
 *   - every function it calls is on sql-functions.txt (pure functions, and readers of
 *     state such as current_setting or currval). Anything else (set_config, session-level
 *     advisory locks, nextval, a function of the application) counts as a change: what it
 *     does is not visible here.
 * Anything else is SESSION: SET, RESET, DISCARD, LISTEN, UNLISTEN, DECLARE, CALL, DO,
 * EXECUTE, LOAD, DEALLOCATE, and every command not recognised. SQL-level PREPARE is also
 * PREPARED: only DISCARD ALL (or DEALLOCATE) removes it. What the text cannot show is out
 * of reach: a trigger, rule or column default of the application that changes session
 * state; such applications choose SessionReset.DISCARD_ALL.
 *
 * ROLE (refused under ROLE_SWITCHING):
 *   - SET or RESET of role, session_authorization (SET SESSION AUTHORIZATION),
 *     standard_conforming_strings, or of a quoted or U&-escaped name (not judged: the
 *     server matches parameter names without regard to case), with SESSION or LOCAL;
 *     RESET ALL; DISCARD ALL; ALTER ... SET/RESET of those names;
 *   - set_config whose first argument is not a plain literal (any spelling: E'', U&'',
 *     dollar quotes, continuation) naming another parameter; an UPDATE of pg_settings
 *     (its rule calls set_config), or DDL naming it;
 *   - transaction control in SQL text: BEGIN, START TRANSACTION, COMMIT, END, ROLLBACK
 *     (but not ROLLBACK TO a savepoint), ABORT, AND CHAIN, PREPARE TRANSACTION, COMMIT /
 *     ROLLBACK PREPARED; for TRACKED these stay clean;
 *   - CREATE [OR REPLACE] FUNCTION / PROCEDURE and ALTER FUNCTION / PROCEDURE / ROUTINE
 *     (a SET clause may carry role), DO, LOAD, SQL-level PREPARE and DEALLOCATE;
 *   - a call of a function that runs SQL text given as an argument
 *     (sql-executing-functions.txt: query_to_xml, dblink, ...);
 *   - set_config or one of those functions named without being called (CREATE AGGREGATE
 *     ... SFUNC = set_config would call it with arguments the text never shows).
 *
 * Results are cached by SQL text in a bounded cache: ORMs send the same strings again and
 * again. SqlGuardDifferentialTest checks all of this against a real server.
 */
/**
 * Not API. The SQL guard's one entry: what a statement text may do, as flags. Public for the
 * connection layer (PooledConnection); the rest of the guard is package-private.
 */
public final class SqlClassifier {

  static final int CLEAN = 0;

  /** May change session state: reset it at hand-back. */
  static final int SESSION = 1;

  /** Creates SQL-level prepared statements: only DISCARD ALL (or DEALLOCATE) removes them. */
  static final int PREPARED = 2;

  /**
   * Refused under ROLE_SWITCHING: could change the role the session runs as, or how the
   * guard reads later text, or is transaction control, a routine definition or a call that
   * runs SQL text the guard cannot see.
   */
  public static final int ROLE = 4;

  /** The guard cannot read this text the way the server will; comes with every other flag. */
  static final int UNREADABLE = 8;

  /** The flags the TRACKED reset acts on: SESSION (bit 0) and PREPARED (bit 1). */
  public static final int SESSION_OR_PREPARED = SESSION | PREPARED;

  private static final int ALL = SESSION | PREPARED | ROLE | UNREADABLE;

  /* Parameters whose change is refused: the role, and what the reading depends on. */
  private static final Set<String> GUARDED_PARAMETERS =
      Set.of("role", "session_authorization", "standard_conforming_strings");

  /* Words after which a name and "(" are a column list, not a call. */
  private static final Set<String> BEFORE_COLUMN_LIST =
      Set.of(
          "into",
          "copy",
          "as",
          "analyze",
          "vacuum",
          "table",
          "with",
          "recursive",
          "references",
          "view",
          "type");

  private static final Cache<String, Integer> CACHE =
      Caffeine.newBuilder().maximumSize(4_096).build();

  private SqlClassifier() {}

  /** Classifies a statement text (or several, separated by semicolons). Thread-safe. */
  public static int classify(String sql) {
    if (sql == null) {
      return CLEAN;
    }
    return CACHE.get(sql, SqlClassifier::read);
  }

  /** Why the text is UNREADABLE, or null if it is not (for tests and messages). */
  static String unreadable(String sql) {
    String chars = unreadableCharacters(sql);
    if (chars != null) {
      return chars;
    }
    SqlLexer.Lexed lexed = SqlLexer.lex(sql);
    if (lexed.unreadable != null) {
      return lexed.unreadable;
    }
    return PgjdbcSplit.of(sql).disagreement(lexed);
  }

  private static int read(String sql) {
    if (unreadableCharacters(sql) != null) {
      return ALL;
    }
    SqlLexer.Lexed lexed = SqlLexer.lex(sql);
    if (lexed.unreadable != null || PgjdbcSplit.of(sql).disagreement(lexed) != null) {
      return ALL;
    }
    List<Token> tokens = lexed.tokens;
    int result = CLEAN;
    int from = 0;
    for (int k = 0; k <= tokens.size(); k++) {
      if (k == tokens.size() || tokens.get(k).isOp(";")) {
        result |= statement(tokens.subList(from, k));
        from = k + 1;
      }
    }
    return result;
  }

  /* A NUL ends the text for the server; an unpaired surrogate reaches it as '?'. */
  private static String unreadableCharacters(String sql) {
    for (int i = 0; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (c == 0) {
        return "a NUL character at offset " + i;
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < sql.length()
          && Character.isLowSurrogate(sql.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return "an unpaired surrogate at offset " + i;
      }
    }
    return null;
  }

  // ---- one statement ----------------------------------------------------------------------------

  private static int statement(List<Token> t) {
    int p = 0;
    while (p < t.size() && t.get(p).isOp("(")) {
      p++; // (SELECT ...)
    }
    if (p == t.size()) {
      return CLEAN;
    }
    String command = t.get(p).kind == SqlLexer.WORD ? t.get(p).text : "?";
    return command(t, p, command) | body(t, command);
  }

  private static int command(List<Token> t, int p, String command) {
    String second = word(t, p + 1);
    return switch (command) {
      case "set" -> {
        boolean local =
            "local".equals(second) || "transaction".equals(second) || "constraints".equals(second);
        int flags = local ? CLEAN : SESSION;
        yield namesGuardedParameter(t, p + 1, false) ? flags | SESSION | ROLE : flags;
      }
      case "reset" -> namesGuardedParameter(t, p + 1, true) ? SESSION | ROLE : SESSION;
      case "discard" -> "all".equals(second) ? SESSION | ROLE : SESSION;
      case "prepare" -> "transaction".equals(second) ? SESSION | ROLE : SESSION | PREPARED | ROLE;
      case "deallocate", "do", "load" -> SESSION | ROLE;
      case "begin", "start", "commit", "end", "abort" -> ROLE;
      case "rollback" -> rollsBackToSavepoint(t, p + 1) ? CLEAN : ROLE;
      case "create" -> createsRoutine(t, p + 1) ? ROLE : CLEAN;
      case "alter" ->
          "function".equals(second)
                  || "procedure".equals(second)
                  || "routine".equals(second)
                  || altersGuardedParameter(t, p + 1)
              ? ROLE
              : CLEAN;
      default -> SqlNames.CLEAN_COMMANDS.contains(command) ? CLEAN : SESSION;
    };
  }

  /*
   * Whether SET or RESET names a guarded parameter: the first token after SESSION / LOCAL is
   * role, session_authorization, standard_conforming_strings, AUTHORIZATION (of SET SESSION
   * AUTHORIZATION), ALL for RESET, or anything but a plain word (a quoted or U&-escaped name
   * is not judged).
   */
  private static boolean namesGuardedParameter(List<Token> t, int from, boolean reset) {
    for (int k = from; k < t.size(); k++) {
      Token token = t.get(k);
      if (token.isWord("session") || token.isWord("local")) {
        continue;
      }
      return token.kind != SqlLexer.WORD
          || GUARDED_PARAMETERS.contains(token.text)
          || token.text.equals("authorization")
          || (reset && token.text.equals("all"));
    }
    return false;
  }

  /* ALTER DATABASE / ROLE / USER / SYSTEM ... SET or RESET of a guarded or quoted name. */
  private static boolean altersGuardedParameter(List<Token> t, int from) {
    for (int k = from; k + 1 < t.size(); k++) {
      if (t.get(k).isWord("set") || t.get(k).isWord("reset")) {
        Token name = t.get(k + 1);
        if (name.kind == SqlLexer.QUOTED
            || (name.kind == SqlLexer.WORD
                && (GUARDED_PARAMETERS.contains(name.text)
                    || name.text.equals("session")
                    || (t.get(k).isWord("reset") && name.text.equals("all"))))) {
          return true;
        }
      }
    }
    return false;
  }

  /* ROLLBACK [WORK | TRANSACTION] TO [SAVEPOINT] name: stays in the transaction. */
  private static boolean rollsBackToSavepoint(List<Token> t, int from) {
    int k = from;
    if (k < t.size() && (t.get(k).isWord("work") || t.get(k).isWord("transaction"))) {
      k++;
    }
    return k < t.size() && t.get(k).isWord("to");
  }

  /* CREATE [OR REPLACE] FUNCTION / PROCEDURE. */
  private static boolean createsRoutine(List<Token> t, int from) {
    int k = from;
    if (k + 1 < t.size() && t.get(k).isWord("or") && t.get(k + 1).isWord("replace")) {
      k += 2;
    }
    return k < t.size() && (t.get(k).isWord("function") || t.get(k).isWord("procedure"));
  }

  /*
   * Temporary objects, calls, and pg_settings, anywhere in the statement. set_config and the
   * functions that run SQL text are refused also where they are only named: an aggregate,
   * operator, cast or transform made of them calls them with arguments the text never shows.
   */
  private static int body(List<Token> t, String command) {
    int flags = CLEAN;
    boolean settings = false;
    boolean modifies = command.equals("create") || command.equals("alter");
    for (int k = 0; k < t.size(); k++) {
      Token token = t.get(k);
      String name = name(token);
      if (name != null) {
        if (name.startsWith("pg_temp") || isWord(token, "temp", "temporary")) {
          flags |= SESSION;
        }
        if (name.equals("pg_settings")) {
          settings = true;
        }
        if (isWord(token, "update", "insert", "delete", "merge")) {
          modifies = true;
        }
        boolean called = k + 1 < t.size() && t.get(k + 1).isOp("(");
        if (!called
            && (name.equals("set_config") || SqlNames.SQL_EXECUTING_FUNCTIONS.contains(name))) {
          flags |= SESSION | ROLE; // named, not called: SFUNC = set_config, WITH FUNCTION ...
        }
      } else if (token.isOp("(") && k > 0) {
        flags |= call(t, k);
      }
    }
    if (settings && modifies) {
      flags |= SESSION | ROLE; // UPDATE pg_settings calls set_config for each row
    }
    return flags;
  }

  /* A name followed by "(" at k: a call of a function, or a type modifier or column list. */
  private static int call(List<Token> t, int k) {
    Token name = t.get(k - 1);
    String function = name(name);
    if (function == null) {
      return CLEAN;
    }
    int first = k - 1;
    String schema = null;
    if (k >= 3 && t.get(k - 2).isOp(".") && name(t.get(k - 3)) != null) {
      first = k - 3;
      schema = name(t.get(k - 3));
    }
    String before = word(t, first - 1);
    if (before != null && BEFORE_COLUMN_LIST.contains(before)) {
      return CLEAN; // INSERT INTO t (a, b), COPY t (a), AS t (a, b), ...
    }
    int flags = CLEAN;
    if (function.equals("set_config")) {
      flags |= SESSION | configArgument(t, k + 1);
    }
    if (SqlNames.SQL_EXECUTING_FUNCTIONS.contains(function)) {
      flags |= SESSION | ROLE;
    }
    if (name.kind == SqlLexer.QUOTED) {
      return flags | SESSION; // a quoted, so user-defined, function name
    }
    boolean known =
        schema == null
            ? SqlNames.KEYWORDS_BEFORE_PAREN.contains(function)
                || SqlNames.TYPES.contains(function)
                || SqlNames.FUNCTIONS.contains(function)
            : schema.equals("pg_catalog")
                && (SqlNames.FUNCTIONS.contains(function) || SqlNames.TYPES.contains(function));
    return known ? flags : flags | SESSION;
  }

  /* set_config's first argument: a plain literal naming another parameter, then a comma. */
  private static int configArgument(List<Token> t, int k) {
    if (k + 1 < t.size()) {
      Token literal = t.get(k);
      if (literal.kind == SqlLexer.STRING
          && literal.text != null
          && t.get(k + 1).isOp(",")
          && !GUARDED_PARAMETERS.contains(SqlLexer.asciiLower(literal.text))) {
        return CLEAN;
      }
    }
    return ROLE;
  }

  /** A word (downcased) or quoted name (as written, ASCII-downcased), else null. */
  private static String name(Token token) {
    if (token.kind == SqlLexer.WORD) {
      return token.text;
    }
    if (token.kind == SqlLexer.QUOTED && token.text != null) {
      return SqlLexer.asciiLower(token.text);
    }
    return null;
  }

  private static String word(List<Token> t, int k) {
    return k >= 0 && k < t.size() && t.get(k).kind == SqlLexer.WORD ? t.get(k).text : null;
  }

  private static boolean isWord(Token token, String... words) {
    if (token.kind != SqlLexer.WORD) {
      return false;
    }
    for (String w : words) {
      if (w.equals(token.text)) {
        return true;
      }
    }
    return false;
  }
}
