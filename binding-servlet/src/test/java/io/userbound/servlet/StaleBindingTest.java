package io.userbound.servlet;

import static io.userbound.servlet.Fixtures.person;
import static org.assertj.core.api.Assertions.assertThat;

import io.userbound.servlet.Fixtures.Person;
import io.userbound.testkit.CapturedLogs;
import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * No binding outlives its request on a pooled server thread, whoever opened it and
 * however it was (not) closed: anonymous requests on those threads run with nothing bound.
 */
@ExtendWith(PostgresExtension.class)
class StaleBindingTest {

  /** Sends anonymous requests until every given thread has served one; each must be unbound. */
  private static Set<String> anonymousOn(TestServer web, Set<String> threads) {
    Browser stranger = new Browser(web);
    Set<String> seen = new HashSet<>();
    long deadline = System.nanoTime() + 20_000_000_000L;
    for (int i = 0; i < 2_000 && !seen.containsAll(threads) && System.nanoTime() < deadline; i++) {
      String[] threadAndBound = stranger.get("/binding").body().split(" ");
      seen.add(threadAndBound[0]);
      assertThat(threadAndBound[1])
          .as("an anonymous request on " + threadAndBound[0] + " saw a binding")
          .isEqualTo("false");
      assertThat(stranger.get("/whoami").statusCode()).isEqualTo(401);
    }
    return seen;
  }

  @Test
  void bindingLeftOpenByTheRequest_isClosedWhenItEnds(PostgresServer server, TestNames names) {
    Person alice = person(names);
    TestApp app = TestApp.plain(Fixtures.userbound(Fixtures.twoDatabases(server, names)));
    TestServer web = app.start("leak", 3, List.of());
    Browser browser = new Browser(web);
    assertThat(browser.login(alice.role(), alice.password()).statusCode()).isEqualTo(200);
    Set<String> leakedOn = new HashSet<>();
    for (int i = 0; i < 6; i++) {
      HttpResponse<String> r = browser.get("/leak");
      assertThat(r.statusCode()).isEqualTo(200);
      leakedOn.add(r.body().substring("leaked on ".length()));
    }
    int warnings =
        CapturedLogs.lines().stream()
            .filter(l -> l.contains("binding(s) open on thread"))
            .toList()
            .size();
    assertThat(warnings).as("each leak is reported").isGreaterThanOrEqualTo(6);
    assertThat(anonymousOn(web, leakedOn)).containsAll(leakedOn);
  }

  @Test
  void bindingLeftOpenOutsideTheFilter_isClosedBeforeTheNextRequest(
      PostgresServer server, TestNames names) {
    Person alice = person(names);
    TestApp app = TestApp.plain(Fixtures.userbound(Fixtures.twoDatabases(server, names)));
    TestServer web = app.start("leak-async", 3, List.of());
    Browser browser = new Browser(web);
    assertThat(browser.login(alice.role(), alice.password()).statusCode()).isEqualTo(200);
    for (int i = 0; i < 6; i++) {
      assertThat(browser.get("/leak-async").body()).isEqualTo("leaked");
    }
    assertThat(app.leakedOn).isNotEmpty();
    assertThat(anonymousOn(web, app.leakedOn)).containsAll(app.leakedOn);
    assertThat(CapturedLogs.lines())
        .anySatisfy(l -> assertThat(l).contains("were closed before the request ran"));
  }

  @Test
  void bindingClosedOnAnotherThread_isDeadAtOnce_andTheRequestKeepsItsOwn(
      PostgresServer server, TestNames names) {
    Person alice = person(names);
    TestApp app = TestApp.plain(Fixtures.userbound(Fixtures.twoDatabases(server, names)));
    TestServer web = app.start("elsewhere", 3, List.of());
    Browser browser = new Browser(web);
    assertThat(browser.login(alice.role(), alice.password()).statusCode()).isEqualTo(200);
    HttpResponse<String> r = browser.get("/close-elsewhere");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("still bound=true inner closed, user=" + alice.role());
    anonymousOn(web, Set.of());
  }

  @Test
  void asyncDispatch_isBoundOnItsThread_andLeavesNothing(PostgresServer server, TestNames names) {
    Person alice = person(names);
    TestApp app = TestApp.plain(Fixtures.userbound(Fixtures.twoDatabases(server, names)));
    TestServer web = app.start("async", 3, List.of());
    Browser browser = new Browser(web);
    assertThat(browser.login(alice.role(), alice.password()).statusCode()).isEqualTo(200);
    Set<String> threads = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      assertThat(browser.get("/async").body()).isEqualTo(alice.role());
      threads.add(browser.get("/binding").body().split(" ")[0]);
      assertThat(browser.get("/async?mode=start").body())
          .as("work started on another thread is not bound")
          .isEqualTo("bound=false");
    }
    assertThat(anonymousOn(web, threads)).containsAll(threads);
  }
}
