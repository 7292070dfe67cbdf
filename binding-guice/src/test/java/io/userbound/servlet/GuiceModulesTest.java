package io.userbound.servlet;

import static io.userbound.servlet.Fixtures.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.ProvisionException;
import com.google.inject.TypeLiteral;
import com.google.inject.name.Names;
import io.userbound.core.Binding;
import io.userbound.core.Login;
import io.userbound.core.NotBoundException;
import io.userbound.core.Userbound;
import io.userbound.core.UserboundLeaks;
import io.userbound.guice.RequestUnitOfWork;
import io.userbound.guice.UserboundHibernateModule;
import io.userbound.guice.UserboundModule;
import io.userbound.guice.UserboundServletModule;
import io.userbound.hibernate.EntityMapping;
import io.userbound.hibernate.UnitOfWork;
import io.userbound.hibernate.UserboundHibernate;
import io.userbound.servlet.Fixtures.Person;
import io.userbound.testkit.LeakCheck;
import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class GuiceModulesTest {

  private static final EntityMapping MAPPING =
      EntityMapping.builder()
          .map("io.userbound.servlet.entities.finance", "finance")
          .map("io.userbound.servlet.entities.staff", "staff")
          .build();

  @Test
  void userboundModule_aloneBindsTheInstanceAndADataSourcePerDatabase(
      PostgresServer server, TestNames names) {
    Injector injector =
        Guice.createInjector(new UserboundModule(Fixtures.twoDatabases(server, names)));
    Userbound userbound = UserboundLeaks.track(injector.getInstance(Userbound.class));
    assertThat(injector.getInstance(Userbound.class)).isSameAs(userbound);
    DataSource staff = injector.getInstance(Key.get(DataSource.class, Names.named("staff")));
    assertThatThrownBy(staff::getConnection).isInstanceOf(NotBoundException.class);
  }

  @Test
  void userboundModule_withAnExistingInstance_bindsThatInstance(PostgresServer server) {
    Userbound mine = Fixtures.userbound(Fixtures.offline(server));
    Injector injector =
        Guice.createInjector(new UserboundModule(mine), new UserboundServletModule());
    assertThat(injector.getInstance(Userbound.class)).isSameAs(mine);
    LoginService logins = injector.getInstance(LoginService.class);
    assertThat(logins.userbound()).isSameAs(mine);
    assertThat(injector.getInstance(LoginService.class)).isSameAs(logins);
    assertThat(injector.getInstance(UserboundFilter.class))
        .isSameAs(injector.getInstance(UserboundFilter.class));
    assertThat(injector.getInstance(Key.get(new TypeLiteral<Set<RequestHook>>() {}))).isEmpty();
  }

  @Test
  void hibernateModule_withoutTheServletModule_givesAUnitOfWorkToWhoeverIsBound(
      PostgresServer server, TestNames names) {
    Person alice = person(names);
    Injector injector =
        Guice.createInjector(
            new UserboundModule(Fixtures.twoDatabases(server, names)),
            new UserboundHibernateModule(MAPPING, b -> b.setting("hibernate.show_sql", "false")));
    Userbound userbound = UserboundLeaks.track(injector.getInstance(Userbound.class));
    LeakCheck.track(injector.getInstance(UserboundHibernate.class));
    assertThat(injector.getInstance(EntityMapping.class)).isSameAs(MAPPING);
    assertThatThrownBy(() -> injector.getInstance(UnitOfWork.class))
        .isInstanceOf(ProvisionException.class)
        .hasRootCauseInstanceOf(NotBoundException.class);

    Login login = userbound.login(alice.role(), alice.password());
    try (Binding b = userbound.bind(login);
        UnitOfWork work = injector.getInstance(UnitOfWork.class)) {
      assertThat(injector.getInstance(UnitOfWork.class)).isSameAs(work);
      String who =
          work.of("staff")
              .createNativeQuery("select cast(current_user as text)", String.class)
              .getSingleResult();
      assertThat(who).isEqualTo(alice.role());
    }
    assertThat(injector.getInstance(Key.get(new TypeLiteral<Set<RequestHook>>() {})))
        .singleElement()
        .isInstanceOf(RequestUnitOfWork.class);
    userbound.logout(login);
  }

  @Test
  void servletModuleBuilder_checksItsArguments() {
    assertThatThrownBy(() -> UserboundServletModule.builder().loginPath("login"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("loginPath = 'login'");
    assertThatThrownBy(
            () -> UserboundServletModule.builder().loginPath("/x").logoutPath("/x").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("different paths");
    assertThatThrownBy(() -> UserboundServletModule.builder().filterPatterns("/*", " "))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ipv6ThrottlePrefix_outOfRange_isRefusedAtOnce() {
    assertThatThrownBy(() -> UserboundServletModule.builder().ipv6ThrottlePrefix(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("ipv6ThrottlePrefix = 0: must be from 1 to 128");
    assertThat(UserboundServletModule.builder().ipv6ThrottlePrefix(56)).isNotNull();
  }
}
