package io.userbound.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.userbound.core.DatabaseConfig;
import io.userbound.core.NotBoundException;
import io.userbound.core.SessionReset;
import io.userbound.core.Userbound;
import io.userbound.core.UserboundConfig;
import io.userbound.hibernate.EntityMapping;
import io.userbound.hibernate.UserboundHibernate;
import io.userbound.micrometer.UserboundMetrics;
import io.userbound.servlet.LoginService;
import io.userbound.spring.entities.one.Thing;
import io.userbound.spring.entities.two.Other;
import io.userbound.testkit.TestPasswords;
import jakarta.persistence.EntityManagerFactory;
import jakarta.servlet.Filter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.hibernate.SessionFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.BeanFactoryAnnotationUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration;
import org.springframework.boot.jdbc.health.DataSourceHealthIndicator;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.assertj.ApplicationContextAssertProvider;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.transaction.TransactionManager;

/**
 * The auto-configuration in application contexts, without a database: Userbound connects to
 * nothing at start-up (the URLs point at a closed port), which is the point.
 */
class AutoConfigurationTest {

  private static final String NOWHERE = "jdbc:postgresql://127.0.0.1:9/";

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  UserboundAutoConfiguration.class,
                  UserboundJpaAutoConfiguration.class,
                  DataSourceAutoConfiguration.class,
                  HibernateJpaAutoConfiguration.class,
                  TransactionAutoConfiguration.class))
          .withPropertyValues(
              "userbound.jmx=false",
              "userbound.databases.one.url=" + NOWHERE + "one",
              "userbound.databases.two.url=" + NOWHERE + "two",
              "userbound.databases.two.packages=io.userbound.spring.entities.two",
              "userbound.jpa.scan-packages=io.userbound.spring.entities");

  @Test
  void properties_reachTheDatabaseConfigs() {
    runner
        .withPropertyValues(
            "userbound.databases.one.budget=7",
            "userbound.databases.one.max-connections-per-person=3",
            "userbound.databases.one.idle-timeout=2m",
            "userbound.databases.one.login-recheck=5s",
            "userbound.databases.one.session-reset=discard-all",
            "userbound.databases.one.driver-properties.connectTimeout=4",
            "userbound.verify-logins-on=two",
            "userbound.application-name=the-app",
            "userbound.login-throttling.failures-per-role=9")
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(Userbound.class);
              UserboundConfig config = context.getBean(Userbound.class).config();
              DatabaseConfig one = config.database("one");
              assertThat(one.budget()).isEqualTo(7);
              assertThat(one.maxConnectionsPerPerson()).isEqualTo(3);
              assertThat(one.idleTimeout()).isEqualTo(Duration.ofMinutes(2));
              assertThat(one.loginRecheck()).isEqualTo(Duration.ofSeconds(5));
              assertThat(one.sessionReset()).isEqualTo(SessionReset.DISCARD_ALL);
              assertThat(one.driverProperties()).containsEntry("connectTimeout", "4");
              assertThat(config.loginDatabases()).containsExactly("two");
              assertThat(config.applicationName()).isEqualTo("the-app");
              assertThat(config.loginThrottling().failuresPerRole()).isEqualTo(9);
              assertThat(config.database("two").budget())
                  .isEqualTo(DatabaseConfig.builder("x", NOWHERE).build().budget());
            });
  }

  @Test
  void oneDataSourcePerDatabase_followsTheBinding_andBootsOwnBacksOff() {
    runner.run(
        context -> {
          assertThat(context).hasNotFailed();
          Userbound userbound = context.getBean(Userbound.class);
          assertThat(context.getBeansOfType(DataSource.class))
              .containsOnlyKeys("oneDataSource", "twoDataSource");
          DataSource one =
              BeanFactoryAnnotationUtils.qualifiedBeanOfType(
                  context.getBeanFactory(), DataSource.class, "one");
          assertThat(one).isSameAs(userbound.dataSource("one"));
          assertThatThrownBy(one::getConnection).isInstanceOf(NotBoundException.class);
        });
  }

  @Test
  void jpa_oneEntityManagerFactoryAndTransactionManagerPerDatabaseWithEntities() {
    runner
        .withPropertyValues("userbound.databases.three.url=" + NOWHERE + "three")
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(UserboundHibernate.class);
              assertThat(context.getBeansOfType(EntityManagerFactory.class))
                  .containsOnlyKeys("oneEntityManagerFactory", "twoEntityManagerFactory");
              assertThat(context.getBean(EntityMapping.class).packages())
                  .containsEntry("io.userbound.spring.entities.one", "one")
                  .containsEntry("io.userbound.spring.entities.two", "two");
              SessionFactory one = context.getBean("oneEntityManagerFactory", SessionFactory.class);
              assertThat(one)
                  .isSameAs(context.getBean(UserboundHibernate.class).sessionFactory("one"));
              assertThat(one.getMetamodel().entity(Thing.class)).isNotNull();
              assertThat(context.getBean("one")).isSameAs(one);

              // @Transactional("two") resolves by qualifier to two's JpaTransactionManager.
              TransactionManager two =
                  BeanFactoryAnnotationUtils.qualifiedBeanOfType(
                      context.getBeanFactory(), TransactionManager.class, "two");
              assertThat(two).isInstanceOf(JpaTransactionManager.class);
              JpaTransactionManager jpa = (JpaTransactionManager) two;
              assertThat(jpa.getEntityManagerFactory())
                  .isSameAs(context.getBean("twoEntityManagerFactory"));
              assertThat(
                      ((SessionFactory) jpa.getEntityManagerFactory())
                          .getMetamodel()
                          .entity(Other.class))
                  .isNotNull();
              assertThat(jpa.getDataSource()).isSameAs(context.getBean("twoDataSource"));
              assertThat(context).doesNotHaveBean("entityManagerFactory");
              assertThat(context).doesNotHaveBean("transactionManager");
            });
  }

  @Test
  void jpa_secondLevelCache_onlyThroughUserbound_partitionedByPerson() {
    runner
        .withPropertyValues(
            "userbound.jpa.second-level-cache=30s",
            "userbound.jpa.properties.hibernate.jdbc.fetch_size=50")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              SessionFactoryImplementor one =
                  context.getBean("oneEntityManagerFactory", SessionFactoryImplementor.class);
              assertThat(one.getSessionFactoryOptions().isSecondLevelCacheEnabled()).isTrue();
              assertThat(one.getSessionFactoryOptions().getJdbcFetchSize()).isEqualTo(50);
            });
    runner.run(
        context ->
            assertThat(
                    context
                        .getBean("oneEntityManagerFactory", SessionFactoryImplementor.class)
                        .getSessionFactoryOptions()
                        .isSecondLevelCacheEnabled())
                .isFalse());
    // Turning Hibernate's cache on directly would share rows across people: refused.
    assertRefused(
        "userbound.jpa.properties.hibernate.cache.use_second_level_cache=true",
        "userbound.jpa.properties.hibernate.cache.use_second_level_cache");
  }

  @Test
  void jpa_anEntityMappingBeanWins() {
    runner
        .withUserConfiguration(MappingConfig.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBeansOfType(EntityManagerFactory.class))
                  .containsOnlyKeys("twoEntityManagerFactory");
              assertThat(context).doesNotHaveBean("userboundEntityMapping");
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class MappingConfig {
    @Bean
    static EntityMapping entityMapping() {
      return EntityMapping.builder()
          .map("io.userbound.spring.entities.one", "two")
          .map("io.userbound.spring.entities.two", "two")
          .build();
    }
  }

  @Test
  void jpa_offWhenDisabled() {
    runner
        .withPropertyValues("userbound.jpa.enabled=false")
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(Userbound.class);
              assertThat(context).doesNotHaveBean(UserboundHibernate.class);
              assertThat(context).doesNotHaveBean(EntityManagerFactory.class);
            });
  }

  @Test
  void disabled_configuresNothing() {
    // Without Spring Boot's DataSource auto-configuration, which would then want a URL.
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                UserboundAutoConfiguration.class,
                UserboundJpaAutoConfiguration.class,
                UserboundSecurityAutoConfiguration.class))
        .withPropertyValues(
            "userbound.enabled=false", "userbound.databases.one.url=" + NOWHERE + "one")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(Userbound.class);
              assertThat(context).doesNotHaveBean(UserboundConfig.class);
              assertThat(context).doesNotHaveBean(UserboundHibernate.class);
              assertThat(context).doesNotHaveBean("oneDataSource");
              assertThat(context).doesNotHaveBean(UserboundProperties.class);
            });
  }

  @Test
  void customizers_runAfterTheProperties() {
    runner
        .withPropertyValues("userbound.application-name=from-properties")
        .withBean(UserboundConfigCustomizer.class, () -> b -> b.applicationName("from-code"))
        .run(
            context ->
                assertThat(context.getBean(Userbound.class).config().applicationName())
                    .isEqualTo("from-code"));
  }

  @Test
  void badValue_failsStartUpNamingTheProperty() {
    assertRefused("userbound.databases.one.budget=0", "userbound.databases.one.budget");
    assertRefused(
        "userbound.databases.one.max-connections-per-person=-1",
        "userbound.databases.one.max-connections-per-person");
    assertRefused(
        "userbound.databases.one.idle-timeout=-5s", "userbound.databases.one.idle-timeout");
    assertRefused(
        "userbound.login-throttling.failures-per-role=0",
        "userbound.login-throttling.failures-per-role");
    assertRefused("userbound.application-name=\u0001", "userbound.application-name");
    assertRefused("userbound.verify-logins-on=nowhere", "userbound");
    assertRefused(
        "userbound.databases.two.packages=not a package", "userbound.databases.two.packages");
    assertRefused(
        "userbound.jpa.properties.hibernate.connection.provider_class=x",
        "userbound.jpa.properties.hibernate.connection.provider_class");
    webRunner()
        .withPropertyValues("userbound.security.allowed-origins=not-an-origin")
        .run(
            context ->
                assertThat(
                        rootOf(context, InvalidConfigurationPropertyValueException.class).getName())
                    .isEqualTo("userbound.security.allowed-origins"));
    webRunner()
        .withPropertyValues("userbound.security.ipv6-throttle-prefix=129")
        .run(
            context -> {
              InvalidConfigurationPropertyValueException e =
                  rootOf(context, InvalidConfigurationPropertyValueException.class);
              assertThat(e.getName()).isEqualTo("userbound.security.ipv6-throttle-prefix");
              assertThat(e.getMessage()).contains("must be from 1 to 128");
            });
  }

  private void assertRefused(String property, String name) {
    runner
        .withPropertyValues(property)
        .run(
            context -> {
              assertThat(context).hasFailed();
              InvalidConfigurationPropertyValueException e =
                  rootOf(context, InvalidConfigurationPropertyValueException.class);
              assertThat(e.getName()).as(property).isEqualTo(name);
            });
  }

  @Test
  void aValueThatDoesNotConvert_orAnUnknownKey_failsStartUpNamingIt() {
    runner
        .withPropertyValues("userbound.databases.one.budget=lots")
        .run(
            context ->
                assertThat(rootOf(context, BindException.class).getProperty().getName().toString())
                    .isEqualTo("userbound.databases.one.budget"));
    runner
        .withPropertyValues("userbound.databases.one.budgett=5")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .hasStackTraceContaining("userbound.databases.one.budgett"));
  }

  @Test
  void missingUrl_orNoDatabase_failsStartUpNamingIt() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(UserboundAutoConfiguration.class))
        .withPropertyValues("userbound.jmx=false", "userbound.databases.one.budget=5")
        .run(
            context ->
                assertThat(
                        rootOf(context, InvalidConfigurationPropertyValueException.class).getName())
                    .isEqualTo("userbound.databases.one.url"));
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(UserboundAutoConfiguration.class))
        .run(
            context ->
                assertThat(
                        rootOf(context, InvalidConfigurationPropertyValueException.class).getName())
                    .isEqualTo("userbound.databases"));
  }

  @Test
  void jpa_aPackageMappedTwice_orToAnUndeclaredDatabase_failsStartUp() {
    runner
        .withPropertyValues("userbound.databases.one.packages=io.userbound.spring.entities.one")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .hasStackTraceContaining(
                        "package io.userbound.spring.entities.one is mapped twice"));
    runner
        .withPropertyValues("userbound.databases.two.packages=io.userbound.spring.entities.one")
        .withPropertyValues("userbound.jpa.scan-packages=")
        .run(context -> assertThat(context).hasNotFailed());
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                UserboundAutoConfiguration.class, UserboundJpaAutoConfiguration.class))
        .withPropertyValues(
            "userbound.jmx=false",
            "userbound.databases.two.url=" + NOWHERE + "two",
            "userbound.jpa.scan-packages=io.userbound.spring.entities.one")
        .run(
            context ->
                assertThat(
                        rootOf(context, InvalidConfigurationPropertyValueException.class)
                            .getMessage())
                    .contains("@UserboundDatabase on package io.userbound.spring.entities.one")
                    .contains("'one', which is not declared"));
  }

  @Test
  void gatewayPassword_neverInAMessage() {
    String secret = new String(TestPasswords.remember("Gateway-Secret-4711".toCharArray()));
    runner
        .withPropertyValues("userbound.databases.one.role-switching.password=" + secret)
        .run(
            context -> {
              InvalidConfigurationPropertyValueException e =
                  rootOf(context, InvalidConfigurationPropertyValueException.class);
              assertThat(e.getName()).isEqualTo("userbound.databases.one.role-switching.role");
              assertThat(context.getStartupFailure()).hasStackTraceContaining("role-switching");
              assertThat(stackTrace(context.getStartupFailure())).doesNotContain(secret);
            });
    runner
        .withPropertyValues(
            "userbound.databases.one.role-switching.role=gateway",
            "userbound.databases.one.role-switching.password=" + secret)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              UserboundProperties p = context.getBean(UserboundProperties.class);
              assertThat(p.getDatabases().get("one").getRoleSwitching().toString())
                  .doesNotContain(secret);
              assertThat(context.getBean(UserboundConfig.class).toString()).doesNotContain(secret);
            });
  }

  @Test
  void health_perDatabaseWithoutALogin_andBootsDataSourceIndicatorBacksOff() {
    runner
        .withConfiguration(
            AutoConfigurations.of(
                UserboundHealthAutoConfiguration.class,
                DataSourceHealthContributorAutoConfiguration.class))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(DataSourceHealthIndicator.class);
              CompositeHealthContributor db =
                  context.getBean("dbHealthContributor", CompositeHealthContributor.class);
              assertThat(db.stream().map(HealthContributors.Entry::name))
                  .containsExactly("one", "two");
              Health one = ((HealthIndicator) db.getContributor("one")).health();
              // Nothing listens on the URL's port: DOWN, and why, without any account.
              assertThat(one.getStatus()).isEqualTo(Status.DOWN);
              assertThat(one.getDetails()).containsEntry("reachable", false).containsKey("detail");
            });
  }

  @Test
  void metrics_aMeterBinderPerInstance_metersPerDatabase() {
    runner
        .withConfiguration(AutoConfigurations.of(UserboundMetricsAutoConfiguration.class))
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(UserboundMetrics.class);
              SimpleMeterRegistry registry = new SimpleMeterRegistry();
              context.getBean(UserboundMetrics.class).bindTo(registry);
              assertThat(
                      registry.getMeters().stream()
                          .map(m -> m.getId().getTag("database"))
                          .distinct())
                  .containsExactlyInAnyOrder("one", "two");
            });
  }

  @Test
  void security_providerAndFilterInEveryChain_andNoGeneratedUser() {
    webRunner()
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).hasSingleBean(LoginService.class);
              assertThat(context.getBeansOfType(AuthenticationProvider.class))
                  .containsOnlyKeys("userboundAuthenticationProvider");
              assertThat(context).doesNotHaveBean(UserDetailsService.class);
              FilterChainProxy proxy =
                  context.getBean("springSecurityFilterChain", FilterChainProxy.class);
              assertThat(proxy.getFilterChains()).isNotEmpty();
              for (var chain : proxy.getFilterChains()) {
                List<Filter> filters = chain.getFilters();
                assertThat(filters).hasAtLeastOneElementOfType(UserboundSecurityFilter.class);
              }
            });
  }

  @Test
  void security_offWhenDisabled() {
    webRunner()
        .withPropertyValues("userbound.security.enabled=false")
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(Userbound.class);
              assertThat(context).doesNotHaveBean(UserboundAuthenticationProvider.class);
              assertThat(context).doesNotHaveBean(LoginService.class);
            });
  }

  private static WebApplicationContextRunner webRunner() {
    return new WebApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                UserboundAutoConfiguration.class,
                UserboundSecurityAutoConfiguration.class,
                SecurityAutoConfiguration.class,
                ServletWebSecurityAutoConfiguration.class,
                UserDetailsServiceAutoConfiguration.class))
        .withPropertyValues(
            "userbound.jmx=false", "userbound.databases.one.url=" + NOWHERE + "one");
  }

  private static <T extends Throwable> T rootOf(
      ApplicationContextAssertProvider<?> context, Class<T> type) {
    Throwable failure = context.getStartupFailure();
    assertThat(failure).as("start-up failure").isNotNull();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " in " + stackTrace(failure));
  }

  private static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }
}
