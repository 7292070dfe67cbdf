package io.userbound.core;

/**
 * One database of one Userbound instance over JMX, registered as {@code
 * io.userbound:type=Database,application=<applicationName>,name=<database>} (with {@code
 * ,instance=<n>} added when two instances of one application share a JVM) unless {@link
 * UserboundConfig.Builder#jmx(boolean)} turns it off. The figures are those of {@link
 * DatabaseStats}; the operations are what an operator needs in an incident.
 */
public interface DatabaseMXBean {

  /** {@return the database's logical name} */
  String getDatabase();

  /** {@return the most physical connections allowed} */
  int getBudget();

  /** {@return physical connections counted against the budget now} */
  int getBudgetUsed();

  /** {@return physical connections lent to requests now} */
  int getActiveConnections();

  /** {@return physical connections open and idle} */
  int getIdleConnections();

  /** {@return requests waiting for the budget now} */
  int getWaiting();

  /** {@return per-person pools open now} */
  int getPools();

  /** {@return logins accepted since start} */
  long getLoginsAccepted();

  /** {@return logins refused since start} */
  long getLoginsRefused();

  /** {@return logins throttled since start (counted on the first login database)} */
  long getLoginsThrottled();

  /** {@return pools closed for idleness, the size cap, logout or a password change} */
  long getPoolsEvicted();

  /** {@return idle connections closed to make room under the budget} */
  long getConnectionsReclaimed();

  /** {@return physical connections opened since start} */
  long getConnectionsOpened();

  /** {@return hand-backs that reset session state} */
  long getResetsPerformed();

  /** {@return hand-backs that had nothing to reset} */
  long getResetsSkipped();

  /** {@return requests that had to wait for the budget} */
  long getBudgetWaits();

  /** {@return requests that waited the whole connection timeout in vain} */
  long getBudgetExhausted();

  /** {@return the health verdict now: UP, SATURATED or DOWN (probes the server)} */
  String getHealth();

  /**
   * Logs out every login of this role made by this Userbound instance, on every database
   * (not only this one): its pools close, and requests with those logins are refused
   * until the person logs in again.
   *
   * @param role the role name, exactly as PostgreSQL knows it
   * @return how many databases had connections of the role open
   */
  int logoutRole(String role);

  /**
   * Closes every idle connection of this database now (pools with no request in flight
   * close whole; under ROLE_SWITCHING the idle gateway connections), to give connections
   * back to the server.
   *
   * @return how many connections are closing
   */
  int closeIdlePools();
}
