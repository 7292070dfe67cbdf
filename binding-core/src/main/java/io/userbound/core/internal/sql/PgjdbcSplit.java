package io.userbound.core.internal.sql;

import java.util.ArrayList;
import java.util.List;

/*
 * How pgjdbc reads statement text before the server does. With several statements in one
 * text, pgjdbc (org.postgresql.core.Parser.parseJdbcSql, 42.7) cuts it at each semicolon
 * it takes for code, outside parentheses, and sends each piece on its own: in the extended
 * protocol for every Statement and PreparedStatement, and with preferQueryMode=simple for
 * every PreparedStatement (then each piece is its own simple query: a failing piece does
 * not stop the next). It also turns each ? it takes for code into $1, $2, ... (or, in
 * simple mode, into the value in parentheses), and escape processing rewrites {..}.
 *
 * Its lexer is not the server's: it has no E'' after a quote, a dollar sign or \v
 * (E'a''\'' is read as two plain strings), it judges identifier and dollar-tag characters
 * by Java's rules (U+00A0 ends an identifier, a control character or currency sign does
 * not), so it sees no dollar quote after a digit (1$$..$$) but one after U+00A0, and a
 * slash-star comment ends at the first star-slash after the opening slash-star, so that
 * slash-star-slash opens and closes one. Where the two disagree, a piece can begin
 * inside what the server reads as a comment or literal of the whole text, and run what
 * the guard never saw. So the guard requires agreement at every character pgjdbc acts on:
 * each semicolon it cuts at, each ? it binds and each { or } must be code to the server's
 * lexer too. Then every piece begins where the server's reading of the whole text is
 * between tokens, the server reads each piece as the guard read that part of the text, and
 * the flags of the whole text cover the pieces. A bound ? right after an identifier
 * character and before another (a?$x$) is refused too: $1 would join the identifier and
 * swallow what follows.
 *
 * Other pgjdbc versions may read differently: PgjdbcSplitTest compares this reading with
 * the Parser on the class path, and fails when they part.
 */
final class PgjdbcSplit {

  private final String s;
  private final int n;

  /** Indexes of the semicolons pgjdbc cuts at. */
  final List<Integer> splits = new ArrayList<>();

  /** Indexes of the ? pgjdbc binds (not those of ??). */
  final List<Integer> binds = new ArrayList<>();

  /** Indexes of the ?? pgjdbc turns into one ?. */
  final List<Integer> doubled = new ArrayList<>();

  /** Indexes of { and } outside what pgjdbc takes for literals and comments. */
  final List<Integer> braces = new ArrayList<>();

  private PgjdbcSplit(String s) {
    this.s = s;
    this.n = s.length();
  }

  static PgjdbcSplit of(String sql) {
    PgjdbcSplit split = new PgjdbcSplit(sql);
    split.run();
    return split;
  }

