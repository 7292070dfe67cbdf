package io.userbound.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/*
 * Reads role and password from an application/x-www-form-urlencoded body without making the
 * password a String (which could not be wiped): the body is read into a byte array, the
 * password field is percent-decoded into another and decoded as UTF-8 into a char array, and
 * every intermediate array is zero-filled. Best effort: the container may have buffered the
 * body in its own buffers, which this code cannot reach.
 *
 * Only the body counts. A password in the query string is refused by LoginService (the URL
 * has been logged by then, but at least the login fails loudly instead of seeming to work).
 */

/** A login form read from a request body; close it to wipe the password. */
final class LoginForm implements AutoCloseable {

  /** The largest body read; a login form is small. */
  static final int MAX_BODY = 16 * 1024;

  private final String role;
  private final char[] password;

  private LoginForm(String role, char[] password) {
    this.role = role;
    this.password = password;
  }

  /**
   * Returns the role name from the form.
   *
   * @return the role, not empty
   */
  String role() {
    return role;
  }

  /**
   * Returns the password from the form; the array is wiped by {@link #close()}.
   *
   * @return the password, not empty
   */
  char[] password() {
    return password;
  }

  @Override
  public void close() {
    Arrays.fill(password, '\0');
  }

  /**
   * Reads the form from the request body.
   *
   * @param request a POST with an {@code application/x-www-form-urlencoded} body
   * @return the form
   * @throws BadFormException if the content type is wrong, the body is too large or
   *     malformed, or a field is missing, repeated or empty; the message names no value
   * @throws IOException if reading the body fails
   */
  static LoginForm read(HttpServletRequest request) throws IOException {
    String type = request.getContentType();
    if (type == null
        || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      throw new BadFormException(
          "expected an application/x-www-form-urlencoded body with role and password");
    }
    if (request.getContentLengthLong() > MAX_BODY) {
      // Refused before reading: an 8 MB "password" is not read into memory first.
      throw new BadFormException("body larger than " + MAX_BODY + " bytes");
    }
    byte[] body = readBody(request);
    if (body.length == 0 && request.getParameter("password") != null) {
      // Something before us (a filter calling getParameter) consumed the body already: the
      // password is a String in the container's parameter map, which nobody can wipe.
      String role = request.getParameter("role");
      char[] password = request.getParameter("password").toCharArray();
      return parse(role, password);
    }
    try {
      return parse(body);
    } finally {
      Arrays.fill(body, (byte) 0);
    }
  }

  static LoginForm parse(byte[] body) {
    String role = null;
    char[] password = null;
    try {
      int start = 0;
      while (start <= body.length) {
        int end = indexOf(body, (byte) '&', start);
        int eq = indexOf(body, (byte) '=', start);
        if (eq < 0 || eq > end) {
          eq = end;
        }
        String name = new String(decodeBytes(body, start, eq), StandardCharsets.UTF_8);
        if (name.equals("role") || name.equals("password")) {
          if ((name.equals("role") ? role != null : password != null)) {
            throw new BadFormException("field '" + name + "' given twice");
          }
          byte[] value = decodeBytes(body, Math.min(eq + 1, end), end);
          try {
            if (name.equals("role")) {
              role = new String(decodeChars(value));
            } else {
              password = decodeChars(value);
            }
          } finally {
            Arrays.fill(value, (byte) 0);
          }
        }
        start = end + 1;
      }
      LoginForm form = parse(role, password);
      password = null;
      return form;
    } finally {
      if (password != null) {
        Arrays.fill(password, '\0');
      }
    }
  }

  private static LoginForm parse(@Nullable String role, char @Nullable [] password) {
    if (role == null || role.isEmpty()) {
      if (password != null) {
        Arrays.fill(password, '\0');
      }
      throw new BadFormException("field 'role' is missing or empty");
    }
    if (password == null || password.length == 0) {
      throw new BadFormException("field 'password' is missing or empty");
    }
    return new LoginForm(role, password);
  }

  private static byte[] readBody(HttpServletRequest request) throws IOException {
    byte[] buf = new byte[1024];
    int n = 0;
    try (InputStream in = request.getInputStream()) {
      while (true) {
        if (n == buf.length) {
          if (buf.length >= MAX_BODY) {
            Arrays.fill(buf, (byte) 0);
            throw new BadFormException("body larger than " + MAX_BODY + " bytes");
          }
          byte[] bigger = Arrays.copyOf(buf, Math.min(buf.length * 2, MAX_BODY));
          Arrays.fill(buf, (byte) 0);
          buf = bigger;
        }
        int r = in.read(buf, n, buf.length - n);
        if (r < 0) {
          break;
        }
        n += r;
      }
    }
    byte[] body = Arrays.copyOf(buf, n);
    Arrays.fill(buf, (byte) 0);
    return body;
  }

  private static int indexOf(byte[] b, byte c, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return b.length;
  }

  /** Percent-decodes b[from, to) and turns '+' into a space. */
  private static byte[] decodeBytes(byte[] b, int from, int to) {
    byte[] out = new byte[Math.max(0, to - from)];
    int n = 0;
    for (int i = from; i < to; i++) {
      byte c = b[i];
      if (c == '+') {
        out[n++] = ' ';
      } else if (c == '%') {
        if (i + 2 >= to) {
          Arrays.fill(out, (byte) 0);
          throw new BadFormException("malformed percent escape");
        }
        int hi = Character.digit(b[i + 1], 16);
        int lo = Character.digit(b[i + 2], 16);
        if (hi < 0 || lo < 0) {
          Arrays.fill(out, (byte) 0);
          throw new BadFormException("malformed percent escape");
        }
        out[n++] = (byte) ((hi << 4) | lo);
        i += 2;
      } else {
        out[n++] = c;
      }
    }
    byte[] exact = Arrays.copyOf(out, n);
    Arrays.fill(out, (byte) 0);
    return exact;
  }

  /** Decodes UTF-8 into a fresh char array, wiping the decoder's buffer. */
  private static char[] decodeChars(byte[] utf8) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    CharBuffer chars;
    try {
      chars = decoder.decode(ByteBuffer.wrap(utf8));
    } catch (CharacterCodingException e) {
      throw new BadFormException("a field is not valid UTF-8");
    }
    char[] out = new char[chars.remaining()];
    chars.get(out);
    if (chars.hasArray()) {
      Arrays.fill(chars.array(), '\0');
    }
    return out;
  }

  /** The request carried no usable login form. The message names no field value. */
  static final class BadFormException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    BadFormException(String message) {
      super(message);
    }
  }
}
