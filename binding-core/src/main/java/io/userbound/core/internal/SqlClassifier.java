package io.userbound.core.internal;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/*
 * Tells from SQL text whether running it may leave session state behind: state that
 * outlives the transaction and would reach the next request on the same connection.
 * The TRACKED reset resets a connection only when something it ran was classified so.
 *
 * The rule is conservative. A statement is CLEAN only if
 *   - it starts with a command that cannot change session state by itself (SELECT, WITH,
 *     VALUES, TABLE, INSERT, UPDATE, DELETE, MERGE, SHOW, EXPLAIN, COPY, transaction
 *     control, LOCK, FETCH/MOVE/CLOSE, NOTIFY, TRUNCATE, and DDL), or SET LOCAL / SET
 *     TRANSACTION / SET CONSTRAINTS, which end with the transaction;
 *   - it names no temporary object (the words TEMP, TEMPORARY or pg_temp);
 *   - every function it calls is a built-in on FUNCTIONS below (pure functions, and
 *     readers of state such as current_setting or currval). A call of anything else —
 *     set_config, the session-level advisory locks, nextval/setval, dblink, a function of
 *     the application — counts as a change, because what it does is not visible here.
 * Anything else is SESSION: SET, RESET, DISCARD, LISTEN, UNLISTEN, DECLARE, CALL, DO,
 * EXECUTE, LOAD, and every command not recognised. PREPARE (SQL-level prepared
 * statements, which only DEALLOCATE removes) is PREPARED: it needs a full DISCARD ALL.
 *
 * What the text cannot show is out of reach: a trigger, rule or column default that
 * changes session state. Applications whose server-side code does that choose
 * SessionReset.DISCARD_ALL.
 *
 * ROLE marks what could change the role a ROLE_SWITCHING connection runs as, which such a
 * database refuses: SET or RESET of role or session_authorization (SET ROLE, SET SESSION
 * AUTHORIZATION, SET LOCAL ..., RESET ROLE), RESET ALL and DISCARD ALL (both reset the
 * role), SET or RESET of a quoted parameter name (not judged), DO (its body is not
 * looked into), and a call of set_config whose first argument is not a plain string
 * literal naming another parameter.
 *
 * The scanner understands comments (-- and nested slash-star), string literals ('..',
 * E'..' with backslash escapes), dollar-quoted bodies and quoted identifiers, so a word
 * inside them is never mistaken for a command or a call. Results are cached by SQL text
 * in a bounded map: ORMs send the same strings again and again.
 */
final class SqlClassifier {

  static final int CLEAN = 0;

  /** May change session state: reset it at hand-back. */
  static final int SESSION = 1;

  /** Creates SQL-level prepared statements: only DISCARD ALL (or DEALLOCATE) removes them. */
  static final int PREPARED = 2;

  /** May change the role the session runs as (always with SESSION). */
  static final int ROLE = 4;

  /** The flags the TRACKED reset acts on. */
  static final int SESSION_OR_PREPARED = SESSION | PREPARED;

  private static final int ALL = SESSION | PREPARED | ROLE;

  /* Parameters whose change is a change of role. */
  private static final Set<String> ROLE_PARAMETERS = Set.of("role", "session_authorization");

  private static final int CACHE_LIMIT = 4_096;
  private static final ConcurrentHashMap<String, Integer> CACHE = new ConcurrentHashMap<>();

  private static final Set<String> CLEAN_COMMANDS =
      Set.of(
          "select",
          "with",
          "values",
          "table",
          "insert",
          "update",
          "delete",
          "merge",
          "show",
          "explain",
          "copy",
          "begin",
          "start",
          "commit",
          "end",
          "rollback",
          "abort",
          "savepoint",
          "release",
          "lock",
          "fetch",
          "move",
          "close",
          "notify",
          "truncate",
          "create",
          "alter",
          "drop",
          "grant",
          "revoke",
          "comment",
          "analyze",
          "analyse",
          "vacuum",
          "refresh",
          "reindex",
          "cluster",
          "checkpoint");

