package io.userbound.servlet;

import static io.userbound.servlet.Fixtures.person;
import static org.assertj.core.api.Assertions.assertThat;

import io.userbound.core.DatabaseStats;
import io.userbound.core.Userbound;
import io.userbound.guice.RequestUnitOfWork;
import io.userbound.hibernate.EntityMapping;
import io.userbound.hibernate.UnitOfWork;
import io.userbound.hibernate.UserboundHibernate;
import io.userbound.servlet.Fixtures.Person;
import io.userbound.servlet.entities.finance.Invoice;
import io.userbound.testkit.Await;
import io.userbound.testkit.LeakCheck;
import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import jakarta.servlet.DispatcherType;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Plain wiring (no Guice) of the Hibernate hook. */
@ExtendWith(PostgresExtension.class)
class RequestUnitOfWorkTest {

  private static final EntityMapping MAPPING =
      EntityMapping.builder()
          .map("io.userbound.servlet.entities.finance", "finance")
          .map("io.userbound.servlet.entities.staff", "staff")
          .build();

  @Test
  void unitOfWork_ofARequestThatThrew_isClosedAndNotLeftOnTheThread(
      PostgresServer server, TestNames names) {
    Person alice = person(names);
    String finance = names.createDatabase();
    server.execute(
        finance,
        "create table invoice (id bigint primary key, amount numeric(12,2));"
            + " grant select on invoice to "
            + alice.role());
    Userbound userbound =
        Fixtures.userbound(Fixtures.twoDatabases(server, finance, names.createDatabase(), b -> b));
    UserboundHibernate hibernate =
        LeakCheck.track(UserboundHibernate.builder(userbound, MAPPING).build());
    RequestUnitOfWork work = RequestUnitOfWork.of(hibernate);
    List<UnitOfWork> opened = new CopyOnWriteArrayList<>();
    Set<String> threwOn = new HashSet<>();

    TestApp app = TestApp.plain(userbound);
    TestServer web =
        TestServer.start(
            "uow",
            3,
            context -> {
              context.addFilter(
                  new FilterHolder(new UserboundFilter(app.logins, List.of(work))),
                  "/*",
                  EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR));
              context.addServlet(new ServletHolder(new LoginServlet(app.logins)), "/login");
              TestApp.add(
                  context,
                  "/uow-boom",
                  (req, resp) -> {
                    UnitOfWork w = work.get();
                    opened.add(w);
                    w.of(Invoice.class)
                        .createSelectionQuery("select count(i) from Invoice i", Long.class)
                        .getSingleResult();
                    synchronized (threwOn) {
                      threwOn.add(Thread.currentThread().getName());
                    }
                    throw new IllegalStateException("boom with the session open");
                  });
              TestApp.add(
                  context,
                  "/uow-current",
                  (req, resp) ->
                      TestApp.text(
                          resp,
                          Thread.currentThread().getName()
                              + " "
                              + hibernate.current().isPresent()));
            });
    Browser browser = new Browser(web);
    assertThat(browser.login(alice.role(), alice.password()).statusCode()).isEqualTo(200);
    for (int i = 0; i < 6; i++) {
      assertThat(browser.get("/uow-boom").statusCode()).isEqualTo(500);
    }
    Await.until(
        "every unit of work closed although its request threw",
        Duration.ofSeconds(10),
        () -> opened.stream().allMatch(UnitOfWork::isClosed));
    Await.until(
        "connections handed back",
        Duration.ofSeconds(10),
        () -> userbound.stats().stream().mapToInt(DatabaseStats::activeConnections).sum() == 0);

    Set<String> seen = new HashSet<>();
    long deadline = System.nanoTime() + 20_000_000_000L;
    for (int i = 0; i < 500 && System.nanoTime() < deadline && !seen.containsAll(threwOn); i++) {
      String[] threadAndCurrent = browser.get("/uow-current").body().split(" ");
      seen.add(threadAndCurrent[0]);
      assertThat(threadAndCurrent[1])
          .as("unit of work left on " + threadAndCurrent[0])
          .isEqualTo("false");
    }
    assertThat(seen).containsAll(threwOn);
  }
}
