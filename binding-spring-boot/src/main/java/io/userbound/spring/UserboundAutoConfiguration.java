package io.userbound.spring;

import io.userbound.core.Userbound;
import io.userbound.core.UserboundConfig;
import io.userbound.spring.internal.ConfigFactory;
import io.userbound.spring.internal.DataSourceBeans;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Configures {@link Userbound} from the {@code userbound.*} properties (see {@link
 * UserboundProperties}).
 *
 * <p>Beans: a {@link UserboundConfig} (built from the properties, then changed by every
 * {@link UserboundConfigCustomizer} bean), the {@link Userbound} (closed with the context),
 * and for each database {@code <name>} under {@code userbound.databases} a {@link
 * javax.sql.DataSource} named {@code <name>DataSource}, qualified {@code @Qualifier("<name>")},
 * whose connections belong to the person bound to the current request (see {@link
 * Userbound#dataSource(String)}). With these present, Spring Boot's own {@code DataSource}
 * and JPA auto-configuration back off: there is no generic database account.
 *
 * <p>Off with {@code userbound.enabled=false}; each bean backs off if the application
 * declares its own.
 */
@AutoConfiguration(
    beforeName = {
      "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
      "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
      "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration",
      "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration"
    })
@ConditionalOnClass(Userbound.class)
@ConditionalOnProperty(prefix = "userbound", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(UserboundProperties.class)
@Import(DataSourceBeans.class)
public class UserboundAutoConfiguration {

  /** Creates the auto-configuration; Spring calls it. */
  public UserboundAutoConfiguration() {}

  /**
   * The configuration, from the properties and the customizers.
   *
   * @param properties the bound {@code userbound.*} properties
   * @param customizers the customizer beans, in order
   * @return the configuration
   */
  @Bean
  @ConditionalOnMissingBean
  public UserboundConfig userboundConfig(
      UserboundProperties properties, ObjectProvider<UserboundConfigCustomizer> customizers) {
    return ConfigFactory.build(properties, customizers.orderedStream().toList());
  }

  /**
   * The Userbound instance; closed when the context closes, which closes every pool.
   *
   * @param config the configuration
   * @return the instance
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public Userbound userbound(UserboundConfig config) {
    return Userbound.create(config);
  }
}