  /* Words that may stand right before "(" without being a function call. */
  private static final Set<String> KEYWORDS_BEFORE_PAREN =
      Set.of(
          "select",
          "from",
          "where",
          "and",
          "or",
          "not",
          "in",
          "exists",
          "any",
          "all",
          "some",
          "values",
          "join",
          "lateral",
          "on",
          "using",
          "as",
          "over",
          "filter",
          "within",
          "group",
          "by",
          "rollup",
          "cube",
          "sets",
          "grouping",
          "row",
          "array",
          "case",
          "when",
          "then",
          "else",
          "between",
          "like",
          "ilike",
          "similar",
          "is",
          "distinct",
          "returning",
          "set",
          "conflict",
          "limit",
          "offset",
          "fetch",
          "having",
          "window",
          "partition",
          "order",
          "union",
          "intersect",
          "except",
          "for",
          "of",
          "with",
          "recursive",
          "only",
          "tablesample",
          "into",
          "primary",
          "key",
          "unique",
          "check",
          "foreign",
          "references",
          "default",
          "constraint",
          "generated",
          "include",
          "escape",
          "at",
          "zone",
          "to",
          "nulls",
          "first",
          "last",
          "asc",
          "desc",
          "explain",
          "analyze",
          "verbose",
          "do",
          "update",
          "ordinality",
          "table",
          "index",
          "view",
          "materialized",
          "cast",
          "extract",
          "position",
          "substring",
          "trim",
          "overlay",
          "coalesce",
          "nullif",
          "greatest",
          "least",
          "treat",
          "xmlelement",
          "xmlforest",
          "xmlattributes",
          "xmlconcat",
          "xmlparse",
          "xmlpi",
          "xmlroot",
          "xmlserialize",
          "xmlexists",
          "json",
          "json_object",
          "json_array",
          "json_objectagg",
          "json_arrayagg",
          "is_json",
          "normalize",
          "collation",
          "current_date",
          "current_time",
          "current_timestamp",
          "localtime",
          "localtimestamp");

  /* Type names that take a modifier in parentheses: varchar(20), numeric(10, 2), ... */
  private static final Set<String> TYPES =
      Set.of(
          "varchar",
          "char",
          "character",
          "varying",
          "nchar",
          "numeric",
          "decimal",
          "dec",
          "float",
          "double",
          "precision",
          "time",
          "timetz",
          "timestamp",
          "timestamptz",
          "interval",
          "bit",
          "varbit",
          "int",
          "integer",
          "int2",
          "int4",
          "int8",
          "bigint",
          "smallint",
          "real",
          "float4",
          "float8",
          "boolean",
          "bool",
          "text",
          "bytea",
          "uuid",
          "jsonb",
          "date",
          "money",
          "inet",
          "cidr",
          "macaddr",
          "xml",
          "oid",
          "regclass",
          "name",
          "point",
          "line",
          "lseg",
          "box",
          "path",
          "polygon",
          "circle",
          "tsvector",
          "tsquery",
          "int4range",
          "int8range",
          "numrange",
          "tsrange",
          "tstzrange",
          "daterange",
          "serial",
          "bigserial",
          "smallserial");

