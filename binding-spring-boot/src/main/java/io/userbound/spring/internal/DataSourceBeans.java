package io.userbound.spring.internal;

import io.userbound.core.Userbound;
import io.userbound.spring.UserboundBeanNames;
import javax.sql.DataSource;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.type.AnnotationMetadata;

/*
 * Registers one DataSource bean per database named under userbound.databases. It is an
 * import registrar, not a BeanDefinitionRegistryPostProcessor, so that the definitions exist
 * while later auto-configurations evaluate @ConditionalOnMissingBean(DataSource.class):
 * Spring Boot's pooled DataSource, with its generic account, then never appears.
 */
/** Registers the per-database {@link DataSource} beans. Not API. */
public final class DataSourceBeans extends Registrars {

  /** Creates the registrar; Spring calls it. */
  public DataSourceBeans() {}

  @Override
  public void registerBeanDefinitions(
      AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
    BeanFactory factory = beanFactory;
    for (String database : Registrars.properties(environment).getDatabases().keySet()) {
      RootBeanDefinition bd =
          new RootBeanDefinition(
              DataSource.class, () -> factory.getBean(Userbound.class).dataSource(database));
      Registrars.register(registry, UserboundBeanNames.dataSource(database), database, bd);
    }
  }
}
