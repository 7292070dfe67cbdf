package io.userbound.core.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/*
 * Keyed fingerprints of (role, password). The key is random per instance and never
 * leaves memory, so a fingerprint says nothing about the password to anyone who sees
 * it, and cannot be compared across processes. Comparisons use MessageDigest.isEqual
 * (constant time).
 */
final class Fingerprints {

  private final SecretKeySpec key;

  Fingerprints() {
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    this.key = new SecretKeySpec(raw, "HmacSHA256");
    Arrays.fill(raw, (byte) 0);
  }

  byte[] of(String role, char[] password) {
    ByteBuffer pw = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(role.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      mac.update(pw.duplicate());
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    } finally {
      if (pw.hasArray()) {
        Arrays.fill(pw.array(), pw.arrayOffset(), pw.arrayOffset() + pw.capacity(), (byte) 0);
      }
    }
  }
}
