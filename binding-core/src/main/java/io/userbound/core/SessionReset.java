package io.userbound.core;

/**
 * What Userbound does to a connection's session state when a request hands it back, so
 * that the next request of the same person does not see the last one's leftovers.
 *
 * <p>Whatever the choice, a transaction left open is rolled back, every round trip of
 * the hand-back runs under {@link DatabaseConfig#handBackTimeout()}, and a connection
 * whose reset fails or runs late is closed instead of reused.
 */
public enum SessionReset {

  /**
   * Reset only what the request may have changed; the default.
   *
   * <p>A request that changed nothing is handed back with no round trip at all. One that
   * changed session state costs one round trip that resets exactly the session
   * ({@code CLOSE ALL; SET SESSION AUTHORIZATION DEFAULT; RESET ALL; UNLISTEN *;
   * pg_advisory_unlock_all(); DISCARD PLANS; DISCARD TEMP; DISCARD SEQUENCES}: settings,
   * role, temporary tables, advisory locks, LISTEN, cursors {@code WITH HOLD} and
   * sequence state) and keeps pgjdbc's server-side prepared statements.
   *
   * <p>Detected, without a round trip: an open transaction (pgjdbc's transaction state);
   * a change of a parameter that PostgreSQL reports to the client
   * ({@code application_name}, {@code TimeZone}, {@code DateStyle},
   * {@code session_authorization}, ...); and the SQL text that passes through
   * Userbound's statements. A statement counts as a change
   * unless it starts with a command that cannot change session state by itself
   * ({@code SELECT}, {@code WITH}, {@code VALUES}, {@code TABLE}, {@code INSERT},
   * {@code UPDATE}, {@code DELETE}, {@code MERGE}, {@code SHOW}, {@code EXPLAIN},
   * {@code COPY}, transaction control, {@code SET LOCAL}, {@code SET TRANSACTION},
   * {@code LOCK}, {@code FETCH}, {@code CLOSE}, {@code NOTIFY}, DDL), names no
   * temporary object, and calls only built-in functions known to leave the session
   * alone: {@code set_config}, session advisory locks, {@code nextval}, {@code dblink}
   * and any function of the application count as changes. {@code setSchema} and
   * {@code setClientInfo} count as changes; SQL-level {@code PREPARE} leads to a full
   * {@code DISCARD ALL}; driver-side state that no SQL resets ({@code setTypeMap},
   * {@code setHoldability}, pgjdbc setters on an unwrapped {@code PGConnection}) closes
   * the physical connection instead.
   *
   * <p>Not visible in SQL text: session state changed by server-side code a statement
   * sets off (a trigger, rule or column default calling {@code set_config}, creating a
   * temporary table or taking a session advisory lock). If the database does that, use
   * {@link #DISCARD_ALL}.
   */
  TRACKED,

  /**
   * Roll back an open transaction and run {@code DISCARD ALL} on every hand-back: resets
   * settings, role, temporary tables, advisory locks, LISTEN, and deallocates prepared
   * statements (so pgjdbc prepares its statements again on the next request). Costs one
   * round trip per request.
   */
  DISCARD_ALL,

  /**
   * Roll back an open transaction and leave the rest of the session as the request left
   * it (HikariCP still resets auto-commit, isolation and read-only). Choose this only if
   * no code path changes session state.
   */
  NONE
}
