package io.userbound.core;

/**
 * A point-in-time snapshot of one database's pools and budget. The figures are read one
 * after another without a lock, so under load they may not add up exactly.
 *
 * @param database the database's logical name
 * @param pools per-person pools currently open (including ones draining after retirement);
 *     under {@link IsolationStrategy#ROLE_SWITCHING} 1 while the gateway pool holds
 *     connections
 * @param activeConnections physical connections lent to requests now
 * @param idleConnections physical connections open and waiting in a pool
 * @param budget the most physical connections allowed
 * @param budgetUsed physical connections counted against the budget now
 * @param waiting callers waiting for the budget now
 * @param loginsAccepted logins PostgreSQL accepted on this database since start
 * @param loginsRefused logins refused on this database since start (wrong password, login
 *     policy, identity)
 * @param loginsThrottled logins refused before any database was asked (too many failures,
 *     too many in flight), counted on the first login database
 * @param poolsEvicted pools closed for idleness, the size cap, logout or a password change
 * @param connectionsReclaimed idle connections of other people closed to make room under the budget
 * @param connectionsOpened physical connections opened under the budget since start (each
 *     one a real login to the server; a request served by a connection already open opens
 *     none, so {@code 1 - opened / requests} is the share served warm)
 * @param roleSwitches under {@link IsolationStrategy#ROLE_SWITCHING}, borrows whose backend
 *     last served somebody else (or may hold state its last borrow left), so that their first
 *     statement also carried the session reset, in the same round trip; 0 otherwise
 * @param resetsPerformed hand-backs that reset session state the request changed (one round
 *     trip each)
 * @param resetsSkipped hand-backs with nothing to reset (no round trip)
 * @param budgetWaits requests that found the budget spent and had to wait (or reclaim)
 * @param budgetExhausted requests that waited the whole connection timeout and got no
 *     connection
 */
public record DatabaseStats(
    String database,
    int pools,
    int activeConnections,
    int idleConnections,
    int budget,
    int budgetUsed,
    int waiting,
    long loginsAccepted,
    long loginsRefused,
    long loginsThrottled,
    long poolsEvicted,
    long connectionsReclaimed,
    long connectionsOpened,
    long roleSwitches,
    long resetsPerformed,
    long resetsSkipped,
    long budgetWaits,
    long budgetExhausted) {}
