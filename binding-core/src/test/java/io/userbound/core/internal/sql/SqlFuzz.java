package io.userbound.core.internal.sql;

import java.util.List;
import java.util.Random;

/**
 * Seeded generator of hostile SQL text for the guard's differential tests: statements that
 * change the role, session state or nothing, wrapped in and separated by the constructs
 * whose reading differs between careless lexers (comments ended by CR, nested and
 * slash-star-slash comments, E'' U&'' B'' literals, dollar quotes with non-ASCII tags,
 * continuation, quoted and escaped names, odd whitespace), then mutated character by
 * character. The same seed gives the same strings.
 */
final class SqlFuzz {

  /** Spellings of the name "role" as set_config's first argument. */
  private static final List<String> ROLE_NAMES =
      List.of(
          "'role'",
          "'ROLE'",
          "E'r\\157le'",
          "E'\\562ole'",
          "E'\\x72ole'",
          "e'\\u0072ole'",
          "U&'\\0072ole'",
          "U&'!0072ole' UESCAPE '!'",
          "u&'\\+000072ole'",
          "$$role$$",
          "$€$role$€$",
          "$é1$role$é1$",
          "'ro'\n'le'",
          "'ro' --c\r'le'",
          "'ro'\r\n\t'le'",
          "E'ro'\n'\\154e'",
          "N'role'",
          "'ro'||'le'",
          "('role')",
          "'role'::text");

  private static final List<String> HIDERS =
      List.of(
          "--",
          "--x\r",
          "-- \n",
          "--\r\n",
          "/*",
          "*/",
          "/* /* */",
          "/*/",
          "/**/",
          "'",
          "''",
          "E'",
          "E'\\'",
          "e'a''\\''",
          "\\'",
          "B'",
          "x'",
          "N'",
          "U&'",
          "U&\"",
          "\"",
          "\"\"",
          "$$",
          "$a$",
          "$€$",
          "$é1$",
          "$1",
          "$1$$",
          "a$b$",
          "1$$",
          "$",
          "'\n'",
          "'\r'",
          "' -- x\n'",
          " UESCAPE '!'",
          "?",
          "??",
          "{",
          "}",
          "(",
          ")",
          ";",
          ",",
          "1",
          "x",
          "a\u00a0",
          "SELECT",
          "select 1 as",
          "ROLE",
          "SET",
          "\u000b",
          "\f");

  /* Openers and the closers a careless reader (or the server) would pair them with. */
  private static final List<String[]> PAIRS =
      List.of(
          new String[] {"select 1 --", "\n"},
          new String[] {"select 1 --", "\r"},
          new String[] {"select 1 /*", "*/"},
          new String[] {"select 1 /* /* */", "*/"},
          new String[] {"select 1 /*/", "*/"},
          new String[] {"select 1 /*", "/* */"},
          new String[] {"select '", "'"},
          new String[] {"select E'\\'", "'"},
          new String[] {"select e'a''\\''", "'"},
          new String[] {"select 'a'E'\\''", "'"},
          new String[] {"select B'1''", "'"},
          new String[] {"select U&'", "'"},
          new String[] {"select $$", "$$"},
          new String[] {"select $a$", "$a$"},
          new String[] {"select $€$", "$€$"},
          new String[] {"select $é1$", "$é1$"},
          new String[] {"select 1$$", "$$"},
          new String[] {"select $1$$", "$$"},
          new String[] {"select 1 as a\u00a0$$", "select 1 as b$$"},
          new String[] {"select 1 as a$$", "select 1 as b$$"},
          new String[] {"select $a$x$a$$b$", "$b$"},
          new String[] {"select 1 as \"", "\""},
          new String[] {"select 1 as U&\"", "\""},
          new String[] {"select 'a'\n'", "'"},
          new String[] {"select 'a' /* */\n'", "'"},
          new String[] {"select\u000bE'\\'' -- '", "\n"});