  private void run() {
    int inParen = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\'' -> i = singleQuotes(i);
        case '"' -> i = doubleQuotes(i);
        case '-' -> i = lineComment(i);
        case '/' -> i = blockComment(i);
        case '$' -> i = dollarQuotes(i);
        case ')' -> inParen--;
        case '?' -> {
          if (i + 1 < n && s.charAt(i + 1) == '?') {
            doubled.add(i);
            i++;
          } else {
            binds.add(i);
          }
        }
        case ';' -> {
          if (inParen == 0) {
            splits.add(i);
          }
        }
        case '{', '}' -> braces.add(i);
        default -> {}
      }
      if (c == '(') {
        inParen++;
      }
    }
  }

  /**
   * Whether the server's reading of the whole text (lexed) agrees with pgjdbc's wherever
   * pgjdbc acts; null if it does, else where it does not.
   */
  String disagreement(SqlLexer.Lexed lexed) {
    byte[] kinds = lexed.kinds;
    for (int p : splits) {
      if (kinds[p] != SqlLexer.OP) {
        return "pgjdbc splits at offset " + p + ", inside what the server reads as one token";
      }
    }
    for (int p : binds) {
      if (kinds[p] != SqlLexer.OP) {
        return "pgjdbc binds the ? at offset " + p + ", inside what the server reads as one token";
      }
      if (p > 0
          && kinds[p - 1] == SqlLexer.WORD
          && p + 1 < n
          && SqlLexer.isIdentCont(s.charAt(p + 1))) {
        return "the ? at offset " + p + " stands between identifier characters";
      }
    }
    for (int p : doubled) {
      if (kinds[p] != SqlLexer.OP) {
        return "pgjdbc reads ?? at offset " + p + ", inside what the server reads as one token";
      }
    }
    for (int p : braces) {
      if (kinds[p] != SqlLexer.OP) {
        return "pgjdbc reads the brace at offset " + p + " as code, the server does not";
      }
    }
    return null;
  }

  /** The statements pgjdbc sends, as Parser.parseJdbcSql builds them (for tests). */
  List<String> pieces() {
    List<String> pieces = new ArrayList<>();
    StringBuilder piece = new StringBuilder();
    int from = 0;
    int bind = 0;
    int nextSplit = 0;
    int nextBind = 0;
    int nextDoubled = 0;
    boolean blank = true;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      blank &= c == ';' || Character.isWhitespace(c);
      if (nextBind < binds.size() && binds.get(nextBind) == i) {
        nextBind++;
        piece.append(s, from, i).append('$').append(++bind);
        from = i + 1;
      } else if (nextDoubled < doubled.size() && doubled.get(nextDoubled) == i) {
        nextDoubled++;
        piece.append(s, from, i).append('?');
        from = i + 2;
        i++;
      } else if (nextSplit < splits.size() && splits.get(nextSplit) == i) {
        nextSplit++;
        if (!blank) {
          piece.append(s, from, i);
          blank = true;
        }
        from = i + 1;
        if (piece.length() > 0) {
          pieces.add(piece.toString());
          piece.setLength(0);
          bind = 0;
        }
      }
    }
    if (from < n && !blank) {
      piece.append(s, from, n);
    }
    if (piece.length() > 0 && (pieces.isEmpty() || !blank)) {
      pieces.add(piece.toString());
    }
    return pieces;
  }

  // ---- pgjdbc's lexer, rule for rule ----------------------------------------------------------

  /** The index of the closing quote, or n; E'' only after a space, quote or operator character. */
  private int singleQuotes(int offset) {
    boolean backslashes =
        offset >= 2
            && (s.charAt(offset - 1) == 'e' || s.charAt(offset - 1) == 'E')
            && terminatesIdentifier(s.charAt(offset - 2));
    for (int i = offset + 1; i < n; i++) {
      char c = s.charAt(i);
      if (backslashes && c == '\\') {
        i++;
      } else if (c == '\'') {
        return i;
      }
    }
    return n;
  }

  private int doubleQuotes(int offset) {
    int i = offset + 1;
    while (i < n && s.charAt(i) != '"') {
      i++;
    }
    return i;
  }

  private int lineComment(int offset) {
    if (offset + 1 < n && s.charAt(offset + 1) == '-') {
      while (offset + 1 < n) {
        offset++;
        if (s.charAt(offset) == '\r' || s.charAt(offset) == '\n') {
          break;
        }
      }
    }
    return offset;
  }

  /* Nests, but looks at pairs of characters from the opening star on: slash-star-slash closes. */
  private int blockComment(int offset) {
    if (offset + 1 < n && s.charAt(offset + 1) == '*') {
      int level = 1;
      for (offset += 2; offset < n; offset++) {
        char before = s.charAt(offset - 1);
        char c = s.charAt(offset);
        if (before == '*' && c == '/') {
          level--;
          offset++;
        } else if (before == '/' && c == '*') {
          level++;
          offset++;
        }
        if (level == 0) {
          offset--;
          break;
        }
      }
    }
    return offset;
  }

  private int dollarQuotes(int offset) {
    if (offset + 1 < n && (offset == 0 || !isIdentifierCont(s.charAt(offset - 1)))) {
      int end = -1;
      if (s.charAt(offset + 1) == '$') {
        end = offset + 1;
      } else if (isDollarTagStart(s.charAt(offset + 1))) {
        for (int d = offset + 2; d < n; d++) {
          char c = s.charAt(d);
          if (c == '$') {
            end = d;
            break;
          } else if (!isDollarTagPart(c)) {
            break;
          }
        }
      }
      if (end > 0) {
        int tagLength = end - offset + 1;
        String tag = s.substring(offset, end + 1);
        int close = s.indexOf(tag, end + 1);
        // pgjdbc stops at the last character of the closing tag, or runs to the end
        return close < 0 ? n : close + tagLength - 1;
      }
    }
    return offset;
  }

  private static boolean terminatesIdentifier(char c) {
    return c == '"'
        || c == ' '
        || c == '\t'
        || c == '\n'
        || c == '\r'
        || c == '\f'
        || ",()[].;:+-*/%^<>=~!@#&|`?".indexOf(c) >= 0;
  }

  /* pgjdbc 42.7 judges identifier characters by Java's rules, not the server's. */
  private static boolean isDollarTagStart(char c) {
    return c != '$' && Character.isJavaIdentifierStart(c);
  }

  private static boolean isDollarTagPart(char c) {
    return c != '$' && Character.isJavaIdentifierPart(c);
  }

  private static boolean isIdentifierCont(char c) {
    return Character.isJavaIdentifierPart(c);
  }
}
