package io.userbound.core;

/**
 * Whether a database can serve requests, for readiness checks: see {@link
 * Userbound#health(String)}.
 *
 * @param database the database's name
 * @param status the verdict
 * @param reachable whether the server answered a connection attempt (a startup message
 *     that is never authenticated, as {@code pg_isready} sends: no account is needed and
 *     the server logs nothing)
 * @param budget the most physical connections allowed
 * @param budgetUsed physical connections counted against the budget now
 * @param waiting requests waiting for the budget now
 * @param detail why, in a few words (the server's refusal, a connect error), never null
 * @param probeMillis how long the reachability probe took, or -1 when a recent result was reused
 */
public record DatabaseHealth(
    String database,
    Status status,
    boolean reachable,
    int budget,
    int budgetUsed,
    int waiting,
    String detail,
    long probeMillis) {

  /** {@return the share of the budget in use, from 0 to 1} */
  public double saturation() {
    return budget == 0 ? 0 : (double) budgetUsed / budget;
  }

  /** {@return whether the database can take requests ({@link Status#DOWN} cannot)} */
  public boolean ready() {
    return status != Status.DOWN;
  }

  /** The verdicts. */
  public enum Status {
    /** The server answers and the budget has room. */
    UP,
    /**
     * The server answers but requests wait: the budget is spent, or the server has no free
     * connection slots. Still ready: requests are served, later.
     */
    SATURATED,
    /** The server does not answer, or answers that it is starting or shutting down. */
    DOWN
  }
}
