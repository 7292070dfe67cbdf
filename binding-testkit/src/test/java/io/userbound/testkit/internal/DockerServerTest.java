package io.userbound.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.userbound.testkit.Jdbc;
import io.userbound.testkit.PostgresOptions;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.Source;
import java.sql.SQLException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class DockerServerTest {

  @Test
  void docker_wrongPasswordRefusedWith28P01() {
    Assumptions.assumeTrue(PostgresServers.dockerAvailable(), "no Docker engine");

    try (PostgresServer server =
        PostgresServer.start(
            PostgresOptions.builder()
                .name("docker")
                .source(Source.DOCKER)
                .maxConnections(30)
                .build())) {
      assertThat(server.supportsLifecycle()).isFalse();
      assertThatThrownBy(server::restart).isInstanceOf(UnsupportedOperationException.class);
      assertThat(Jdbc.adminQuery(server, "postgres", "SHOW max_connections")).isEqualTo("30");
      assertThatThrownBy(
              () ->
                  Jdbc.connect(
                          server.jdbcUrl("postgres"), server.adminUser(), "wrong".toCharArray())
                      .close())
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
    }
  }
}
