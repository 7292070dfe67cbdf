package io.userbound.core;

/**
 * How the requests of many people share one database's connections. Chosen per database
 * with {@link DatabaseConfig.Builder#roleSwitching(String, char[])}; both verify every
 * person's password with a real login to PostgreSQL first.
 */
public enum IsolationStrategy {

  /**
   * The default: each person's requests run on physical connections opened with that
   * person's own login, in a small pool of their own. Nothing a request runs can make it
   * someone else. A person whose connections were closed (idle, or reclaimed under the
   * budget) pays a new login at their next request.
   */
  DEDICATED_POOLS,

  /**
   * One pool per database logs in as a gateway role that is a member of every person's
   * role; each request runs under {@code SET ROLE <person>} on a gateway connection,
   * preferring one already set to that person (then at no extra round trip). Scales to
   * thousands of people on a small, fixed number of connections, but any SQL that runs on
   * such a connection could {@code RESET ROLE} to the gateway or {@code SET ROLE} to another
   * person the gateway is a member of: only for applications that never run SQL their users
   * wrote. Userbound refuses a privileged gateway at start-up and role-changing statements
   * in requests; the README's security model has the whole threat model.
   */
  ROLE_SWITCHING
}
