package io.userbound.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The server a pass runs on is the PostgreSQL major its switch asked for ({@code
 * userbound.pg.version}, see binding-core's pom: the whole suite on the system's 15, the
 * isolation, login and role-switching classes on 18, a smoke on 16 and 17).
 */
@ExtendWith(PostgresExtension.class)
class ServerVersionTest {

  @Test
  @Tag("pg-smoke")
  void theServer_isTheMajorThePassAskedFor(PostgresServer server) {
    String asked = System.getProperty("userbound.pg.version");
    if (asked == null || asked.isBlank()) {
      asked = System.getenv("USERBOUND_PG_VERSION");
    }
    if (asked == null || asked.isBlank()) {
      assertThat(server.majorVersion()).isGreaterThanOrEqualTo(15); // whatever the system has
    } else {
      assertThat(server.majorVersion()).isEqualTo(Integer.parseInt(asked.trim()));
    }
  }
}
