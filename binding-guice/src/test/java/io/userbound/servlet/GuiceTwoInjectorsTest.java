package io.userbound.servlet;

import static io.userbound.servlet.Fixtures.person;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.name.Names;
import com.google.inject.servlet.GuiceFilter;
import io.userbound.core.Binding;
import io.userbound.core.Login;
import io.userbound.core.Userbound;
import io.userbound.core.UserboundLeaks;
import io.userbound.guice.UserboundModule;
import io.userbound.guice.UserboundServletModule;
import io.userbound.servlet.Fixtures.Person;
import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import jakarta.servlet.DispatcherType;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class GuiceTwoInjectorsTest {

  /** One application: its own injector, Userbound and Jetty. */
  record App(Injector injector, TestApp endpoints, TestServer web) {

    Userbound userbound() {
      return injector.getInstance(Userbound.class);
    }

    LoginService logins() {
      return injector.getInstance(LoginService.class);
    }
  }

  static App start(String name, PostgresServer server, TestNames names) {
    Injector injector =
        Guice.createInjector(
            new UserboundModule(Fixtures.twoDatabases(server, names)),
            UserboundServletModule.builder().loginPath("/login").logoutPath("/logout").build());
    Userbound userbound = UserboundLeaks.track(injector.getInstance(Userbound.class));
    TestApp endpoints = new TestApp(userbound, injector.getInstance(LoginService.class));
    TestServer web =
        TestServer.start(
            name,
            context -> {
              // The injector's own GuiceFilter, not new GuiceFilter(): that one reads Guice's
              // static pipeline.
              context.addFilter(
                  new FilterHolder(injector.getInstance(GuiceFilter.class)),
                  "/*",
                  EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR));
              endpoints.endpoints(context);
            });
    return new App(injector, endpoints, web);
  }

  @Test
  void twoInjectorsInOneJvm_doNotSeeEachOthersBindings(PostgresServer server, TestNames names)
      throws Exception {
    Person alice = person(names);
    Person bob = person(names);
    App one = start("guice-one", server, names);
    App two = start("guice-two", server, names);
    assertThat(one.userbound()).isNotSameAs(two.userbound());
    assertThat(one.logins()).isNotSameAs(two.logins());

    Browser aliceOnOne = new Browser(one.web());
    Browser bobOnTwo = new Browser(two.web());
    assertThat(aliceOnOne.login(alice.role(), alice.password()).statusCode()).isEqualTo(200);
    assertThat(bobOnTwo.login(bob.role(), bob.password()).statusCode()).isEqualTo(200);
    assertThat(one.logins().liveSessions(alice.role())).isEqualTo(1);
    assertThat(two.logins().liveSessions(alice.role())).isZero();
    assertThat(two.logins().liveSessions(bob.role())).isEqualTo(1);

    AtomicInteger mismatches = new AtomicInteger();
    AtomicInteger ok = new AtomicInteger();
    ExecutorService clients = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Browser browser = t % 2 == 0 ? aliceOnOne : bobOnTwo;
        String expected = t % 2 == 0 ? alice.role() : bob.role();
        done.add(
            clients.submit(
                () -> {
                  for (int i = 0; i < 100; i++) {
                    HttpResponse<String> r =
                        browser.get(i % 2 == 0 ? "/whoami?db=finance" : "/whoami?db=staff");
                    if (r.statusCode() == 200 && r.body().equals(expected)) {
                      ok.incrementAndGet();
                    } else {
                      mismatches.incrementAndGet();
                    }
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      clients.shutdownNow();
    }
    System.out.printf("two injectors: %d right, %d wrong%n", ok.get(), mismatches.get());
    assertThat(mismatches.get()).isZero();

    // Each server only knows its own sessions; the async and error dispatches pass the GuiceFilter
    // too.
    Browser aliceOnTwo = new Browser(two.web());
    aliceOnTwo.useSessionId(aliceOnOne.sessionId().orElseThrow());
    assertThat(aliceOnTwo.get("/whoami").statusCode()).isEqualTo(401);
    assertThat(aliceOnOne.get("/async").body()).isEqualTo(alice.role());
    assertThat(aliceOnOne.get("/teapot").body()).isEqualTo("error:" + alice.role());

    // A binding on one instance is invisible to the other, on the same thread.
    Login direct = one.userbound().login(alice.role(), alice.password());
    try (Binding b = one.userbound().bind(direct)) {
      assertThat(one.userbound().current()).containsSame(direct);
      assertThat(two.userbound().current()).isEmpty();
      DataSource finance =
          one.injector().getInstance(Key.get(DataSource.class, Names.named("finance")));
      try (Connection c = finance.getConnection()) {
        assertThat(c.isValid(5)).isTrue();
      }
    }
    one.userbound().release(direct);

    assertThat(aliceOnOne.logout().statusCode()).isEqualTo(204);
    assertThat(bobOnTwo.get("/whoami").body()).isEqualTo(bob.role());
    assertThat(one.logins().loggedInRoles()).isZero();
    assertThat(two.logins().loggedInRoles()).isEqualTo(1);
  }
}
