package io.userbound.core.internal;

import java.sql.Connection;
import java.sql.SQLException;

/*
 * What a lent connection needs of the pool that lent it: the narrow way up from the
 * connection layer. Implemented by PersonPool (DEDICATED_POOLS) and GatewayPool.Person
 * (ROLE_SWITCHING).
 */
interface Lender {

  /** The hand-back rules of the pool's database. */
  HandBack handBack();

  /** Whether Userbound was closed (every lent connection is dead). */
  boolean isShutDown();

  /** The connection is being used: record the pool's access now and then. */
  void touch();

  /** Closes a HikariCP connection instead of reusing it. */
  void evict(Connection hikariConnection);

  /** Another connection, for a lease already held (the first one was found dead). */
  Connection another() throws SQLException;

  /** How many connections the pool may hold: how often another one is worth asking for. */
  int maxConnections();

  /** Ends the lease the connection held; once. */
  void endLease();
}
