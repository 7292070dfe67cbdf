package io.userbound.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.userbound.core.DatabaseConfig;
import io.userbound.core.Userbound;
import io.userbound.core.UserboundConfig;
import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class HealthServletTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static HttpResponse<String> get(TestServer web, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(web.uri(path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void allUp_is200_oneDown_is503_withPerDatabaseDetail(PostgresServer server) throws Exception {
    Userbound up =
        Fixtures.userbound(
            UserboundConfig.builder()
                .database(DatabaseConfig.builder("finance", server.jdbcUrl("postgres")).build())
                .build());
    Userbound half =
        Fixtures.userbound(
            UserboundConfig.builder()
                .database(DatabaseConfig.builder("finance", server.jdbcUrl("postgres")).build())
                .database(
                    DatabaseConfig.builder("staff", "jdbc:postgresql://127.0.0.1:1/staff")
                        .connectionTimeout(Duration.ofMillis(500))
                        .build())
                .build());
    try (TestServer web =
        TestServer.start(
            "health",
            c -> {
              c.addServlet(new ServletHolder(new HealthServlet(up)), "/health");
              c.addServlet(new ServletHolder(new HealthServlet(half)), "/half");
              c.addServlet(new ServletHolder(new HealthServlet(half, true)), "/half-detail");
            })) {
      HttpResponse<String> ok = get(web, "/health");
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
      assertThat(ok.body())
          .startsWith("{\"status\":\"up\",\"databases\":{\"finance\":{\"status\":\"up\"")
          .contains("\"reachable\":true")
          .doesNotContain("detail");

      HttpResponse<String> down = get(web, "/half");
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.body())
          .startsWith("{\"status\":\"down\"")
          .contains("\"staff\":{\"status\":\"down\",\"reachable\":false")
          .doesNotContain("127.0.0.1");
      assertThat(get(web, "/half-detail").body()).contains("\"detail\":").contains("127.0.0.1:1");
    }
  }
}