  /* Built-in functions known not to change session state. */
  private static final Set<String> FUNCTIONS =
      Set.of(
          // aggregates and window functions
          "count",
          "sum",
          "avg",
          "min",
          "max",
          "array_agg",
          "string_agg",
          "bool_and",
          "bool_or",
          "every",
          "bit_and",
          "bit_or",
          "bit_xor",
          "json_agg",
          "jsonb_agg",
          "json_object_agg",
          "jsonb_object_agg",
          "stddev",
          "stddev_pop",
          "stddev_samp",
          "variance",
          "var_pop",
          "var_samp",
          "percentile_cont",
          "percentile_disc",
          "mode",
          "corr",
          "covar_pop",
          "covar_samp",
          "regr_avgx",
          "regr_avgy",
          "regr_count",
          "regr_intercept",
          "regr_r2",
          "regr_slope",
          "regr_sxx",
          "regr_sxy",
          "regr_syy",
          "row_number",
          "rank",
          "dense_rank",
          "percent_rank",
          "cume_dist",
          "ntile",
          "lag",
          "lead",
          "first_value",
          "last_value",
          "nth_value",
          "range_agg",
          "range_intersect_agg",
          "xmlagg",
          // strings
          "lower",
          "upper",
          "length",
          "char_length",
          "character_length",
          "octet_length",
          "bit_length",
          "substr",
          "strpos",
          "btrim",
          "ltrim",
          "rtrim",
          "lpad",
          "rpad",
          "concat",
          "concat_ws",
          "replace",
          "translate",
          "left",
          "right",
          "repeat",
          "reverse",
          "split_part",
          "initcap",
          "format",
          "md5",
          "sha224",
          "sha256",
          "sha384",
          "sha512",
          "encode",
          "decode",
          "convert",
          "convert_from",
          "convert_to",
          "to_char",
          "to_date",
          "to_timestamp",
          "to_number",
          "to_hex",
          "ascii",
          "chr",
          "quote_ident",
          "quote_literal",
          "quote_nullable",
          "regexp_replace",
          "regexp_matches",
          "regexp_match",
          "regexp_split_to_array",
          "regexp_split_to_table",
          "regexp_like",
          "regexp_count",
          "regexp_instr",
          "regexp_substr",
          "starts_with",
          "string_to_array",
          "string_to_table",
          "unistr",
          "casefold",
          "get_bit",
          "set_bit",
          "get_byte",
          "set_byte",
          "bit_count",
          "crc32",
          "crc32c",
          "uuid_extract_timestamp",
          "uuid_extract_version",
          // numbers
          "abs",
          "ceil",
          "ceiling",
          "floor",
          "round",
          "trunc",
          "mod",
          "power",
          "pow",
          "sqrt",
          "cbrt",
          "exp",
          "ln",
          "log",
          "log10",
          "sign",
          "div",
          "pi",
          "degrees",
          "radians",
          "sin",
          "cos",
          "tan",
          "cot",
          "asin",
          "acos",
          "atan",
          "atan2",
          "sinh",
          "cosh",
          "tanh",
          "width_bucket",
          "scale",
          "gcd",
          "lcm",
          "factorial",
          "min_scale",
          "trim_scale",
          "random",
          "gen_random_uuid",
          "uuidv4",
          "uuidv7",
          // dates and times
          "now",
          "clock_timestamp",
          "statement_timestamp",
          "transaction_timestamp",
          "timeofday",
          "date_part",
          "date_trunc",
          "date_bin",
          "age",
          "make_date",
          "make_time",
          "make_timestamp",
          "make_timestamptz",
          "make_interval",
          "justify_days",
          "justify_hours",
          "justify_interval",
          "isfinite",
          "date_add",
          "date_subtract",
          "timezone",
          // JSON and arrays
          "to_json",
          "to_jsonb",
          "json_build_object",
          "jsonb_build_object",
          "json_build_array",
          "jsonb_build_array",
          "json_extract_path",
          "jsonb_extract_path",
          "json_extract_path_text",
          "jsonb_extract_path_text",
          "jsonb_set",
          "jsonb_set_lax",
          "jsonb_insert",
          "jsonb_path_query",
          "jsonb_path_query_array",
          "jsonb_path_query_first",
          "jsonb_path_exists",
          "jsonb_path_match",
          "jsonb_array_length",
          "json_array_length",
          "jsonb_each",
          "json_each",
          "jsonb_each_text",
          "json_each_text",
          "jsonb_object_keys",
          "json_object_keys",
          "jsonb_array_elements",
          "json_array_elements",
          "jsonb_array_elements_text",
          "json_array_elements_text",
          "jsonb_typeof",
          "json_typeof",
          "jsonb_strip_nulls",
          "json_strip_nulls",
          "jsonb_pretty",
          "row_to_json",
          "array_to_json",
          "json_populate_record",
          "jsonb_populate_record",
          "json_to_record",
          "jsonb_to_record",
          "json_to_recordset",
          "jsonb_to_recordset",
          "jsonb_object",
          "json_scalar",
          "json_serialize",
          "json_query",
          "json_value",
          "json_exists",
          "json_table",
          "array_length",
          "array_upper",
          "array_lower",
          "array_position",
          "array_positions",
          "array_remove",
          "array_replace",
          "array_append",
          "array_prepend",
          "array_cat",
          "array_to_string",
          "array_dims",
          "array_ndims",
          "array_fill",
          "array_sample",
          "array_shuffle",
          "array_reverse",
          "array_sort",
          "cardinality",
          "unnest",
          "generate_series",
          "generate_subscripts",
          "trim_array",
          // ranges, text search, geometry, network
          "lower_inc",
          "upper_inc",
          "lower_inf",
          "upper_inf",
          "isempty",
          "range_merge",
          "multirange",
          "to_tsvector",
          "to_tsquery",
          "plainto_tsquery",
          "phraseto_tsquery",
          "websearch_to_tsquery",
          "ts_rank",
          "ts_rank_cd",
          "ts_headline",
          "setweight",
          "strip",
          "numnode",
          "querytree",
          "area",
          "center",
          "diameter",
          "height",
          "width",
          "npoints",
          "radius",
          "host",
          "masklen",
          "network",
          "family",
          "netmask",
          "broadcast",
          "abbrev",
          "set_masklen",
          // reading state, privileges and the catalog
          "current_setting",
          "currval",
          "lastval",
          "pg_backend_pid",
          "version",
          "current_database",
          "current_schema",
          "current_schemas",
          "current_catalog",
          "current_role",
          "current_user",
          "session_user",
          "user",
          "inet_client_addr",
          "inet_client_port",
          "inet_server_addr",
          "inet_server_port",
          "pg_postmaster_start_time",
          "pg_conf_load_time",
          "txid_current",
          "txid_current_if_assigned",
          "pg_current_xact_id",
          "pg_current_xact_id_if_assigned",
          "pg_listening_channels",
          "pg_notification_queue_usage",
          "pg_is_in_recovery",
          "has_table_privilege",
          "has_column_privilege",
          "has_any_column_privilege",
          "has_schema_privilege",
          "has_database_privilege",
          "has_function_privilege",
          "has_sequence_privilege",
          "has_type_privilege",
          "has_language_privilege",
          "has_tablespace_privilege",
          "has_foreign_data_wrapper_privilege",
          "has_server_privilege",
          "has_parameter_privilege",
          "pg_has_role",
          "row_security_active",
          "pg_typeof",
          "format_type",
          "obj_description",
          "col_description",
          "shobj_description",
          "pg_get_viewdef",
          "pg_get_constraintdef",
          "pg_get_indexdef",
          "pg_get_triggerdef",
          "pg_get_functiondef",
          "pg_get_expr",
          "pg_get_serial_sequence",
          "pg_get_userbyid",
          "pg_table_size",
          "pg_relation_size",
          "pg_total_relation_size",
          "pg_indexes_size",
          "pg_database_size",
          "pg_size_pretty",
          "pg_column_size",
          "to_regclass",
          "to_regtype",
          "to_regproc",
          "to_regprocedure",
          "to_regrole",
          "to_regnamespace",
          "pg_table_is_visible",
          "pg_type_is_visible",
          "pg_function_is_visible",
          "pg_encoding_to_char",
          "pg_char_to_encoding",
          "num_nulls",
          "num_nonnulls",
          "pg_sleep",
          "pg_sleep_for",
          "pg_notify",
          "pg_advisory_xact_lock",
          "pg_advisory_xact_lock_shared",
          "pg_try_advisory_xact_lock",
          "pg_try_advisory_xact_lock_shared",
          "pg_xact_commit_timestamp",
          "pg_input_is_valid");

