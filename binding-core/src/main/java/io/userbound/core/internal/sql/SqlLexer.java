package io.userbound.core.internal.sql;

import java.util.ArrayList;
import java.util.List;

/*
 * PostgreSQL's lexer (src/backend/parser/scan.l, plus the UESCAPE look-ahead of parser.c),
 * redone for the guard: it cuts SQL text into the tokens the server will see, and says
 * where it cannot be sure it reads the text as the server will. SqlClassifier judges the
 * tokens; nothing here knows what a statement means.
 *
 * Rules followed (scan.l names in brackets):
 *   - whitespace is exactly space, \t, \n, \r, \f and \v [space]; \v only since 16 (15 and
 *     older reject it as a stray character, so reading it as whitespace hides nothing);
 *   - "--" starts a comment that ends before the next \n or \r [comment, non_newline];
 *     slash-star comments nest [xc]; "--" and slash-star start a comment anywhere outside
 *     a literal, also inside a run of operator characters;
 *   - identifiers start with A-Z, a-z, _ or any character from U+0080 up (a byte >= 0x80
 *     in every server encoding), and go on with those, digits and $ [ident_start,
 *     ident_cont]; they are downcased in ASCII only (downcase_identifier leaves other
 *     letters to a single-byte locale, and never to ASCII). Character.isLetter is not the
 *     rule: U+00A0 is an identifier character to the server;
 *   - '..' with '' for a quote [xq]; E'..' with backslash escapes, octal and hex bytes
 *     (an octal escape keeps the low 8 bits: \562 is 'r'), \\u and \\U [xe]; B'..' and X'..'
 *     end at the first quote [xb, xh]; N'..' [xn]; U&'..' and U&".." with Unicode escapes,
 *     decoded with the UESCAPE character that may follow [xus, xui]; a prefix letter counts
 *     only at the start of a token (a$e'..' is an identifier and a plain string);
 *   - a quoted literal continues after whitespace holding a newline and another quote
 *     [quotecontinue]: 'ro' newline 'le' is the one literal 'role';
 *   - $tag$..$tag$ with tags of identifier characters but $ [dolqdelim], only at the start
 *     of a token: after an identifier character the $ belongs to the identifier, after a
 *     number it does not (1$$x$$ is a number and a string); $1 is a parameter [param];
 *   - numbers as 16 reads them (0x1F, 1_000); a number or parameter followed directly by an
 *     identifier character is an error from 15 on [integer_junk] but two tokens before, so
 *     it is unreadable here.
 *
 * Unreadable (the server would refuse the text, or versions read it differently): an
 * unterminated comment, literal, quoted identifier or dollar quote, an invalid escape
 * (E'\\u12', U&'\\0000', a lone surrogate escape), a bad UESCAPE, number junk. A NUL or an
 * unpaired surrogate in the Java string is checked by the caller.
 */
final class SqlLexer {

  static final byte WORD = 1;
  static final byte QUOTED = 2;
  static final byte STRING = 3;
  static final byte NUMBER = 4;
  static final byte PARAM = 5;
  static final byte OP = 6;

  /** How a string literal was written. */
  enum Form {
    PLAIN,
    ESCAPE,
    BITS,
    NATIONAL,
    UNICODE,
    DOLLAR
  }

  /** One token: a word (downcased), a quoted name or literal (its value), or punctuation. */
  static final class Token {
    final byte kind;
    final int start;
    final int end;
    final Form form; // STRING only
    final boolean unicode; // U&".." or U&'..'
    String text; // WORD: downcased; QUOTED, STRING: the value, null when not known; OP: as written
    String raw; // U& tokens: the text between the quotes, decoded once UESCAPE is known

    Token(byte kind, int start, int end, Form form, boolean unicode, String text) {
      this.kind = kind;
      this.start = start;
      this.end = end;
      this.form = form;
      this.unicode = unicode;
      this.text = text;
    }

    boolean isOp(String op) {
      return kind == OP && op.equals(text);
    }

    boolean isWord(String word) {
      return kind == WORD && word.equals(text);
    }

    @Override
    public String toString() {
      return kind + ":" + text;
    }
  }

  /** The tokens, what each character of the text is, and why the text is unreadable. */
  static final class Lexed {
    final List<Token> tokens;

    /** Per character: the kind of the token it belongs to, 0 inside whitespace, comments, literals. */
    final byte[] kinds;

    /** Null when readable, else the reason. */
    final String unreadable;

