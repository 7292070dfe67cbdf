package io.userbound.servlet;

import static io.userbound.servlet.Fixtures.person;
import static org.assertj.core.api.Assertions.assertThat;

import io.userbound.servlet.Fixtures.Person;
import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class ThreadReuseTest {

  @Test
  void threadReusedAfterARequestThatThrew_hasNoBindingLeft(PostgresServer server, TestNames names) {
    Person alice = person(names);
    TestApp app = TestApp.plain(Fixtures.userbound(Fixtures.twoDatabases(server, names)));
    // A tiny pool: 3 threads, so the threads that threw serve the next requests.
    TestServer web = app.start("tiny", 3, List.of());
    Browser browser = new Browser(web);
    assertThat(browser.login(alice.role(), alice.password()).statusCode()).isEqualTo(200);
    for (int i = 0; i < 10; i++) {
      assertThat(browser.get("/boom").statusCode()).isEqualTo(500);
    }
    assertThat(app.threwOn).as("threads on which a bound request threw").isNotEmpty();

    Browser stranger = new Browser(web);
    Set<String> seen = new HashSet<>();
    int requests = 0;
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!seen.containsAll(app.threwOn) && System.nanoTime() < deadline && requests < 2_000) {
      HttpResponse<String> r = stranger.get("/binding");
      requests++;
      String[] threadAndBound = r.body().split(" ");
      seen.add(threadAndBound[0]);
      assertThat(threadAndBound[1])
          .as("binding seen on " + threadAndBound[0] + " after it threw")
          .isEqualTo("false");
      assertThat(stranger.get("/whoami").statusCode()).isEqualTo(401);
    }
    System.out.printf(
        "thread reuse: bound requests threw on %s; %d later requests saw threads %s, none bound%n",
        app.threwOn, requests, seen);
    assertThat(seen).as("every thread that threw served a later request").containsAll(app.threwOn);
  }
}
