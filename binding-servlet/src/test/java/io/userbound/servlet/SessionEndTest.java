package io.userbound.servlet;

import static io.userbound.servlet.Fixtures.person;
import static org.assertj.core.api.Assertions.assertThat;

import io.userbound.core.Userbound;
import io.userbound.servlet.Fixtures.Person;
import io.userbound.testkit.Await;
import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class SessionEndTest {

  private static final Duration DEADLINE = Duration.ofSeconds(20);

  @Test
  void expiredSession_closesThePersonsPools(PostgresServer server, TestNames names) {
    Person alice = person(names);
    Userbound ub = Fixtures.userbound(Fixtures.twoDatabases(server, names));
    TestApp app = TestApp.plain(ub);
    Browser browser = new Browser(app.start("expiry"));
    assertThat(browser.login(alice.role(), alice.password()).statusCode()).isEqualTo(200);
    assertThat(browser.get("/whoami?db=finance").body()).isEqualTo(alice.role());
    assertThat(browser.get("/whoami?db=staff").body()).isEqualTo(alice.role());
    assertThat(browser.get("/expire-soon").statusCode()).isEqualTo(204);

    Await.until(
        "alice's session expired and her pools closed",
        DEADLINE,
        () -> app.logins.loggedInRoles() == 0 && server.backendCount(alice.role()) == 0);
    assertThat(ub.stats("finance").pools()).isZero();
    assertThat(ub.stats("staff").pools()).isZero();
    assertThat(browser.get("/whoami").statusCode()).isEqualTo(401);
  }

  @Test
  void twoSessionsOfOnePerson_keepThePoolsUntilBothEnd(PostgresServer server, TestNames names) {
    Person alice = person(names);
    Userbound ub = Fixtures.userbound(Fixtures.twoDatabases(server, names));
    TestApp app = TestApp.plain(ub);
    TestServer web = app.start("two-sessions");
    Browser laptop = new Browser(web);
    Browser phone = new Browser(web);
    assertThat(laptop.login(alice.role(), alice.password()).statusCode()).isEqualTo(200);
    assertThat(phone.login(alice.role(), alice.password()).statusCode()).isEqualTo(200);
    assertThat(laptop.get("/whoami").body()).isEqualTo(alice.role());
    assertThat(phone.get("/whoami").body()).isEqualTo(alice.role());
    assertThat(app.logins.liveSessions(alice.role())).isEqualTo(2);

    assertThat(laptop.logout().statusCode()).isEqualTo(204);
    assertThat(app.logins.liveSessions(alice.role())).isEqualTo(1);
    assertThat(laptop.get("/whoami").statusCode()).isEqualTo(401);
    assertThat(phone.get("/whoami").body()).isEqualTo(alice.role());
    assertThat(ub.stats("finance").poolsEvicted()).as("the pool stayed for the phone").isZero();
    assertThat(ub.stats("finance").pools()).isEqualTo(1);
    assertThat(server.backendCount(alice.role())).isPositive();

    assertThat(phone.get("/expire-soon").statusCode()).isEqualTo(204);
    Await.until(
        "the phone's session expired and alice's pools closed",
        DEADLINE,
        () -> app.logins.loggedInRoles() == 0 && server.backendCount(alice.role()) == 0);
    assertThat(ub.stats("finance").pools()).isZero();
  }

  @Test
  void secondLoginInTheSameSession_replacesTheFirstAndCountsOnce(
      PostgresServer server, TestNames names) {
    Person alice = person(names);
    Person bob = person(names);
    TestApp app = TestApp.plain(Fixtures.userbound(Fixtures.twoDatabases(server, names)));
    Browser browser = new Browser(app.start("relogin"));
    assertThat(browser.login(alice.role(), alice.password()).statusCode()).isEqualTo(200);
    assertThat(browser.get("/whoami").body()).isEqualTo(alice.role());
    assertThat(browser.login(alice.role(), alice.password()).statusCode()).isEqualTo(200);
    assertThat(app.logins.liveSessions(alice.role())).isEqualTo(1);
    assertThat(browser.get("/whoami").body()).isEqualTo(alice.role());

    assertThat(browser.login(bob.role(), bob.password()).statusCode()).isEqualTo(200);
    assertThat(browser.get("/whoami").body()).isEqualTo(bob.role());
    assertThat(app.logins.liveSessions(alice.role())).isZero();
    assertThat(app.logins.loggedInRoles()).isEqualTo(1);
    Await.until(
        "alice's pools closed once bob took over the session",
        DEADLINE,
        () -> server.backendCount(alice.role()) == 0);
  }
}