  /*
   * Valid SQL around a hidden part: {H} a select-list item that changes the role, {T} a
   * statement that does, {S} a separator. Whether the server runs {H} or {T} depends on
   * exactly the rules a careless reader gets wrong.
   */
  private static final List<String> TEMPLATES =
      List.of(
          "select 1 --{S}{H}{S}",
          "select 1 --{S}; {T}",
          "select 1 /*{S}{H}{S}*/",
          "select 1 /* /* */{S}{H}{S}*/",
          "select 1 /*/{S}{H}{S}*/",
          "select 1 /**/{H}",
          "select 1 as a\u00a0$${S}{H}{S}, 1 as b$$",
          "select 1 as a$${S}{H}{S}, 1 as b$$",
          "select 1 as a\u00a0$$; {T}; select 1 as b$$",
          "select 1 as x\u0001$$; {T}; $$",
          "select 1 as x\u007f$$, {H}, $$",
          "select 'x'{S}'{H}'",
          "select 'x'{S}'';{T}; select ''",
          "select $a$x$a$$b$ {H} $b$",
          "select $€$ {H} $€$",
          "select $€$ $$ $€${H}, $$x$$",
          "select E'\\''{H}--'",
          "select e'a''\\''{S}{H}{S}--'",
          "select 'a''\\'{H} --'",
          "select b'1'''{H}, ''''",
          "select x'1F'{H}",
          "select U&'\\0072ole'{H}",
          "select U&'!0072ole' UESCAPE '!'{H}",
          "select 'a' -- x{S}'b'{H}",
          "select 1{S}{H}",
          "select \"a\"\"{H}\" from (select 1) as t(\"a\"\"{H}\")",
          "select 1 as \"x\"{H}",
          "{T}",
          "select 1; {T}",
          "select 1 --\r{T}",
          "select 1{S}--{S}{T}");

  private static final List<String> SEPARATORS =
      List.of(
          " ", " ", " ", "\t", "\n", "\r", "\r\n", "\f", "\u000b", "\u00a0", "", ";", "; ", " ;\n");

  private static final String ALPHABET =
      "'\"$-/*\\;\r\n\u000b\f\t \u00a0€éeEuU&!?{}()0123456789abxnN.,:+|=_\u0001\u007f";

  private final Random random;
  private final List<String> roleCores;
  private final List<String> sessionCores;
  private final List<String> cleanCores;
  private final List<String> roleExpressions;

  /**
   * @param seed the seed
   * @param canary a role the test's gateway may SET ROLE to, and the person must not
   * @param gateway the gateway's own role
   */
  SqlFuzz(long seed, String canary, String gateway) {
    this.random = new Random(seed);
    this.roleCores =
        List.of(
            "SET ROLE " + canary,
            "set role " + canary,
            "SET SESSION ROLE " + canary,
            "SET ROLE NONE",
            "RESET ROLE",
            "reset role",
            "SET SESSION AUTHORIZATION DEFAULT",
            "RESET SESSION AUTHORIZATION",
            "SET SESSION AUTHORIZATION " + gateway,
            "RESET ALL",
            "DISCARD ALL",
            "SET \"role\" TO " + canary,
            "SET U&\"\\0072ole\" TO " + canary,
            "SET U&\"!0072ole\" UESCAPE '!' TO " + canary,
            "SET \"ROLE\" = '" + canary + "'",
            "select set_config(ROLE_NAME, '" + canary + "', false)",
            "SELECT pg_catalog.set_config(ROLE_NAME, 'none', false)",
            "select \"set_config\"(ROLE_NAME, '" + canary + "', false)",
            "select U&\"set_config\"(ROLE_NAME, '" + canary + "', false)",
            "SET standard_conforming_strings = off",
            "select set_config('standard_conforming_strings', 'off', false)",
            "update pg_settings set setting = 'off' where name = 'standard_conforming_strings'",
            "DO $$begin execute 'set role " + canary + "'; end$$",
            "begin",
            "start transaction",
            "commit",
            "PREPARE fz_p AS SELECT 1",
            "DEALLOCATE ALL");
    this.sessionCores =
        List.of(
            "CREATE TEMP TABLE fz_t(x int)",
            "create temporary table fz_u as select 1",
            "LISTEN fz",
            "SELECT pg_advisory_lock(7)",
            "DECLARE fz_c CURSOR WITH HOLD FOR SELECT 1",
            "SET search_path = public",
            "set application_name = 'fz'",
            "SELECT set_config('fz.x', '1', false)",
            "set datestyle = 'ISO, DMY'",
            "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY",
            "set \"application_name\" = 'fz'");
    this.roleExpressions =
        List.of(
            ", set_config(ROLE_NAME, '" + canary + "', false)",
            ", pg_catalog.set_config(ROLE_NAME, 'none', false)",
            ", (select set_config(ROLE_NAME, '" + canary + "', false))",
            ", set_config('standard_conforming_strings', 'off', false)");
    this.cleanCores =
        List.of(
            "SELECT 1",
            "select 'a'",
            "VALUES (1)",
            "SHOW search_path",
            "SELECT current_setting('role')",
            "select now()",
            "SELECT 1 AS a",
            "select * from (values (1)) v(x)",
            "SELECT $$x$$",
            "select count(*) from pg_settings",
            "select E'\\''",
            "select 'a'\n'b'",
            "select U&'d!0061t!+000061' UESCAPE '!'");
  }

