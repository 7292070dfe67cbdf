package io.userbound.core;

/**
 * What Userbound does to a connection's session state when a request hands it back, so
 * that the next request of the same person does not see the last one's leftovers.
 */
public enum SessionReset {

  /**
   * Roll back an open transaction and run {@code DISCARD ALL}: resets settings changed
   * with {@code SET}, {@code SET ROLE} and {@code SET SESSION AUTHORIZATION}, drops
   * temporary tables, releases advisory locks, unlistens, deallocates prepared
   * statements. Costs one round trip per hand-back. The default.
   */
  DISCARD_ALL,

  /**
   * Leave the session as the request left it (HikariCP still resets auto-commit,
   * isolation, read-only and schema). Choose this only if no code path changes session
   * state; it saves one round trip per request.
   */
  NONE
}
