package io.userbound.benchmarks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Computes a PostgreSQL SCRAM-SHA-256 password verifier on the client (RFC 5802 / 7677, the
 * format of {@code pg_authid.rolpassword}), so that thousands of login roles can be created
 * with one SQL batch and one PBKDF2 run instead of one per role. PostgreSQL stores a verifier
 * given in {@code CREATE ROLE ... PASSWORD '<verifier>'} as is.
 *
 * <p>The iteration count is PostgreSQL's default, 4096, so a login costs what it costs in
 * production. Passwords must be ASCII (SASLprep is then the identity).
 */
final class ScramVerifier {

  static final int ITERATIONS = 4096;

  private ScramVerifier() {}

  /**
   * Returns {@code SCRAM-SHA-256$4096:<salt>$<StoredKey>:<ServerKey>} for the password.
   *
   * @param password an ASCII password
   * @return the verifier, safe to put in SQL text
   */
  static String of(char[] password) {
    for (char c : password) {
      if (c < 0x21 || c > 0x7e) {
        throw new IllegalArgumentException(
            "benchmark passwords must be printable ASCII without spaces");
      }
    }
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    try {
      SecretKeyFactory pbkdf2 = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
      byte[] salted =
          pbkdf2.generateSecret(new PBEKeySpec(password, salt, ITERATIONS, 256)).getEncoded();
      byte[] clientKey = hmac(salted, "Client Key");
      byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
      byte[] serverKey = hmac(salted, "Server Key");
      Base64.Encoder b64 = Base64.getEncoder();
      return "SCRAM-SHA-256$"
          + ITERATIONS
          + ":"
          + b64.encodeToString(salt)
          + "$"
          + b64.encodeToString(storedKey)
          + ":"
          + b64.encodeToString(serverKey);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "PBKDF2WithHmacSHA256 or HmacSHA256 missing from this JVM", e);
    }
  }

  private static byte[] hmac(byte[] key, String message) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(message.getBytes(StandardCharsets.US_ASCII));
  }
}
