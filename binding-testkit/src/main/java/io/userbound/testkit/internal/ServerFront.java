package io.userbound.testkit.internal;

import io.userbound.testkit.PostgresServer;

/**
 * Something the test kit puts in front of every server it starts, when the environment asks
 * for it: the suites' PgBouncer ({@code USERBOUND_TEST_PGBOUNCER}, {@link PgBouncers}). {@link
 * PostgresServers} finds the fronts with {@link java.util.ServiceLoader} ({@code
 * META-INF/services}), so the server side never names what stands in front of it and the
 * dependencies run one way: the PgBouncer side knows servers, servers do not know PgBouncer.
 * Not API.
 *
 * <p>Implementations are thread-safe and have a public no-argument constructor.
 */
public interface ServerFront {

  /**
   * Returns the server as tests are to see it: the same server, or one seen through this
   * front, which closes both.
   *
   * @param server a running server, just started; owned by the front from now on
   * @return the server to hand out
   * @throws RuntimeException if the front fails; the server is closed first
   */
  PostgresServer front(PostgresServer server);
}
