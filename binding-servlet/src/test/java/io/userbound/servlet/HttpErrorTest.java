package io.userbound.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.userbound.core.NotBoundException;
import io.userbound.core.UnknownDatabaseException;
import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@ExtendWith(PostgresExtension.class)
class HttpErrorTest {

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource({
    "login,       401, login_failed,         ",
    "notbound,    401, not_logged_in,        ",
    "denied,      403, permission_denied,    ",
    "sql42501,    403, permission_denied,    ",
    "budget,      503, busy,                 1",
    "unavailable, 503, database_unavailable, 5",
    "sql08,       503, database_unavailable, 5",
    "sql57p,      503, database_unavailable, 5",
  })
  void exceptionReachingTheFilter_isAnsweredWithStatusAndJsonOnly(
      String type, int status, String error, String retryAfter, PostgresServer server) {
    TestApp app = TestApp.plain(Fixtures.userbound(Fixtures.offline(server)));
    Browser browser = new Browser(app.start("errors-" + type));
    HttpResponse<String> r = browser.get("/throw?type=" + type);
    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(r.body()).isEqualTo("{\"error\":\"" + error + "\"}");
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    assertThat(r.headers().firstValue("Retry-After")).isEqualTo(Optional.ofNullable(retryAfter));
    assertThat(r.body()).doesNotContain("SECRET", "select", "Exception", "at io.");
  }

  @Test
  void unmappedException_isLeftToTheContainer(PostgresServer server) {
    TestApp app = TestApp.plain(Fixtures.userbound(Fixtures.offline(server)));
    HttpResponse<String> r = new Browser(app.start("errors-plain")).get("/throw?type=plain");
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).doesNotContain("{\"error\"");
  }

  @Test
  void of_findsTheOutermostMappedCause() {
    SQLException sql = new SQLException("connection refused", "08001");
    RuntimeException hibernateLike =
        new RuntimeException("JDBC exception", new IllegalStateException(sql));
    assertThat(HttpError.of(hibernateLike)).contains(HttpError.DATABASE_UNAVAILABLE);
    assertThat(HttpError.of(new RuntimeException("wrapper", new NotBoundException("x"))))
        .contains(HttpError.NOT_LOGGED_IN);
    assertThat(HttpError.of(new SQLException("syntax error", "42601"))).isEmpty();
    assertThat(HttpError.of(new SQLException("no state"))).isEmpty();
    assertThat(HttpError.of(new UnknownDatabaseException("no database 'x'"))).isEmpty();
    assertThat(HttpError.BUSY.retryAfterSeconds()).isEqualTo(OptionalInt.of(1));
    assertThat(HttpError.LOGIN_FAILED.retryAfterSeconds()).isEmpty();
  }

  @Test
  void of_survivesACauseCycle() {
    RuntimeException a = new RuntimeException("a");
    RuntimeException b = new RuntimeException("b", a);
    a.initCause(b);
    assertThat(HttpError.of(a)).isEmpty();
  }

  @Test
  void json_escapesEverythingThatCouldBreakOut() {
    assertThat(Json.object("role", "a\"b\\c\n</script>\u2028\u0001x"))
        .isEqualTo("{\"role\":\"a\\\"b\\\\c\\n\\u003c/script\\u003e\\u2028\\u0001x\"}");
    assertThat(Json.string("caf\u00e9 \ud83d\ude00")).isEqualTo("\"caf\u00e9 \ud83d\ude00\"");
    assertThat(Json.string("\ud800")).isEqualTo("\"\\ufffd\"");
  }
}
