package io.userbound.core.internal;

import io.userbound.core.LogText;
import io.userbound.core.Login;
import io.userbound.core.Ticker;
import io.userbound.core.VerifiedIdentity;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/*
 * A verified login. The password copy is wiped at logout; see Login.
 *
 * It remembers, per database, the pool it was last served by: the next request goes
 * straight there without a map lookup or a fingerprint compare (that pool accepted this
 * login's fingerprint when it was remembered, and a pool's fingerprint never changes).
 * A remembered pool that was retired refuses the lease, and the request takes the slow
 * path, which remembers the new one. It also remembers, for a while, a database that
 * proved the password but refused CONNECT, so that each request does not log in again
 * only to be refused.
 */
final class DefaultLogin implements Login {

  /* A GRANT CONNECT takes effect for a logged-in person after at most this long. */
  private static final long DENIAL_MEMORY_NANOS = TimeUnit.SECONDS.toNanos(30);

  final DefaultUserbound owner;
  final String role;
  final byte[] fingerprint;
  private final char[] password;
  private final AtomicReferenceArray<PersonPool> pools;
  private final AtomicLongArray deniedUntil;
  private final AtomicIntegerArray verified; // ROLE_SWITCHING: databases that checked it
  private final Ticker ticker;
  String decidedBy = ""; // the login database that accepted it
  long serial; // creation order, for Userbound.logoutRole; set before the login is shared
  private volatile boolean loggedOut;
  /* Who vouched for a token login (Userbound.loginWithToken); null for a password login. */
  final @Nullable VerifiedIdentity identity;

  DefaultLogin(
      DefaultUserbound owner,
      String role,
      char[] password,
      byte[] fingerprint,
      int databases,
      Ticker ticker) {
    this(owner, role, password, fingerprint, databases, ticker, null);
  }

  /** A token login: no password (an empty one, never sent), and who vouched for it. */
  DefaultLogin(
      DefaultUserbound owner,
      VerifiedIdentity identity,
      byte[] fingerprint,
      int databases,
      Ticker ticker) {
    this(owner, identity.role(), new char[0], fingerprint, databases, ticker, identity);
  }

  private DefaultLogin(
      DefaultUserbound owner,
      String role,
      char[] password,
      byte[] fingerprint,
      int databases,
      Ticker ticker,
      @Nullable VerifiedIdentity identity) {
    this.identity = identity;
    this.owner = owner;
    this.ticker = ticker;
    this.role = role;
    this.password = password.clone();
    this.fingerprint = fingerprint;
    this.pools = new AtomicReferenceArray<>(databases);
    this.deniedUntil = new AtomicLongArray(databases);
    this.verified = new AtomicIntegerArray(databases);
  }

  @Override
  public String role() {
    return role;
  }

  @Override
  public Optional<VerifiedIdentity> identity() {
    return Optional.ofNullable(identity);
  }

  @Override
  public boolean isLoggedOut() {
    if (!loggedOut && owner.revoked(this)) {
      logOut(); // logoutRole: every login of this role made before it
    }
    return loggedOut;
  }

  /** {@return a fresh copy of the password for a pool to keep; the caller wipes it} */
  char[] passwordCopyForOpen() {
    return password.clone();
  }

  boolean matches(byte[] otherFingerprint) {
    return MessageDigest.isEqual(fingerprint, otherFingerprint);
  }

  PersonPool pool(int database) {
    return pools.getAcquire(database);
  }

  void remember(int database, PersonPool pool) {
    pools.setRelease(database, pool);
  }

  /** A database verified the password with a real login (ROLE_SWITCHING keeps no pool). */
  void verified(int database) {
    verified.set(database, 1);
  }

  boolean isVerified(int database) {
    return verified.get(database) != 0;
  }

  /** A database proved the password but refused CONNECT: do not ask it again for a while. */
  void denied(int database) {
    deniedUntil.set(database, ticker.read() + DENIAL_MEMORY_NANOS);
  }

  boolean isDenied(int database) {
    long until = deniedUntil.get(database);
    return until != 0 && until - ticker.read() > 0;
  }

  void logOut() {
    loggedOut = true;
    for (int i = 0; i < pools.length(); i++) {
      pools.set(i, null);
    }
    Arrays.fill(password, '\0');
  }

  @Override
  public String toString() {
    return "Login[role="
        + Names.forMessage(role)
        + (identity == null ? "" : ", by token of " + LogText.escape(identity.issuer(), 200))
        + (loggedOut ? ", logged out" : "")
        + "]";
  }
}
