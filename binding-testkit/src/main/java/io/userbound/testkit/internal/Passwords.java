package io.userbound.testkit.internal;

import java.security.SecureRandom;

/** Random superuser passwords. */
final class Passwords {
  private static final char[] ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private Passwords() {}

  static char[] random(int length) {
    char[] password = new char[length];
    for (int i = 0; i < length; i++) {
      password[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    return password;
  }
}
