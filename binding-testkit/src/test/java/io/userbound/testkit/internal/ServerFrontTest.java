package io.userbound.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The server side and the PgBouncer side depend one way: the suites' PgBouncer is found through
 * {@link ServerFront}, and no server-side class names a PgBouncer class.
 */
class ServerFrontTest {

  /* Server side: the API's server types and the classes that start servers. */
  private static final String SERVER_SIDE =
      "(\\w*PostgresServer\\w*|PostgresOptions|Source|Backend|ServerFront|PgBinaries|PgVersion)"
          + "(\\$.*)?\\.class";

  @Test
  void pgBouncerFront_isFoundByServiceLoader() {
    assertThat(PostgresServers.fronts()).singleElement().isInstanceOf(PgBouncers.class);
  }

  @Test
  void serverSide_namesNoPgBouncerClass() throws IOException {
    List<Path> serverSide;
    try (Stream<Path> files = Files.walk(Path.of("target/classes/io/userbound/testkit"))) {
      serverSide =
          files.filter(f -> f.getFileName().toString().matches(SERVER_SIDE)).sorted().toList();
    }
    assertThat(serverSide)
        .extracting(f -> f.getFileName().toString())
        .contains("PostgresServer.class", "PostgresServers.class", "LocalPostgresServer.class");
    for (Path file : serverSide) {
      // A class it names appears in its constant pool as io/userbound/testkit/...PgBouncer...
      String constants = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
      assertThat(constants).as(file.toString()).doesNotContainPattern("/\\w*PgBouncer");
    }
  }
}
