package io.userbound.core;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Something an operator or a security team wants to know about: a login decided, a pool
 * opened or gone, a connection reclaimed, a budget that ran out. Delivered to every
 * {@link UserboundListener}; never carries a password.
 *
 * @param type what happened
 * @param database the database it happened on; for {@link Type#LOGIN_THROTTLED} the first
 *     login database (a throttled login asks no database)
 * @param role the role concerned, exactly as given: for refused and throttled logins it is
 *     what the client sent, so treat it as hostile input (escape it before writing it into
 *     HTML, a log pattern or a query; {@link LogText#escape(CharSequence, int)} for a log); empty for events about no one person
 * @param client the client key given at login (say, the remote address), or null; hostile
 *     input too
 * @param detail a short human-readable reason (the SQLSTATE of a refusal, why a pool was
 *     retired, how many connections were reclaimed), never null
 * @param epochMillis when it happened, wall-clock milliseconds since the epoch
 */
public record UserboundEvent(
    Type type,
    String database,
    String role,
    @Nullable String client,
    String detail,
    long epochMillis) {

  /**
   * Checks the components.
   *
   * @param type what happened
   * @param database the database it happened on
   * @param role the role concerned, or empty
   * @param client the client key given at login, or null
   * @param detail a short reason, never null
   * @param epochMillis when it happened
   */
  public UserboundEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(detail, "detail");
  }

  /** The kinds of event. */
  public enum Type {
    /** PostgreSQL accepted a password (and the login policy the role). */
    LOGIN_ACCEPTED,
    /** A login was refused: wrong password, unknown or NOLOGIN role, the login policy. */
    LOGIN_REFUSED,
    /** A login was refused before any database was asked: too many recent failures. */
    LOGIN_THROTTLED,
    /** A person's pool opened (DEDICATED_POOLS) on their first request or login. */
    POOL_OPENED,
    /** A pool stopped taking requests: idle, the size cap, logout, a password change. */
    POOL_RETIRED,
    /** A pool's last connection closed. */
    POOL_CLOSED,
    /** Idle connections of someone were closed to make room under the budget. */
    RECLAIM,
    /** A request waited the whole connection timeout and got no connection: the budget was spent. */
    BUDGET_EXHAUSTED,
    /**
     * ROLE_SWITCHING: a statement changed the role it ran as (or left a SQL-level prepared
     * statement); its transaction was rolled back and the connection closed.
     */
    ROLE_CHANGE_REFUSED,
    /**
     * The login recheck ({@link io.userbound.core.DatabaseConfig#loginRecheck()}) found a
     * person PostgreSQL would now refuse (VALID UNTIL passed, NOLOGIN, CONNECT revoked, the
     * role dropped): their connections on that database close, and their next request is
     * refused.
     */
    LOGIN_REVOKED
  }
}
