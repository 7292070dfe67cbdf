package io.userbound.servlet;

import static io.userbound.servlet.Fixtures.person;
import static org.assertj.core.api.Assertions.assertThat;

import io.userbound.core.DatabaseStats;
import io.userbound.core.Userbound;
import io.userbound.servlet.Fixtures.Person;
import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTTP half of the hostile-input campaign: malformed, oversized and oddly encoded login
 * requests. Each is answered with a 4xx (never a 5xx and never a login), leaves no pool, permit
 * or session behind, and the next honest login is served.
 */
@ExtendWith(PostgresExtension.class)
class HostileFormTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "empty body",
        "role only",
        "password only",
        "empty role and password",
        "the role twice",
        "invalid percent-encoding",
        "NUL in the role",
        "an overlong UTF-8 sequence",
        "invalid UTF-8 bytes",
        "a role with a newline",
        "a role of 5,000 characters",
        "a body of 1 MB",
        "a password of 8 MB",
        "10,000 parameters",
        "JSON in a form",
        "a JSON content type",
        "a multipart content type",
        "a text/plain content type",
        "no content type",
        "a Latin-1 charset with UTF-8 bytes",
        "SQL in the role",
        "the person's role with a wrong password",
      })
  void hostileLoginRequest_is4xx_leavesNothing_andTheServerServes(
      String input, PostgresServer server, TestNames names) {
    Person alice = person(names);
    Userbound ub = Fixtures.userbound(Fixtures.twoDatabases(server, names));
    TestServer web = TestApp.plain(ub).start("hostile");
    Browser browser = new Browser(web);
    String role = Browser.encode(alice.role());
    HttpResponse<String> r;
    try {
      r = send(browser, input, role, alice);
    } catch (IllegalStateException e) {
      // An oversized body is refused before it is read; the server answers and closes the
      // connection while the client is still sending, which the JDK client reports as an
      // I/O error instead of the 400. That is a refusal too; all else must be an answer.
      assertThat(input).isIn("a body of 1 MB", "a password of 8 MB");
      r = null;
    }
    if (r != null) {
      assertThat(r.statusCode()).as(input + ": " + r.body()).isBetween(400, 499);
    }
    DatabaseStats s = ub.stats("finance");
    assertThat(s.pools()).as("pools").isZero();
    assertThat(s.budgetUsed()).as("permits").isZero();
    assertThat(browser.get("/whoami?db=finance").statusCode()).as("not logged in").isEqualTo(401);
    // The server is healthy and the next honest login is served.
    Browser honest = new Browser(web);
    assertThat(honest.login(alice.role(), alice.password()).statusCode()).isEqualTo(200);
    assertThat(honest.get("/whoami?db=finance").body()).isEqualTo(alice.role());
  }

  private static HttpResponse<String> send(
      Browser browser, String input, String role, Person alice) {
    String form = "application/x-www-form-urlencoded";
    return switch (input) {
      case "empty body" -> browser.post("/login", "");
      case "role only" -> browser.post("/login", "role=" + role);
      case "password only" -> browser.post("/login", "password=x");
      case "empty role and password" -> browser.post("/login", "role=&password=");
      case "the role twice" -> browser.post("/login", "role=" + role + "&role=x&password=y");
      case "invalid percent-encoding" -> browser.post("/login", "role=%ZZ&password=%");
      case "NUL in the role" -> browser.post("/login", "role=a%00b&password=x");
      case "an overlong UTF-8 sequence" -> browser.post("/login", "role=%C0%AF&password=x");
      case "invalid UTF-8 bytes" -> browser.post("/login", "role=%FF%FE&password=%80");
      case "a role with a newline" -> browser.post("/login", "role=alice%0AINFO+forged&password=x");
      case "a role of 5,000 characters" ->
          browser.post("/login", "role=" + "a".repeat(5_000) + "&password=x");
      case "a body of 1 MB" ->
          browser.post("/login", "role=" + "a".repeat(1 << 20) + "&password=x");
      case "a password of 8 MB" ->
          browser.post("/login", "role=" + role + "&password=" + "p".repeat(8 << 20));
      case "10,000 parameters" -> browser.post("/login", "a=1&".repeat(10_000) + "role=x");
      case "JSON in a form" -> browser.post("/login", "{\"role\":\"x\",\"password\":\"y\"}");
      case "a JSON content type" ->
          browser.postBytes(
              "/login",
              "application/json",
              ("{\"role\":\"" + alice.role() + "\",\"password\":\"" + alice.passwordText() + "\"}")
                  .getBytes(StandardCharsets.UTF_8));
      case "a multipart content type" ->
          browser.postBytes(
              "/login",
              "multipart/form-data; boundary=x",
              "--x\r\nContent-Disposition: form-data; name=\"role\"\r\n\r\nx\r\n--x--\r\n"
                  .getBytes(StandardCharsets.UTF_8));
      case "a text/plain content type" ->
          browser.postBytes(
              "/login", "text/plain", "role=x&password=y".getBytes(StandardCharsets.UTF_8));
      case "no content type" ->
          browser.postBytes("/login", null, "role=x&password=y".getBytes(StandardCharsets.UTF_8));
      case "a Latin-1 charset with UTF-8 bytes" ->
          browser.postBytes(
              "/login",
              form + "; charset=ISO-8859-1",
              "role=caf\u00e9&password=\u00fc".getBytes(StandardCharsets.UTF_8));
      case "SQL in the role" ->
          browser.post("/login", "role=x%27%3B+DROP+ROLE+postgres%3B--&password=y");
      default -> browser.post("/login", "role=" + role + "&password=wrong-" + role);
    };
  }
}
