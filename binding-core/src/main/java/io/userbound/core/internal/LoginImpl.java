package io.userbound.core.internal;

import io.userbound.core.Login;
import java.security.MessageDigest;
import java.util.Arrays;

/** A verified login. The password copy is wiped at logout; see {@link Login}. */
final class LoginImpl implements Login {

  final DefaultUserbound owner;
  final String role;
  final byte[] fingerprint;
  private final char[] password;
  private volatile boolean loggedOut;

  LoginImpl(DefaultUserbound owner, String role, char[] password, byte[] fingerprint) {
    this.owner = owner;
    this.role = role;
    this.password = password.clone();
    this.fingerprint = fingerprint;
  }

  @Override
  public String role() {
    return role;
  }

  @Override
  public boolean isLoggedOut() {
    return loggedOut;
  }

  /** Returns a fresh copy of the password for a pool to keep; the caller wipes it. */
  char[] passwordCopyForOpen() {
    return password.clone();
  }

  boolean matches(byte[] otherFingerprint) {
    return MessageDigest.isEqual(fingerprint, otherFingerprint);
  }

  void logOut() {
    loggedOut = true;
    Arrays.fill(password, '\0');
  }

  @Override
  public String toString() {
    return "Login[role=" + Names.forMessage(role) + (loggedOut ? ", logged out" : "") + "]";
  }
}
