package io.userbound.servlet;

/** Writes JSON strings by hand: the few bodies this module sends need no library. */
final class Json {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Json() {}

  /**
   * Quotes and escapes a string as a JSON string literal. Escapes {@code "}, {@code \},
   * control characters, {@code <}, {@code >}, {@code &} and the line separators U+2028 and
   * U+2029, so the result is also safe inside HTML and JavaScript; unpaired surrogates
   * become U+FFFD.
   *
   * @param s the string
   * @return the literal, with quotes
   */
  static String string(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (Character.isHighSurrogate(c)
              && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1))) {
            sb.append(c).append(s.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            sb.append("\\ufffd");
          } else if (c < 0x20
              || c == '<'
              || c == '>'
              || c == '&'
              || c == 0x2028
              || c == 0x2029
              || c == 0x7f) {
            sb.append("\\u")
                .append(HEX[(c >> 12) & 0xf])
                .append(HEX[(c >> 8) & 0xf])
                .append(HEX[(c >> 4) & 0xf])
                .append(HEX[c & 0xf]);
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  /**
   * Returns a JSON object with one string member.
   *
   * @param name the member name
   * @param value the member value
   * @return e.g. {@code {"error":"busy"}}
   */
  static String object(String name, String value) {
    return "{" + string(name) + ":" + string(value) + "}";
  }
}
