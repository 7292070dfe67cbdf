package io.userbound.core.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/*
 * What one person's HikariCP pool uses to open physical connections: under the
 * database's budget, with this person's credentials. HikariCP never sees the password.
 *
 * The first connection of a pool is usually opened by the caller itself (so that a
 * refusal is reported at once and typed) and left here as the hand-off; HikariCP's first
 * request for a connection takes it.
 *
 * A failure to open is remembered for a moment, so that the pool can fail the next
 * borrower fast instead of letting it wait the full connection timeout while the server
 * is down (HikariCP keeps retrying in the background with a back-off of up to 5 s).
 */
final class BudgetedDataSource extends BaseDataSource {

  private final Opener opener;
  private final String role;
  private final char[] password;
  private final BooleanSupplier hasConnections;
  private final int loginTimeoutSeconds;
  private final AtomicReference<Connection> handoff = new AtomicReference<>();
  private volatile SQLException lastFailure;
  private volatile long lastFailureNanos;

  BudgetedDataSource(
      Opener opener,
      String role,
      char[] password,
      Connection first,
      BooleanSupplier hasConnections,
      Duration connectionTimeout) {
    this.opener = opener;
    this.role = role;
    this.password = password;
    this.hasConnections = hasConnections;
    this.loginTimeoutSeconds = (int) Math.max(1, (connectionTimeout.toMillis() + 999) / 1000);
    this.handoff.set(first);
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection first = handoff.getAndSet(null);
    if (first != null) {
      // HikariCP probes its first connection for driver defaults; never give it a dead one.
      if (first.isValid(2)) {
        return first;
      }
      first.close();
    }
    try {
      Connection c = opener.open(role, password, hasConnections.getAsBoolean());
      lastFailure = null;
      return c;
    } catch (Budget.BudgetSQLException e) {
      throw e; // not a failure of the database: do not fail the next borrowers fast
    } catch (SQLException e) {
      lastFailureNanos = System.nanoTime();
      lastFailure = e;
      throw e;
    }
  }

  /** The failure of the last attempt to open, if it was less than {@code withinNanos} ago. */
  SQLException recentFailure(long withinNanos) {
    SQLException e = lastFailure;
    return e != null && System.nanoTime() - lastFailureNanos < withinNanos ? e : null;
  }

  /** Closes the hand-off if nobody took it yet; true if it did. */
  boolean dropHandoff() {
    Connection first = handoff.getAndSet(null);
    if (first == null) {
      return false;
    }
    try {
      first.close();
    } catch (SQLException ignored) {
      // Its budget permit is released either way.
    }
    return true;
  }

  boolean hasHandoff() {
    return handoff.get() != null;
  }

  /** Closes an unused hand-off and wipes the password; called once the pool is closed. */
  void close() {
    dropHandoff();
    Arrays.fill(password, '\0');
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("credentials come from the person's login");
  }

  /** HikariCP waits this long for its connection adder to stop when the pool closes. */
  @Override
  public int getLoginTimeout() {
    return loginTimeoutSeconds;
  }

  @Override
  public String toString() {
    return "BudgetedDataSource[role=" + Names.forMessage(role) + "]";
  }
}