  private SqlClassifier() {}

  /** Classifies a statement text (or several, separated by semicolons). */
  static int classify(String sql) {
    if (sql == null) {
      return CLEAN;
    }
    Integer cached = CACHE.get(sql);
    if (cached != null) {
      return cached;
    }
    int result = new Scan(sql).run();
    if (CACHE.size() >= CACHE_LIMIT) {
      CACHE.clear(); // bounded: ad-hoc SQL with literals would otherwise grow it forever
    }
    CACHE.put(sql, result);
    return result;
  }

  /** One pass over the text; tracks just enough of each statement to apply the rule. */
  private static final class Scan {

    private final String s;
    private final int n;
    private int i;
    private int result;

    // state of the current statement
    private String command;
    private String second;
    private int words;
    private final String[] head = new String[4]; // the first tokens; "\"" for a quoted name
    private int heads;
    // set_config's first argument: 1 = expected next, 2 = a plain literal naming another
    // parameter was seen and a comma must follow; 0 = not in one
    private int configArgument;
    private String quotedName; // the text of the last quoted identifier
    private String previousWord; // the last word, if it was the last token
    private String beforePrevious; // the word before a "schema." qualifier
    private char previousToken; // 'w' word, 'q' quoted identifier, '.' dot, other punctuation

    Scan(String s) {
      this.s = s;
      this.n = s.length();
    }