  /** The next string. */
  String next() {
    return random.nextBoolean() ? structured() : chaotic();
  }

  /* One to three statements, mostly valid SQL, lightly mutated. */
  private String structured() {
    StringBuilder sb = new StringBuilder();
    int statements = 1 + random.nextInt(3);
    for (int k = 0; k < statements; k++) {
      if (k > 0) {
        sb.append(';').append(pick(SEPARATORS));
      }
      int r = random.nextInt(100);
      if (r < 25) {
        sb.append(pick(cleanCores));
      } else if (r < 40) {
        sb.append(pick(sessionCores));
      } else if (r < 45) {
        sb.append(pick(roleCores).replace("ROLE_NAME", pick(ROLE_NAMES)));
      } else {
        sb.append(
            pick(TEMPLATES)
                .replace("{S}", pick(SEPARATORS))
                .replace("{H}", pick(roleExpressions).replace("ROLE_NAME", pick(ROLE_NAMES)))
                .replace("{T}", pick(roleCores).replace("ROLE_NAME", pick(ROLE_NAMES))));
      }
    }
    if (random.nextInt(3) == 0) {
      mutate(sb);
    }
    return sb.toString();
  }

  /* Pieces, openers and closers thrown together, then mutated. */
  private String chaotic() {
    StringBuilder sb = new StringBuilder();
    int pieces = 1 + random.nextInt(6);
    for (int k = 0; k < pieces; k++) {
      if (k > 0 || random.nextInt(4) == 0) {
        sb.append(pick(SEPARATORS));
      }
      sb.append(piece());
    }
    if (random.nextInt(3) == 0) {
      sb.append(pick(SEPARATORS));
    }
    int mutations = random.nextInt(4);
    for (int m = 0; m < mutations && sb.length() > 0; m++) {
      mutate(sb);
    }
    return sb.toString();
  }

  private String piece() {
    int r = random.nextInt(100);
    if (r < 12) {
      String core = pick(roleCores);
      return core.replace("ROLE_NAME", pick(ROLE_NAMES));
    } else if (r < 32) {
      return pick(sessionCores);
    } else if (r < 52) {
      return pick(cleanCores);
    } else if (r < 72) {
      // an opener, a statement, a closer: the shape of every escape
      String[] pair =
          random.nextInt(4) == 0 ? new String[] {pick(HIDERS), pick(HIDERS)} : pick(PAIRS);
      String hidden = random.nextBoolean() ? pick(roleCores) : pick(roleExpressions);
      return pair[0]
          + pick(SEPARATORS)
          + hidden.replace("ROLE_NAME", random.nextBoolean() ? "'role'" : pick(ROLE_NAMES))
          + pick(SEPARATORS)
          + pair[1];
    }
    return pick(HIDERS);
  }

  private void mutate(StringBuilder sb) {
    int at = random.nextInt(sb.length() + 1);
    switch (random.nextInt(7)) {
      case 0 -> sb.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      case 1 -> {
        if (at < sb.length()) {
          sb.deleteCharAt(at);
        }
      }
      case 2 -> {
        int end = Math.min(sb.length(), at + 1 + random.nextInt(8));
        sb.insert(at, sb.substring(at, end));
      }
      case 3 -> {
        if (at + 1 < sb.length()) {
          char c = sb.charAt(at);
          sb.setCharAt(at, sb.charAt(at + 1));
          sb.setCharAt(at + 1, c);
        }
      }
      case 4 -> {
        int end = Math.min(sb.length(), at + 1 + random.nextInt(12));
        for (int k = at; k < end; k++) {
          char c = sb.charAt(k);
          sb.setCharAt(
              k, Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
        }
      }
      case 5 -> sb.insert(at, pick(HIDERS));
      default -> sb.insert(at, pick(SEPARATORS));
    }
  }

  private <T> T pick(List<T> list) {
    return list.get(random.nextInt(list.size()));
  }

  /** The text as a Java string literal's body: control and non-ASCII characters as escapes. */
  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\f' -> out.append("\\f");
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20 || c >= 0x7F) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
