package io.userbound.testkit.internal;

import io.userbound.testkit.PgBouncer;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.PostgresUnavailableException;
import java.util.Locale;
import java.util.Optional;

/**
 * The suites' PgBouncer: reads {@code USERBOUND_TEST_PGBOUNCER} and, when it names a pool
 * mode, puts a PgBouncer in front of every server the test kit starts (the {@link ServerFront}
 * registered in {@code META-INF/services}). Behind {@link PgBouncer#suiteMode()} and {@link
 * PgBouncer#in(PostgresServer)}. Not API.
 *
 * <p>Thread-safe.
 */
public final class PgBouncers implements ServerFront {

  /** Created by {@link java.util.ServiceLoader}. */
  public PgBouncers() {}

  /**
   * The pool mode of the PgBouncer every server is seen through, from {@code
   * USERBOUND_TEST_PGBOUNCER} ({@code session} or {@code transaction}); empty when unset or
   * {@code none}.
   *
   * @return the mode, if suites run through PgBouncer
   * @throws PostgresUnavailableException if the setting has another value
   */
  public static Optional<PgBouncer.PoolMode> suiteMode() {
    Optional<String> value = Env.get(Env.PGBOUNCER);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    return switch (value.get().toLowerCase(Locale.ROOT)) {
      case "none", "off" -> Optional.empty();
      case "session" -> Optional.of(PgBouncer.PoolMode.SESSION);
      case "transaction" -> Optional.of(PgBouncer.PoolMode.TRANSACTION);
      default ->
          throw new PostgresUnavailableException(
              Env.describe(Env.PGBOUNCER)
                  + " must be session, transaction or none, but was '"
                  + value.get()
                  + "'");
    };
  }

  /**
   * The PgBouncer a server is seen through, when it came from the test kit with {@code
   * USERBOUND_TEST_PGBOUNCER} set.
   *
   * @param server a server from the test kit
   * @return its PgBouncer, or empty for a direct server
   */
  public static Optional<PgBouncer> bouncerOf(PostgresServer server) {
    return server instanceof ThroughPgBouncer t ? Optional.of(t.bouncer()) : Optional.empty();
  }

  /**
   * Puts a PgBouncer of the suite's mode in front of the server, or returns it as it is.
   *
   * @param server a running server, just started
   * @return the server seen through PgBouncer, or the server itself
   * @throws PostgresUnavailableException if the setting is wrong or PgBouncer does not start;
   *     the server is closed first
   */
  @Override
  public PostgresServer front(PostgresServer server) {
    Optional<PgBouncer.PoolMode> mode;
    try {
      mode = suiteMode();
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return mode.isPresent() ? ThroughPgBouncer.wrap(server, mode.get()) : server;
  }
}
