package io.userbound.servlet;

import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every password a test uses, so that the log scan can look for each one. */
final class TestPasswords {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  private static final List<String> ALL = new CopyOnWriteArrayList<>();

  private TestPasswords() {
  }

  /** A fresh random password, remembered for the log scan. */
  static char[] fresh() {
    char[] pw = new char[20];
    for (int i = 0; i < pw.length; i++) {
      pw[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
    }
    ALL.add(new String(pw));
    return pw;
  }

  static List<String> all() {
    return List.copyOf(ALL);
  }
}
