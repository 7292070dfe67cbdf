package io.userbound.sample.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.userbound.core.Userbound;
import io.userbound.sample.DemoServers;
import io.userbound.servlet.HttpError;
import io.userbound.servlet.LoginService;
import io.userbound.testkit.TestPasswords;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Choices an application may make in its own security chains, against the sample's two real
 * PostgreSQL servers: a {@code STATELESS} chain with HTTP Basic (each request logs in; the
 * login ends with the request), and remember-me on a form login (the cookie brings back a
 * Spring Security login, never a database login: no password, no binding).
 */
@SpringBootTest(
    classes = StatelessChainTest.App.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "userbound.login-throttling.failures-per-client=1000",
      "userbound.jmx=false",
      // The sample's Spring Data repositories are not part of these applications.
      "spring.data.jpa.repositories.enabled=false"
    })
class StatelessChainTest {

  /** The starter, a stateless API chain on /stateless/**, a form chain with remember-me. */
  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(Who.class)
  static class App {

    @Bean
    @Order(1)
    SecurityFilterChain statelessApi(HttpSecurity http) {
      http.securityMatcher("/stateless/**")
          .authorizeHttpRequests(a -> a.anyRequest().authenticated())
          .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
          .httpBasic(Customizer.withDefaults())
          .csrf(c -> c.disable());
      return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain pages(HttpSecurity http) {
      // Remember-me needs a UserDetailsService; this one knows every name and no password
      // that PostgreSQL would accept.
      UserDetailsService names =
          name -> User.withUsername(name).password("{noop}not-a-password").roles("USER").build();
      http.authorizeHttpRequests(a -> a.anyRequest().authenticated())
          .formLogin(Customizer.withDefaults())
          .rememberMe(r -> r.key("remember-me-test-key").userDetailsService(names));
      return http.build();
    }
  }

  /** {@code current_user} on finance, as the bound person. */
  @RestController
  static class Who {
    private final JdbcTemplate finance;

    Who(@Qualifier("finance") DataSource finance) {
      this.finance = new JdbcTemplate(finance);
    }

    @GetMapping({"/stateless/me", "/me"})
    Map<String, String> me() {
      return Map.of("user", finance.queryForObject("SELECT current_user", String.class));
    }

    @ExceptionHandler(RuntimeException.class)
    void failed(RuntimeException e, HttpServletResponse response) throws IOException {
      if (!HttpError.send(e, response)) {
        throw e;
      }
    }
  }

  @Value("${local.server.port}")
  int port;

  @Autowired Userbound userbound;
  @Autowired LoginService logins;
  @Autowired DemoServers servers;

  @BeforeEach
  void checkForLeaks() {
    Leaks.checkAfterTheTest(userbound);
  }

  @Test
  void stateless_eachRequestLogsIn_andNoLoginOutlivesItsRequest() {
    String role = "spring_stateless";
    char[] pw = TestPasswords.remember((role + "-pw").toCharArray());
    servers.finance().createLogin(role, pw);
    servers.finance().execute(DemoServers.FINANCE, "GRANT finance_reader TO " + role);
    long accepted = userbound.stats("finance").loginsAccepted();
    for (int i = 0; i < 3; i++) {
      Client c = new Client(port);
      HttpResponse<String> r = c.get("/stateless/me", Client.basic(role, role + "-pw"));
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(Client.json(r).path("user").asString()).isEqualTo(role);
      // Whatever session the login needed is gone with the request: its cookie logs nobody in.
      String cookie = c.cookie("JSESSIONID");
      if (cookie != null) {
        HttpResponse<String> replay =
            new Client(port).get("/stateless/me", Map.of("Cookie", "JSESSIONID=" + cookie));
        assertThat(replay.statusCode()).isIn(302, 401);
        assertThat(replay.body()).doesNotContain(role);
      }
    }
    // Each request was a real login, and none is left: no session holds one, no pool is open.
    assertThat(userbound.stats("finance").loginsAccepted()).isGreaterThanOrEqualTo(accepted + 3);
    eventually(() -> logins.liveSessions(role) == 0);
    eventually(() -> servers.finance().backendCount(role) == 0);

    HttpResponse<String> wrong = new Client(port).get("/stateless/me", Client.basic(role, "nope"));
    // 401, or the login form when the error page falls to the other chain.
    assertThat(wrong.statusCode()).isIn(302, 401);
    assertThat(logins.liveSessions(role)).isZero();
  }

  @Test
  void stateless_aBrowserSessionIsNotTakenOverByABasicRequest() {
    // alice is logged in through the form; a Basic request of bob's in her browser (same
    // cookie) logs bob in for that request only, and leaves alice's session without a
    // database login rather than with bob's.
    Client browser = new Client(port);
    formLogin(browser, "alice", "alice-pw", false);
    assertThat(Client.json(browser.get("/me")).path("user").asString()).isEqualTo("alice");
    HttpResponse<String> bob = browser.get("/stateless/me", Client.basic("bob", "bob-pw"));
    assertThat(Client.json(bob).path("user").asString()).isEqualTo("bob");
    HttpResponse<String> after = browser.get("/me");
    assertThat(after.body()).doesNotContain("\"bob\"");
    eventually(() -> logins.liveSessions("bob") == 0);
  }

  @Test
  void rememberMe_bringsBackASpringLogin_neverADatabaseLogin() {
    Client first = new Client(port);
    HttpResponse<String> login = formLogin(first, "dave", "dave-pw", true);
    assertThat(login.headers().firstValue("Location").orElseThrow()).doesNotContain("error");
    String token = first.cookie("remember-me");
    assertThat(token).as("remember-me cookie").isNotNull();
    assertThat(Client.json(first.get("/me")).path("user").asString()).isEqualTo("dave");

    // Days later: a new browser with only the remember-me cookie (or a thief with it).
    long accepted = userbound.stats("finance").loginsAccepted();
    HttpResponse<String> back =
        new Client(port).get("/me", Map.of("Cookie", "remember-me=" + token));
    assertThat(back.statusCode()).isEqualTo(401);
    assertThat(back.body()).isEqualTo("{\"error\":\"not_logged_in\"}");
    assertThat(userbound.stats("finance").loginsAccepted()).isEqualTo(accepted);
  }

  private static HttpResponse<String> formLogin(
      Client c, String role, String password, boolean rememberMe) {
    String token = c.loginFormToken();
    Map<String, String> form =
        rememberMe
            ? Map.of("username", role, "password", password, "_csrf", token, "remember-me", "on")
            : Map.of("username", role, "password", password, "_csrf", token);
    return c.postForm("/login", form);
  }

  private static void eventually(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(condition.getAsBoolean()).isTrue();
  }
}