    int run() {
      startStatement();
      while (i < n && result != ALL) {
        char c = s.charAt(i);
        if (Character.isWhitespace(c)) {
          i++;
        } else if (c == '-' && peek(1) == '-') {
          skipLineComment();
        } else if (c == '/' && peek(1) == '*') {
          skipBlockComment();
        } else if (c == '\'') {
          int start = i;
          skipString(false);
          literal(s.substring(start + 1, Math.max(start + 1, i - 1)).replace("''", "'"));
          token('\'');
        } else if ((c == 'e' || c == 'E') && peek(1) == '\'') {
          i++;
          skipString(true);
          literal(null);
          token('\'');
        } else if (c == '"') {
          int start = i;
          skipQuotedIdentifier();
          quotedName = s.substring(start + 1, Math.max(start + 1, i - 1)).replace("\"\"", "\"");
          token('q');
        } else if (c == '$' && dollarTag() > 0) {
          skipDollarQuoted();
          literal(null);
          token('\'');
        } else if (isWordStart(c)) {
          word();
        } else if (Character.isDigit(c) || c == '$') {
          i++;
          while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '.')) {
            i++;
          }
          token('0');
        } else if (c == ';') {
          endStatement();
          i++;
          startStatement();
        } else if (c == '(') {
          openParen();
          i++;
        } else {
          token(c);
          i++;
        }
      }
      endStatement();
      return result;
    }

    private void startStatement() {
      command = null;
      second = null;
      words = 0;
      heads = 0;
      configArgument = 0;
      previousWord = null;
      beforePrevious = null;
      previousToken = 0;
    }

    private void endStatement() {
      if (command == null) {
        return; // empty statement
      }
      switch (command) {
        case "set" -> {
          if (!"local".equals(second)
              && !"transaction".equals(second)
              && !"constraints".equals(second)) {
            result |= SESSION;
          }
          if (setsRole(false)) {
            result |= SESSION | ROLE;
          }
        }
        case "reset" -> result |= setsRole(true) ? SESSION | ROLE : SESSION;
        case "prepare" -> result |= "transaction".equals(second) ? SESSION : SESSION | PREPARED;
        case "discard" -> result |= "all".equals(second) ? SESSION | ROLE : SESSION;
        case "do" -> result |= SESSION | ROLE;
        case "rollback", "commit" -> {} // also ROLLBACK PREPARED / COMMIT PREPARED
        default -> {
          if (!CLEAN_COMMANDS.contains(command)) {
            result |= SESSION;
          }
        }
      }
    }

    /*
     * Whether SET or RESET names the role: the first token after SESSION / LOCAL is role,
     * session_authorization, AUTHORIZATION (of SET SESSION AUTHORIZATION), a quoted name
     * (not judged), or for RESET also ALL.
     */
    private boolean setsRole(boolean reset) {
      for (int k = 1; k < heads; k++) {
        String t = head[k];
        if (t.equals("session") || t.equals("local")) {
          continue;
        }
        return t.equals("\"")
            || ROLE_PARAMETERS.contains(t)
            || t.equals("authorization")
            || (reset && t.equals("all"));
      }
      return false;
    }

    /* A string literal (its text, or null when it has escapes or dollar quotes). */
    private void literal(String text) {
      if (configArgument == 1
          && text != null
          && !ROLE_PARAMETERS.contains(text.toLowerCase(Locale.ROOT))) {
        configArgument = 2; // a plain literal naming another parameter, if a comma follows
      } else {
        notConfigArgument();
      }
    }

    /* Anything but the expected in set_config's first argument: it may name the role. */
    private void notConfigArgument() {
      if (configArgument != 0) {
        configArgument = 0;
        result |= SESSION | ROLE;
      }
    }

    private void word() {
      int start = i;
      while (i < n && isWordPart(s.charAt(i))) {
        i++;
      }
      String w = s.substring(start, i).toLowerCase(Locale.ROOT);
      notConfigArgument();
      if (words == 0) {
        command = w;
      } else if (words == 1) {
        second = w;
      }
      words++;
      if (heads < head.length) {
        head[heads++] = w;
      }
      if (w.equals("temp") || w.equals("temporary") || w.equals("pg_temp")) {
        result |= SESSION;
      }
      if (previousToken == '.') {
        // schema.name: remember the schema so that a call can be judged by both
        beforePrevious = previousWord;
      } else {
        beforePrevious = null;
      }
      previousWord = w;
      previousToken = 'w';
    }

    private void openParen() {
      boolean setConfig =
          (previousToken == 'w' && "set_config".equals(previousWord))
              || (previousToken == 'q' && "set_config".equals(quotedName));
      notConfigArgument(); // set_config((...)): not a plain literal
      if (previousToken == 'q' && !afterInto()) {
        result |= SESSION; // a call of a quoted (so user-defined) function name
      } else if (previousToken == 'w' && !isAllowedBeforeParen()) {
        result |= SESSION;
      }
      token('(');
      if (setConfig) {
        configArgument = 1; // judged by what comes next: a plain literal and a comma, or not
      }
    }

    private boolean isAllowedBeforeParen() {
      String w = previousWord;
      if (beforePrevious != null) {
        // schema-qualified: only pg_catalog's own functions are known
        return (beforePrevious.equals("pg_catalog") && (FUNCTIONS.contains(w) || TYPES.contains(w)))
            || afterInto();
      }
      return KEYWORDS_BEFORE_PAREN.contains(w)
          || TYPES.contains(w)
          || FUNCTIONS.contains(w)
          || afterInto();
    }

    /* "INSERT INTO t (a, b)", "COPY t (a) FROM STDIN", "AS t (a, b)": a column list, not a call. */
    private boolean afterInto() {
      String before = wordBefore();
      return before != null
          && (before.equals("into")
              || before.equals("copy")
              || before.equals("as")
              || before.equals("analyze")
              || before.equals("vacuum")
              || before.equals("table")
              || before.equals("with")
              || before.equals("recursive")
              || before.equals("references")
              || before.equals("view")
              || before.equals("type"));
    }

    // The word before the current one, found by scanning back over whitespace and a
    // "schema." qualifier. Only used when a word is followed by "(", which is rare enough.
    private String wordBefore() {
      int j = i - 1;
      while (j >= 0 && Character.isWhitespace(s.charAt(j))) {
        j--;
      }
      // j is at the last char of the current word (or of a quoted name)
      j = skipBackName(j);
      if (j >= 0 && s.charAt(j) == '.') {
        j = skipBackName(j - 1);
      }
      while (j >= 0 && Character.isWhitespace(s.charAt(j))) {
        j--;
      }
      int end = j + 1;
      while (j >= 0 && isWordPart(s.charAt(j))) {
        j--;
      }
      return end > j + 1 ? s.substring(j + 1, end).toLowerCase(Locale.ROOT) : null;
    }

    private int skipBackName(int j) {
      while (j >= 0 && Character.isWhitespace(s.charAt(j))) {
        j--;
      }
      if (j >= 0 && s.charAt(j) == '"') {
        j--;
        while (j >= 0 && s.charAt(j) != '"') {
          j--;
        }
        return j - 1;
      }
      while (j >= 0 && isWordPart(s.charAt(j))) {
        j--;
      }
      return j;
    }

    private void token(char kind) {
      if (kind == 'q' && heads < head.length) {
        head[heads++] = "\"";
      }
      if (configArgument == 2 && kind == ',') {
        configArgument = 0; // set_config('other_parameter', ...): not a change of role
      } else if (kind != '\'') {
        notConfigArgument();
      }
      if (kind != '.') {
        beforePrevious = null;
      }
      if (kind != 'w') {
        if (kind != '.') {
          previousWord = null;
        }
        if (words == 0 && kind != '(') {
          words = 1; // text that starts with punctuation: no known command
          command = "?";
        }
      }
      previousToken = kind;
    }

    private char peek(int ahead) {
      return i + ahead < n ? s.charAt(i + ahead) : 0;
    }

    private void skipLineComment() {
      while (i < n && s.charAt(i) != '\n') {
        i++;
      }
    }

    private void skipBlockComment() {
      int depth = 0;
      while (i < n) {
        if (s.charAt(i) == '/' && peek(1) == '*') {
          depth++;
          i += 2;
        } else if (s.charAt(i) == '*' && peek(1) == '/') {
          depth--;
          i += 2;
          if (depth == 0) {
            return;
          }
        } else {
          i++;
        }
      }
    }

    private void skipString(boolean backslashEscapes) {
      i++; // opening quote
      while (i < n) {
        char c = s.charAt(i);
        if (backslashEscapes && c == '\\') {
          i += 2;
        } else if (c == '\'') {
          if (peek(1) == '\'') {
            i += 2;
          } else {
            i++;
            return;
          }
        } else {
          i++;
        }
      }
    }

    private void skipQuotedIdentifier() {
      i++;
      while (i < n) {
        if (s.charAt(i) == '"') {
          if (peek(1) == '"') {
            i += 2;
          } else {
            i++;
            return;
          }
        } else {
          i++;
        }
      }
    }

    /** Length of a dollar-quote tag ($$ or $name$) starting at i, or 0. */
    private int dollarTag() {
      int j = i + 1;
      if (j < n && (Character.isLetter(s.charAt(j)) || s.charAt(j) == '_')) {
        while (j < n && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
          j++;
        }
      }
      return j < n && s.charAt(j) == '$' ? j - i + 1 : 0;
    }

    private void skipDollarQuoted() {
      String tag = s.substring(i, i + dollarTag());
      int end = s.indexOf(tag, i + tag.length());
      i = end < 0 ? n : end + tag.length();
    }

    private static boolean isWordStart(char c) {
      return Character.isLetter(c) || c == '_';
    }

    private static boolean isWordPart(char c) {
      return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
  }
}
