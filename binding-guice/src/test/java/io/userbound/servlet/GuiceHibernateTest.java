package io.userbound.servlet;

import static io.userbound.servlet.Fixtures.person;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Provider;
import com.google.inject.servlet.GuiceFilter;
import io.userbound.core.DatabaseStats;
import io.userbound.core.Userbound;
import io.userbound.core.UserboundLeaks;
import io.userbound.guice.UserboundHibernateModule;
import io.userbound.guice.UserboundModule;
import io.userbound.guice.UserboundServletModule;
import io.userbound.hibernate.EntityMapping;
import io.userbound.hibernate.UnitOfWork;
import io.userbound.hibernate.UserboundHibernate;
import io.userbound.servlet.Fixtures.Person;
import io.userbound.servlet.entities.finance.Invoice;
import io.userbound.servlet.entities.staff.Hour;
import io.userbound.testkit.Await;
import io.userbound.testkit.LeakCheck;
import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import jakarta.servlet.DispatcherType;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class GuiceHibernateTest {

  private static final EntityMapping MAPPING =
      EntityMapping.builder()
          .map("io.userbound.servlet.entities.finance", "finance")
          .map("io.userbound.servlet.entities.staff", "staff")
          .build();

  @Test
  void unitOfWork_isPerRequest_runsAsThePerson_andIsClosedByTheFilter(
      PostgresServer server, TestNames names) {
    Person alice = person(names);
    Person bob = person(names);
    String finance = names.createDatabase();
    String staff = names.createDatabase();
    server.execute(
        finance,
        "create table invoice (id bigint primary key, amount numeric(12,2));"
            + " insert into invoice values (1, 10.00), (2, 20.50);"
            + " grant select on invoice to "
            + alice.role());
    server.execute(
        staff,
        "create table hour (id bigint primary key, hours numeric(5,2));"
            + " insert into hour values (1, 8.00);"
            + " grant select on hour to "
            + alice.role()
            + ", "
            + bob.role());

    Injector injector =
        Guice.createInjector(
            new UserboundModule(Fixtures.twoDatabases(server, finance, staff, b -> b)),
            new UserboundHibernateModule(MAPPING),
            UserboundServletModule.builder().loginPath("/login").logoutPath("/logout").build());
    Userbound userbound = UserboundLeaks.track(injector.getInstance(Userbound.class));
    UserboundHibernate hibernate = LeakCheck.track(injector.getInstance(UserboundHibernate.class));
    Provider<UnitOfWork> work = injector.getProvider(UnitOfWork.class);
    List<UnitOfWork> seen = new CopyOnWriteArrayList<>();

    TestServer web =
        TestServer.start(
            "guice-hibernate",
            context -> {
              context.addFilter(
                  new FilterHolder(injector.getInstance(GuiceFilter.class)),
                  "/*",
                  EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR));
              TestApp.add(
                  context,
                  "/invoices",
                  (req, resp) -> {
                    UnitOfWork w = work.get();
                    seen.add(w);
                    assertThat(work.get()).as("one unit of work per request").isSameAs(w);
                    String who =
                        w.of(Invoice.class)
                            .createNativeQuery("select cast(current_user as text)", String.class)
                            .getSingleResult();
                    long invoices =
                        w.of(Invoice.class)
                            .createSelectionQuery("select count(i) from Invoice i", Long.class)
                            .getSingleResult();
                    TestApp.text(resp, who + " " + invoices);
                  });
              TestApp.add(
                  context,
                  "/hours",
                  (req, resp) -> {
                    UnitOfWork w = work.get();
                    seen.add(w);
                    TestApp.text(
                        resp,
                        w.of(Hour.class).find(Hour.class, 1L).hours().toPlainString()
                            + " "
                            + w.openDatabases());
                  });
            });

    Browser aliceBrowser = new Browser(web);
    Browser bobBrowser = new Browser(web);
    assertThat(aliceBrowser.login(alice.role(), alice.password()).statusCode()).isEqualTo(200);
    assertThat(bobBrowser.login(bob.role(), bob.password()).statusCode()).isEqualTo(200);

    assertThat(aliceBrowser.get("/invoices").body()).isEqualTo(alice.role() + " 2");
    assertThat(aliceBrowser.get("/hours").body()).isEqualTo("8.00 [staff]");
    assertThat(bobBrowser.get("/hours").body()).isEqualTo("8.00 [staff]");
    HttpResponse<String> denied = bobBrowser.get("/invoices");
    assertThat(denied.statusCode())
        .as("bob may not read invoices: PostgreSQL says so")
        .isEqualTo(403);
    assertThat(denied.body()).isEqualTo("{\"error\":\"permission_denied\"}");
    assertThat(new Browser(web).get("/invoices").body()).isEqualTo("{\"error\":\"not_logged_in\"}");

    assertThat(seen).hasSize(4).doesNotHaveDuplicates();
    Await.until(
        "every request's unit of work closed by the filter",
        Duration.ofSeconds(10),
        () -> seen.stream().allMatch(UnitOfWork::isClosed));
    Await.until(
        "every connection handed back",
        Duration.ofSeconds(10),
        () -> userbound.stats().stream().mapToInt(DatabaseStats::activeConnections).sum() == 0);
    assertThat(hibernate.databases()).containsExactly("finance", "staff");
  }
}