    Lexed(List<Token> tokens, byte[] kinds, String unreadable) {
      this.tokens = tokens;
      this.kinds = kinds;
      this.unreadable = unreadable;
    }
  }

  private final String s;
  private final int n;
  private final List<Token> tokens = new ArrayList<>();
  private final byte[] kinds;
  private int i;
  private String unreadable;
  private boolean valueKnown; // of the literal being read

  private SqlLexer(String s) {
    this.s = s;
    this.n = s.length();
    this.kinds = new byte[n];
  }

  static Lexed lex(String sql) {
    SqlLexer lexer = new SqlLexer(sql);
    lexer.run();
    if (lexer.unreadable == null) {
      lexer.unicodeEscapes();
    }
    return new Lexed(lexer.tokens, lexer.kinds, lexer.unreadable);
  }

  private void run() {
    while (i < n && unreadable == null) {
      char c = s.charAt(i);
      if (isSpace(c)) {
        i++;
      } else if (c == '-' && at(i + 1) == '-') {
        i = lineCommentEnd(i);
      } else if (c == '/' && at(i + 1) == '*') {
        blockComment();
      } else if (c == '\'') {
        literal(i, Form.PLAIN);
      } else if (c == '"') {
        quoted(i, false);
      } else if (c == '$') {
        dollar();
      } else if (isIdentStart(c)) {
        wordOrPrefixed(c);
      } else if (isDigit(c) || (c == '.' && isDigit(at(i + 1)))) {
        number();
      } else {
        operator(c);
      }
    }
  }

  // ---- comments --------------------------------------------------------------------------

  /** The index of the \n or \r that ends a "--" comment starting at from, or the end. */
  private int lineCommentEnd(int from) {
    int j = from + 2;
    while (j < n && s.charAt(j) != '\n' && s.charAt(j) != '\r') {
      j++;
    }
    return j;
  }

  private void blockComment() {
    int depth = 1;
    int j = i + 2;
    while (j < n) {
      char c = s.charAt(j);
      if (c == '/' && at(j + 1) == '*') {
        depth++;
        j += 2;
      } else if (c == '*' && at(j + 1) == '/') {
        j += 2;
        if (--depth == 0) {
          i = j;
          return;
        }
      } else {
        j++;
      }
    }
    fail("unterminated /* comment");
  }

  // ---- literals ----------------------------------------------------------------------------

  /** A quoted literal whose token starts at start and whose opening quote is at i. */
  private void literal(int start, Form form) {
    StringBuilder value = new StringBuilder();
    valueKnown = form != Form.BITS && form != Form.NATIONAL;
    int j = i + 1;
    while (true) {
      if (j >= n) {
        fail("unterminated quoted string");
        return;
      }
      char c = s.charAt(j);
      if (c == '\'') {
        if (form != Form.BITS && at(j + 1) == '\'') {
          value.append('\'');
          j += 2;
          continue;
        }
        int next = continuation(j + 1);
        if (next < 0) {
          j++;
          break;
        }
        j = next;
      } else if (c == '\\' && form == Form.ESCAPE) {
        j = escape(j, value);
        if (j < 0) {
          return;
        }
      } else {
        value.append(c);
        j++;
      }
    }
    Token t =
        new Token(
            STRING, start, j, form, form == Form.UNICODE, valueKnown ? value.toString() : null);
    if (form == Form.UNICODE) {
      t.raw = value.toString();
      t.text = null;
    }
    add(t);
    i = j;
  }

  /*
   * After the closing quote of a literal at from - 1: the index just past the next opening
   * quote if the literal continues [quotecontinue], else -1. Continuation needs whitespace
   * holding a newline; "--" comments may stand in it, slash-star comments may not.
   */
  private int continuation(int from) {
    int j = from;
    // {non_newline_whitespace}*
    while (j < n) {
      char c = s.charAt(j);
      if (c == ' ' || c == '\t' || c == '\f' || c == '\u000b') {
        j++;
      } else if (c == '-' && at(j + 1) == '-') {
        j = lineCommentEnd(j);
      } else {
        break;
      }
    }
    if (j >= n || (s.charAt(j) != '\n' && s.charAt(j) != '\r')) {
      return -1;
    }
    j++;
    // {special_whitespace}*
    while (j < n) {
      char c = s.charAt(j);
      if (isSpace(c)) {
        j++;
      } else if (c == '-' && at(j + 1) == '-') {
        j = lineCommentEnd(j);
        if (j >= n) {
          return -1;
        }
      } else {
        break;
      }
    }
    return j < n && s.charAt(j) == '\'' ? j + 1 : -1;
  }

