package io.userbound.spring;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.userbound.core.Userbound;
import io.userbound.micrometer.UserboundMetrics;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters per database, when binding-micrometer is on the class path: a {@link
 * UserboundMetrics} bean, a {@link MeterBinder} that Spring Boot's actuator binds to every
 * meter registry (meters are per database, never per person).
 */
@AutoConfiguration(after = UserboundAutoConfiguration.class)
@ConditionalOnClass({UserboundMetrics.class, MeterBinder.class})
@ConditionalOnBean(Userbound.class)
public class UserboundMetricsAutoConfiguration {

  /** Creates the auto-configuration; Spring calls it. */
  public UserboundMetricsAutoConfiguration() {}

  /**
   * The meters.
   *
   * @param userbound the instance
   * @return the binder; closed with the context
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public UserboundMetrics userboundMetrics(Userbound userbound) {
    return new UserboundMetrics(userbound);
  }
}
