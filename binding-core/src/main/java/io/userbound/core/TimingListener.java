package io.userbound.core;

/**
 * Receives the durations a metrics library turns into timers (binding-micrometer does).
 * Install one with {@link Userbound#addTimingListener(TimingListener)}.
 *
 * <p>Called on the request thread (and HikariCP's adder threads for {@link #opened}), on
 * many threads at once, for every borrow: implementations must be thread-safe, must not
 * block, and should cost nanoseconds (a Micrometer timer's {@code record} does).
 */
public interface TimingListener {

  /**
   * A request got a connection.
   *
   * @param database the database's name
   * @param nanos how long it took, from asking to having the connection: warm, the
   *     borrow alone; otherwise including the login, the budget wait and the reclaim
   */
  void borrowed(String database, long nanos);

  /**
   * A physical connection opened (TCP, TLS, SCRAM, the identity check).
   *
   * @param database the database's name
   * @param nanos how long the open took
   */
  void opened(String database, long nanos);

  /**
   * A request handed a connection back.
   *
   * @param database the database's name
   * @param nanos how long the request held it, including the hand-back's reset
   */
  void used(String database, long nanos);
}
