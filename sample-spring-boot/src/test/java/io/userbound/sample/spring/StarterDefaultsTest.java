package io.userbound.sample.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.userbound.core.Userbound;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Configuration;

/**
 * What the starter alone exposes: an application with no security configuration of its own
 * (none of the sample's classes), the actuator on the class path and every actuator endpoint
 * exposed over HTTP ({@code management.endpoints.web.exposure.include=*}, as a careless
 * application might), against the sample's two real PostgreSQL servers. The starter's chain
 * applies: everything needs a login through the form, HTTP Basic is off, and the heap dump
 * (which would hold every logged-in person's password) is off.
 */
@SpringBootTest(
    classes = StarterDefaultsTest.App.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "userbound.login-throttling.failures-per-client=1000",
      "userbound.jmx=false",
      // The sample's Spring Data repositories are not part of these applications.
      "spring.data.jpa.repositories.enabled=false",
      "management.endpoints.web.exposure.include=*"
    })
class StarterDefaultsTest {

  /** An application with the starter and nothing of its own. */
  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {}

  @Value("${local.server.port}")
  int port;

  @Autowired Userbound userbound;

  @BeforeEach
  void checkForLeaks() {
    Leaks.checkAfterTheTest(userbound);
  }

  @Test
  void httpBasic_isOff_evenWithTheRightPassword_andPostgresqlNeverHearsOfIt() {
    long accepted = userbound.stats("finance").loginsAccepted();
    long refused = userbound.stats("finance").loginsRefused();
    for (String path : List.of("/", "/actuator/health", "/actuator/env")) {
      Client c = new Client(port);
      HttpResponse<String> r = c.get(path, Client.basic("alice", "alice-pw"));
      assertThat(r.statusCode()).as(path).isIn(302, 401, 403);
      assertThat(r.headers().firstValue("WWW-Authenticate")).as(path).isEmpty();
      // A session may hold the saved request, never a login.
      assertThat(c.get("/actuator/health").statusCode()).as(path).isIn(302, 401, 403);
    }
    assertThat(userbound.stats("finance").loginsAccepted()).isEqualTo(accepted);
    assertThat(userbound.stats("finance").loginsRefused()).isEqualTo(refused);
  }

  @Test
  void actuator_nothingWithoutALogin_noHeapdumpWithOne_andNoValuesInEnv() {
    Client anonymous = new Client(port);
    for (String path :
        List.of(
            "/actuator",
            "/actuator/health",
            "/actuator/env",
            "/actuator/heapdump",
            "/actuator/beans",
            "/actuator/configprops",
            "/actuator/loggers",
            "/actuator/threaddump")) {
      HttpResponse<String> r = anonymous.get(path, Map.of("Accept", "text/html"));
      assertThat(r.statusCode()).as(path).isEqualTo(302);
      assertThat(r.headers().firstValue("Location").orElseThrow()).as(path).endsWith("/login");
      HttpResponse<String> script = anonymous.get(path);
      assertThat(script.statusCode()).as(path).isIn(302, 401, 403);
      assertThat(script.body()).as(path).doesNotContain("userbound");
    }
    // Writes need a login, and the CSRF token, too.
    HttpResponse<String> write =
        anonymous.postJson("/actuator/loggers/io.userbound", "{\"configuredLevel\":\"TRACE\"}");
    assertThat(write.statusCode()).isIn(302, 401, 403);

    Client alice = new Client(port);
    HttpResponse<String> login = formLogin(alice, "alice", "alice-pw");
    assertThat(login.headers().firstValue("Location").orElseThrow()).doesNotContain("error");
    assertThat(alice.get("/actuator/heapdump").statusCode()).isEqualTo(404);
    HttpResponse<String> env = alice.get("/actuator/env/userbound.databases.finance.url");
    assertThat(env.statusCode()).isEqualTo(200);
    assertThat(env.body()).contains("******").doesNotContain("jdbc:postgresql");
    HttpResponse<String> health = alice.get("/actuator/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(Client.json(health).propertyNames()).doesNotContain("components", "details");
  }

  @Test
  void formLogin_needsTheCsrfToken_andRotatesTheSessionId() {
    Client c = new Client(port);
    c.loginFormToken();
    String before = c.cookie("JSESSIONID");
    HttpResponse<String> noToken =
        c.postForm("/login", Map.of("username", "alice", "password", "alice-pw"));
    assertThat(noToken.statusCode()).isIn(302, 403);
    assertThat(noToken.headers().firstValue("Location").orElse("/login")).endsWith("/login");
    assertThat(c.get("/actuator/health").statusCode()).isIn(302, 401, 403);
    HttpResponse<String> login = formLogin(c, "alice", "alice-pw");
    assertThat(login.statusCode()).isEqualTo(302);
    assertThat(c.cookie("JSESSIONID")).isNotNull().isNotEqualTo(before);
    assertThat(c.get("/actuator/health").statusCode()).isEqualTo(200);
  }

  private static HttpResponse<String> formLogin(Client c, String role, String password) {
    String token = c.loginFormToken();
    return c.postForm("/login", Map.of("username", role, "password", password, "_csrf", token));
  }
}