  /*
   * A backslash escape of an E'' literal at j: appends the character and returns the index
   * after the escape, or -1 when the server refuses it. A byte escape that is not an ASCII
   * character on its own (NUL, or part of a multi-byte character) makes the value unknown.
   */
  private int escape(int j, StringBuilder value) {
    if (j + 1 >= n) {
      fail("unterminated quoted string");
      return -1;
    }
    char d = s.charAt(j + 1);
    if (d >= '0' && d <= '7') {
      int k = j + 1;
      int code = 0;
      while (k < n && k < j + 4 && s.charAt(k) >= '0' && s.charAt(k) <= '7') {
        code = code * 8 + (s.charAt(k) - '0');
        k++;
      }
      return byteEscape(code & 0xFF, k, value);
    }
    if (d == 'x' && isHex(at(j + 2))) {
      int k = j + 2;
      int code = 0;
      while (k < n && k < j + 4 && isHex(s.charAt(k))) {
        code = code * 16 + Character.digit(s.charAt(k), 16);
        k++;
      }
      return byteEscape(code, k, value);
    }
    if (d == 'u' || d == 'U') {
      int digits = d == 'u' ? 4 : 8;
      int code = hex(j + 2, digits);
      if (code < 0) {
        fail("invalid Unicode escape");
        return -1;
      }
      int k = j + 2 + digits;
      if (code >= 0xD800 && code <= 0xDBFF) {
        // must be followed at once by the escape of a low surrogate [xeu]
        int low = -1;
        if (at(k) == '\\' && (at(k + 1) == 'u' || at(k + 1) == 'U')) {
          int lowDigits = at(k + 1) == 'u' ? 4 : 8;
          low = hex(k + 2, lowDigits);
          k += 2 + lowDigits;
        }
        if (low < 0xDC00 || low > 0xDFFF) {
          fail("invalid Unicode surrogate pair");
          return -1;
        }
        value.append((char) code).append((char) low);
        return k;
      }
      if (code == 0 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
        fail("invalid Unicode escape value");
        return -1;
      }
      value.appendCodePoint(code);
      return k;
    }
    switch (d) {
      case 'b' -> value.append('\b');
      case 'f' -> value.append('\f');
      case 'n' -> value.append('\n');
      case 'r' -> value.append('\r');
      case 't' -> value.append('\t');
      default -> value.append(d);
    }
    return j + 2;
  }

  private int byteEscape(int code, int next, StringBuilder value) {
    if (code == 0 || code >= 0x80) {
      valueKnown = false;
    } else {
      value.append((char) code);
    }
    return next;
  }

