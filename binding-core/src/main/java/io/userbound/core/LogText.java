package io.userbound.core;

import org.jspecify.annotations.Nullable;

/**
 * Makes text from outside (role names, client addresses, request paths, user agents) safe to
 * put into a log line or an exception message. Userbound passes every such string through
 * {@link #escape(CharSequence, int)} before it logs it or builds a message from it; a {@link
 * UserboundListener} or an application that logs {@link UserboundEvent#role()} or {@link
 * UserboundEvent#client()} can use the same function.
 *
 * <p>Stateless and thread-safe.
 */
public final class LogText {

  /*
   * What a log reader must not be fooled by: a line break that starts a forged line (CR,
   * LF, NEL, U+2028, U+2029, VT, FF), an escape sequence that drives the terminal (ESC and
   * the other C0/C1 controls), and invisible characters that reorder or hide what is shown
   * (the Unicode FORMAT category: bidi embeddings, overrides and isolates U+202A-U+202E,
   * U+2066-U+2069, marks U+200E/U+200F/U+061C, zero-width characters, U+FEFF, tag
   * characters U+E0000-U+E007F). Every such UTF-16 unit becomes \\uXXXX, as do lone
   * surrogates (not text at all) and code points that this JDK's Unicode tables do not
   * know (a newer log viewer may know them as one of the above). A backslash is doubled,
   * so that an escape in the output always means an escape, and the original can be read
   * back. Everything else, letters of any script included, stays as it is.
   */

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private LogText() {}

  /**
   * Escapes text for a log line or message: every control character (C0, DEL, C1 including
   * NEL U+0085), line and paragraph separator (U+2028, U+2029), format character (Unicode
   * category Cf, such as U+200B to U+200F, U+202A to U+202E, U+2066 to U+2069, U+061C and
   * U+FEFF), unassigned code point and lone surrogate becomes {@code \}{@code uXXXX} (one per
   * UTF-16 unit), and a backslash becomes two. Text longer than {@code maxChars} UTF-16 units
   * is cut (never inside a surrogate pair) and ends in {@code ...}.
   *
   * @param text the text, possibly hostile; {@code null} gives {@code "null"}
   * @param maxChars how many characters of the text to keep, at least 1
   * @return the escaped text: one line, shown in the order it is stored
   * @throws IllegalArgumentException if {@code maxChars} is less than 1
   */
  public static String escape(@Nullable CharSequence text, int maxChars) {
    if (maxChars < 1) {
      throw new IllegalArgumentException("maxChars = " + maxChars + ": must be at least 1");
    }
    if (text == null) {
      return "null";
    }
    int n = text.length();
    int end = Math.min(n, maxChars);
    StringBuilder sb = new StringBuilder(end + 16);
    int i = 0;
    while (i < end) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        if (i + 1 >= end) {
          break; // the pair does not fit: cut before it
        }
        char low = text.charAt(i + 1);
        if (isUnsafe(Character.toCodePoint(c, low))) {
          unicode(sb, c);
          unicode(sb, low);
        } else {
          sb.append(c).append(low);
        }
        i += 2;
        continue;
      }
      if (c == '\\') {
        sb.append("\\\\");
      } else if (Character.isSurrogate(c) || isUnsafe(c)) {
        unicode(sb, c);
      } else {
        sb.append(c);
      }
      i++;
    }
    if (i < n) {
      sb.append("...");
    }
    return sb.toString();
  }

  /** Whether a code point can break, drive or reorder a line, or is not known to be text. */
  static boolean isUnsafe(int codePoint) {
    return switch (Character.getType(codePoint)) {
      case Character.CONTROL,
          Character.FORMAT,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR,
          Character.SURROGATE,
          Character.UNASSIGNED ->
          true;
      default -> false;
    };
  }

  private static void unicode(StringBuilder sb, char c) {
    sb.append("\\u")
        .append(HEX[(c >> 12) & 0xF])
        .append(HEX[(c >> 8) & 0xF])
        .append(HEX[(c >> 4) & 0xF])
        .append(HEX[c & 0xF]);
  }
}
