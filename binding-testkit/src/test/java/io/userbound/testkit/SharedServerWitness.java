package io.userbound.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;

/** Remembers the first shared server seen by any test class, for the other classes to compare. */
final class SharedServerWitness {
  private static final AtomicReference<PostgresServer> FIRST = new AtomicReference<>();

  private SharedServerWitness() {}

  static void check(PostgresServer server) {
    assertThat(server).isSameAs(PostgresExtension.sharedServer());
    FIRST.compareAndSet(null, server);
    assertThat(server).isSameAs(FIRST.get());
  }
}