  /** The value of exactly count hex digits at from, or -1. */
  private int hex(int from, int count) {
    if (from + count > n) {
      return -1;
    }
    long code = 0;
    for (int k = from; k < from + count; k++) {
      if (!isHex(s.charAt(k))) {
        return -1;
      }
      code = code * 16 + Character.digit(s.charAt(k), 16);
    }
    return code > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) code;
  }

  /** A quoted identifier whose opening quote is at i ("..", or U&".." when unicode). */
  private void quoted(int start, boolean unicode) {
    StringBuilder value = new StringBuilder();
    int j = i + 1;
    while (true) {
      if (j >= n) {
        fail("unterminated quoted identifier");
        return;
      }
      char c = s.charAt(j);
      if (c == '"') {
        if (at(j + 1) == '"') {
          value.append('"');
          j += 2;
          continue;
        }
        j++;
        break;
      }
      value.append(c);
      j++;
    }
    Token t = new Token(QUOTED, start, j, null, unicode, unicode ? null : value.toString());
    if (unicode) {
      t.raw = value.toString();
    }
    add(t);
    i = j;
  }

  /** At a $: a dollar-quoted literal, a parameter, or the character itself. */
  private void dollar() {
    int j = i + 1;
    if (j < n && isIdentStart(s.charAt(j)) && s.charAt(j) != '$') {
      while (j < n && isIdentCont(s.charAt(j)) && s.charAt(j) != '$') {
        j++;
      }
    }
    if (j < n && s.charAt(j) == '$') {
      String tag = s.substring(i, j + 1);
      int end = s.indexOf(tag, j + 1);
      if (end < 0) {
        fail("unterminated dollar-quoted string");
        return;
      }
      add(new Token(STRING, i, end + tag.length(), Form.DOLLAR, false, s.substring(j + 1, end)));
      i = end + tag.length();
      return;
    }
    if (isDigit(at(i + 1))) {
      j = i + 1;
      while (j < n && isDigit(s.charAt(j))) {
        j++;
      }
      if (j < n && isIdentStart(s.charAt(j))) {
        fail("trailing junk after parameter");
        return;
      }
      add(new Token(PARAM, i, j, null, false, s.substring(i, j)));
      i = j;
      return;
    }
    add(new Token(OP, i, i + 1, null, false, "$"));
    i++;
  }

  // ---- words, numbers, operators ------------------------------------------------------------

  private void wordOrPrefixed(char c) {
    char next = at(i + 1);
    if (next == '\'') {
      Form form =
          switch (c) {
            case 'e', 'E' -> Form.ESCAPE;
            case 'b', 'B', 'x', 'X' -> Form.BITS;
            case 'n', 'N' -> Form.NATIONAL;
            default -> null;
          };
      if (form != null) {
        int start = i;
        i++;
        literal(start, form);
        return;
      }
    }
    if ((c == 'u' || c == 'U') && next == '&' && (at(i + 2) == '\'' || at(i + 2) == '"')) {
      int start = i;
      i += 2;
      if (s.charAt(i) == '\'') {
        literal(start, Form.UNICODE);
      } else {
        quoted(start, true);
      }
      return;
    }
    int j = i + 1;
    while (j < n && isIdentCont(s.charAt(j))) {
      j++;
    }
    add(new Token(WORD, i, j, null, false, asciiLower(s.substring(i, j))));
    i = j;
  }

  private void number() {
    int j = i;
    char base = Character.toLowerCase(at(j + 1));
    if (s.charAt(j) == '0'
        && (base == 'x' || base == 'o' || base == 'b')
        && radixDigits(j + 2, base) > j + 2) {
      j = radixDigits(j + 2, base);
    } else {
      j = decimalDigits(j);
      if (at(j) == '.' && at(j + 1) != '.') {
        j = decimalDigits(j + 1);
      }
      if (at(j) == 'e' || at(j) == 'E') {
        int k = j + 1;
        if (at(k) == '+' || at(k) == '-') {
          k++;
        }
        if (isDigit(at(k))) {
          j = decimalDigits(k);
        }
      }
    }
    if (j < n && isIdentStart(s.charAt(j))) {
      fail("trailing junk after numeric literal");
      return;
    }
    add(new Token(NUMBER, i, j, null, false, s.substring(i, j)));
    i = j;
  }

  /** The end of digits with single underscores between them [decinteger], from j. */
  private int decimalDigits(int j) {
    while (j < n) {
      if (isDigit(s.charAt(j))) {
        j++;
      } else if (s.charAt(j) == '_' && j > 0 && isDigit(s.charAt(j - 1)) && isDigit(at(j + 1))) {
        j++;
      } else {
        break;
      }
    }
    return j;
  }

  private int radixDigits(int j, char base) {
    while (j < n) {
      char c = s.charAt(j);
      char d = c == '_' ? at(j + 1) : c;
      boolean digit =
          switch (base) {
            case 'x' -> isHex(d);
            case 'o' -> d >= '0' && d <= '7';
            default -> d == '0' || d == '1';
          };
      if (!digit) {
        break;
      }
      j += c == '_' ? 2 : 1;
    }
    return j;
  }

  private void operator(char c) {
    int j = i + 1;
    if (isOpChar(c)) {
      while (j < n
          && isOpChar(s.charAt(j))
          && !(s.charAt(j) == '-' && at(j + 1) == '-')
          && !(s.charAt(j) == '/' && at(j + 1) == '*')) {
        j++;
      }
    } else if ((c == ':' && (at(j) == ':' || at(j) == '=')) || (c == '.' && at(j) == '.')) {
      j++;
    }
    add(new Token(OP, i, j, null, false, s.substring(i, j)));
    i = j;
  }

  // ---- U& and UESCAPE ----------------------------------------------------------------------

  /*
   * parser.c: after U&'..' or U&"..", the keyword UESCAPE and a plain string literal of one
   * character choose the escape character (default backslash); then the escapes are
   * decoded. The UESCAPE clause is dropped from the tokens: it is part of the name or
   * literal before it.
   */
  private void unicodeEscapes() {
    for (int k = 0; k < tokens.size() && unreadable == null; k++) {
      Token t = tokens.get(k);
      if (!t.unicode) {
        continue;
      }
      char escape = '\\';
      if (k + 1 < tokens.size() && tokens.get(k + 1).isWord("uescape")) {
        Token literal = k + 2 < tokens.size() ? tokens.get(k + 2) : null;
        if (literal == null
            || literal.kind != STRING
            || literal.unicode
            || (literal.form != Form.PLAIN
                && literal.form != Form.ESCAPE
                && literal.form != Form.DOLLAR)) {
          fail("UESCAPE must be followed by a simple string literal");
          return;
        }
        String e = literal.text;
        if (e == null || e.length() != 1 || !validEscape(e.charAt(0))) {
          fail("invalid Unicode escape character");
          return;
        }
        escape = e.charAt(0);
        tokens.remove(k + 2);
        tokens.remove(k + 1);
      }
      String decoded = decodeUnicode(t.raw, escape);
      if (decoded == null) {
        fail("invalid Unicode escape");
        return;
      }
      t.text = decoded;
    }
  }

  private static boolean validEscape(char c) {
    return c < 0x80 && !isHex(c) && c != '+' && c != '\'' && c != '"' && !isSpace(c);
  }

  /** The value of a U& literal or name, or null when an escape is invalid. */
  static String decodeUnicode(String raw, char escape) {
    StringBuilder out = new StringBuilder(raw.length());
    int j = 0;
    int pendingHigh = -1;
    while (j < raw.length()) {
      char c = raw.charAt(j);
      if (c != escape) {
        if (pendingHigh >= 0) {
          return null;
        }
        out.append(c);
        j++;
        continue;
      }
      if (j + 1 < raw.length() && raw.charAt(j + 1) == escape) {
        if (pendingHigh >= 0) {
          return null;
        }
        out.append(escape);
        j += 2;
        continue;
      }
      int code;
      if (j + 1 < raw.length() && raw.charAt(j + 1) == '+') {
        code = hexIn(raw, j + 2, 6);
        j += 8;
      } else {
        code = hexIn(raw, j + 1, 4);
        j += 5;
      }
      if (code <= 0 || code > 0x10FFFF) {
        return null;
      }
      boolean high = code >= 0xD800 && code <= 0xDBFF;
      boolean low = code >= 0xDC00 && code <= 0xDFFF;
      if (pendingHigh >= 0) {
        if (!low) {
          return null;
        }
        out.append((char) pendingHigh).append((char) code);
        pendingHigh = -1;
      } else if (high) {
        pendingHigh = code;
      } else if (low) {
        return null;
      } else {
        out.appendCodePoint(code);
      }
    }
    return pendingHigh >= 0 ? null : out.toString();
  }

  private static int hexIn(String text, int from, int count) {
    if (from + count > text.length()) {
      return -1;
    }
    int code = 0;
    for (int k = from; k < from + count; k++) {
      char c = text.charAt(k);
      if (!isHex(c)) {
        return -1;
      }
      code = code * 16 + Character.digit(c, 16);
    }
    return code;
  }

  // ---- helpers -------------------------------------------------------------------------------

  private void add(Token t) {
    tokens.add(t);
    if (t.kind != STRING && t.kind != QUOTED) {
      for (int k = t.start; k < t.end; k++) {
        kinds[k] = t.kind;
      }
    }
  }

  private void fail(String reason) {
    if (unreadable == null) {
      unreadable = reason + " at offset " + i;
    }
    i = n;
  }

  private char at(int k) {
    return k < n ? s.charAt(k) : 0;
  }

  /** scan.l's {space}, with \v (whitespace from PostgreSQL 16 on). */
  static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000b';
  }

  static boolean isIdentStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
  }

  static boolean isIdentCont(char c) {
    return isIdentStart(c) || isDigit(c) || c == '$';
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isHex(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /** scan.l's {op_chars}. */
  private static boolean isOpChar(char c) {
    return "~!@#^&|`?+-*/%<>=".indexOf(c) >= 0;
  }

  /** Lower-cases A-Z only, as the server does for identifiers and parameter names. */
  static String asciiLower(String text) {
    char[] chars = null;
    for (int k = 0; k < text.length(); k++) {
      char c = text.charAt(k);
      if (c >= 'A' && c <= 'Z') {
        if (chars == null) {
          chars = text.toCharArray();
        }
        chars[k] = (char) (c + ('a' - 'A'));
      }
    }
    return chars == null ? text : new String(chars);
  }
}
