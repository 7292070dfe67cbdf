package io.userbound.core.internal;

import io.userbound.core.DatabaseConfig;
import io.userbound.core.IsolationStrategy;
import io.userbound.core.SessionReset;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;

/*
 * What happens to a session when a request hands its connection back, for one database.
 *
 * TRACKED (the default) resets only what the request may have changed, as told by the
 * connection's flags (see PooledConnection) and by two checks that cost no round trip:
 * pgjdbc's transaction state and the server's reported parameters (ParameterStatus).
 *   - nothing changed, no transaction open: zero round trips;
 *   - a transaction left open, nothing else: ROLLBACK;
 *   - session state changed: one round trip of ROLLBACK (if open) and RESET_SQL, which
 *     is DISCARD ALL without DEALLOCATE ALL, so pgjdbc's server-side prepared statements
 *     survive;
 *   - SQL-level PREPARE seen: ROLLBACK (if open), then DISCARD ALL;
 *   - driver-side state changed (TAINTED) or the connection broken: not reused.
 * DISCARD_ALL rolls back and runs DISCARD ALL every time; NONE only rolls back a
 * transaction left open (HikariCP resets auto-commit, isolation and read-only).
 *
 * Every round trip here runs under a deadline: the socket timeout is set through
 * HikariCP's proxy, so that HikariCP's own resets at its close (isolation, read-only) are
 * covered too and HikariCP puts the pool's timeout back afterwards. A server that stops
 * answering makes the reset fail within the deadline; the caller then evicts the
 * connection, ends the lease and the budget permit comes back.
 *
 * Under ROLE_SWITCHING no reset runs at hand-back: a transaction left open is rolled back
 * (the role it carried ends with it), and a borrow that may have left session state (the
 * same two checks, and the classifier) marks its gateway connection dirty; the next
 * borrow's first statement carries the reset, in the same round trip (InBand). So a
 * request never pays a round trip for the reset.
 *
 * The reset runs on the request thread, before HikariCP sees the connection again: an
 * asynchronous reset was measured slower on these machines (see the 0.1 notes), and a
 * connection must never be lent with the last request's state on it.
 */
final class HandBack {

  static final String RESET_SQL =
      "CLOSE ALL; SET SESSION AUTHORIZATION DEFAULT; RESET ALL; UNLISTEN *; SELECT"
          + " pg_catalog.pg_advisory_unlock_all(); DISCARD PLANS; DISCARD TEMP; DISCARD SEQUENCES";

  private static final Executor DIRECT = Runnable::run;

  final SessionReset mode;
  final boolean tracksSql;

  /** ROLE_SWITCHING: statements SqlClassifier flags ROLE are refused (PooledConnection). */
  final boolean refusesRoleChanges;

  /** Whether statement text is classified at all (TRACKED, or ROLE_SWITCHING). */
  final boolean classifies;

  private final int deadlineMillis;

  /** Where timings go, and the database's name for them. */
  final Signals signals;

  final String database;
  final LongAdder performed = new LongAdder();
  final LongAdder skipped = new LongAdder();

  HandBack(DatabaseConfig config) {
    this(config, Signals.none());
  }

  HandBack(DatabaseConfig config, Signals signals) {
    this.signals = signals;
    this.database = config.name();
    this.mode = config.sessionReset();
    this.tracksSql = mode == SessionReset.TRACKED;
    this.refusesRoleChanges = config.strategy() == IsolationStrategy.ROLE_SWITCHING;
    this.classifies = tracksSql || refusesRoleChanges;
    this.deadlineMillis = (int) Math.min(Integer.MAX_VALUE, config.handBackTimeout().toMillis());
  }

