package io.userbound.spring;

import io.userbound.core.DatabaseConfig;
import io.userbound.core.DatabaseHealth;
import io.userbound.core.Userbound;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code db} health contributor, when Spring Boot's health support is present (the
 * actuator): one indicator per database from {@link Userbound#health(String)}, which needs
 * no login and opens no session (a startup message that is never authenticated, as {@code
 * pg_isready} sends).
 *
 * <p>It takes the name {@code dbHealthContributor}, so Spring Boot's own {@code db}
 * indicator, which would borrow a connection from each {@code DataSource} bean and, with no
 * person bound to the health request, always report DOWN, backs off. {@code SATURATED} (the
 * budget is spent; requests wait) is reported as UP with {@code "saturated": true}: the
 * database still serves requests.
 */
@AutoConfiguration(
    after = UserboundAutoConfiguration.class,
    beforeName =
        "org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration")
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(Userbound.class)
public class UserboundHealthAutoConfiguration {

  /** Creates the auto-configuration; Spring calls it. */
  public UserboundHealthAutoConfiguration() {}

  /**
   * One health indicator per database.
   *
   * @param userbound the instance
   * @return the composite, by database name
   */
  @Bean
  @ConditionalOnMissingBean(name = {"dbHealthIndicator", "dbHealthContributor"})
  public HealthContributor dbHealthContributor(Userbound userbound) {
    Map<String, HealthIndicator> each = new LinkedHashMap<>();
    for (DatabaseConfig d : userbound.config().databases()) {
      each.put(d.name(), () -> health(userbound.health(d.name())));
    }
    return CompositeHealthContributor.fromMap(each);
  }

  private static Health health(DatabaseHealth h) {
    Health.Builder b = h.ready() ? Health.up() : Health.down();
    return b.withDetail("reachable", h.reachable())
        .withDetail("saturated", h.status() == DatabaseHealth.Status.SATURATED)
        .withDetail("budget", h.budget())
        .withDetail("budgetUsed", h.budgetUsed())
        .withDetail("waiting", h.waiting())
        .withDetail("detail", h.detail())
        .build();
  }
}
