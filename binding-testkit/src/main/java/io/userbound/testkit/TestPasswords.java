package io.userbound.testkit;

import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every password a test run used, so that {@link PasswordLeaks} can look for each one in
 * the logs. {@link TestNames#login(char[])} registers its passwords here by itself.
 * Thread-safe; keeps passwords for the life of the JVM, so use it in tests only.
 */
public final class TestPasswords {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHABET =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  private static final List<String> ALL = new CopyOnWriteArrayList<>();

  private TestPasswords() {}

  /**
   * Makes a fresh random password of 20 letters and digits and remembers it.
   *
   * @return the password
   */
  public static char[] fresh() {
    char[] pw = new char[20];
    for (int i = 0; i < pw.length; i++) {
      pw[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
    }
    return remember(pw);
  }

  /**
   * Remembers a password a test made itself. Passwords shorter than 6 characters are
   * not remembered: they would match ordinary text.
   *
   * @param password the password
   * @return the same array
   */
  public static char[] remember(char[] password) {
    if (password.length >= 6) {
      String pw = new String(password);
      if (!ALL.contains(pw)) {
        ALL.add(pw);
      }
    }
    return password;
  }

  /**
   * Returns every password remembered so far.
   *
   * @return a copy
   */
  public static List<String> all() {
    return List.copyOf(ALL);
  }
}