  /**
   * Resets the session of a connection being handed back.
   *
   * @param hikari HikariCP's proxy, not closed yet
   * @param known the physical connection, if the borrow looked it up already
   * @param flags what the request did (PooledConnection flags)
   * @return false if the connection must not be reused
   */
  boolean run(Connection hikari, PhysicalConnection known, int flags) throws SQLException {
    if (refusesRoleChanges) {
      return switching(hikari, known, flags);
    }
    if (flags == 0 && mode != SessionReset.DISCARD_ALL) {
      skipped.increment();
      return true; // the request did nothing on it: nothing to reset, nothing to check
    }
    int outcome = reset(hikari, known, flags);
    if (outcome == DO_NOT_REUSE) {
      return false;
    }
    (outcome == RESET ? performed : skipped).increment();
    return true;
  }

  /* ROLE_SWITCHING: see the class comment. */
  private boolean switching(Connection hikari, PhysicalConnection known, int flags)
      throws SQLException {
    if (flags == 0) {
      skipped.increment();
      return true;
    }
    PhysicalConnection p = known != null ? known : hikari.unwrap(PhysicalConnection.class);
    if ((flags & PooledConnection.TAINTED) != 0 || p.isBroken()) {
      return false;
    }
    if (p.transactionOpen()) {
      armNow(hikari);
      p.execute("ROLLBACK");
      performed.increment();
    } else {
      skipped.increment();
    }
    if ((flags & (PooledConnection.SESSION | PooledConnection.PREPARED)) != 0
        || mode == SessionReset.DISCARD_ALL
        || p.parametersChanged()) {
      hikari.unwrap(GatewayConnection.class).dirty();
    }
    return true;
  }

  private static final int DO_NOT_REUSE = -1;
  private static final int NOTHING_SENT = 0;
  private static final int RESET = 1;

  /** The reset proper: RESET if it sent statements, NOTHING_SENT, or DO_NOT_REUSE. */
  private int reset(Connection hikari, PhysicalConnection known, int flags) throws SQLException {
    PhysicalConnection p = known != null ? known : hikari.unwrap(PhysicalConnection.class);
    if ((flags & PooledConnection.TAINTED) != 0 || p.isBroken()) {
      return DO_NOT_REUSE;
    }
    boolean open = p.transactionOpen();
    if (mode == SessionReset.NONE) {
      arm(hikari, flags);
      if (open) {
        armNow(hikari);
        p.execute("ROLLBACK");
        return RESET;
      }
      return NOTHING_SENT;
    }
    if (mode == SessionReset.DISCARD_ALL || (flags & PooledConnection.PREPARED) != 0) {
      armNow(hikari);
      if (open) {
        p.execute("ROLLBACK");
      }
      autoCommit(hikari);
      p.execute("DISCARD ALL");
      p.afterReset();
      return RESET;
    }
    boolean session =
        (flags & PooledConnection.SESSION) != 0
            || ((flags & PooledConnection.USED) != 0 && p.parametersChanged());
    if (!open && !session) {
      arm(hikari, flags);
      return NOTHING_SENT;
    }
    armNow(hikari);
    if (!open) {
      autoCommit(
          hikari); // or pgjdbc would send BEGIN ahead of the reset, and HikariCP roll it back
    }
    p.execute(!session ? "ROLLBACK" : open ? "ROLLBACK; " + RESET_SQL : RESET_SQL);
    if (session) {
      p.afterReset();
    }
    return RESET;
  }

  /** The deadline, where HikariCP's own close will make a round trip. */
  private void arm(Connection hikari, int flags) throws SQLException {
    if ((flags & PooledConnection.HIKARI_RESET) != 0) {
      armNow(hikari);
    }
  }

  private void armNow(Connection hikari) throws SQLException {
    hikari.setNetworkTimeout(DIRECT, deadlineMillis);
  }

  /** Idle and in auto-commit, so that what runs next runs outside a transaction. */
  private static void autoCommit(Connection hikari) throws SQLException {
    if (!hikari.getAutoCommit()) {
      hikari.setAutoCommit(true); // idle: pgjdbc makes no round trip for this
    }
  }
}
