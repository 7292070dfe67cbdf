package io.userbound.spring.internal;

import io.userbound.spring.UserboundProperties;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;

/*
 * What the per-database registrars share: the environment and bean factory Spring hands an
 * import registrar, reading the properties early, and registering qualified beans.
 */
abstract class Registrars
    implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {

  Environment environment;
  BeanFactory beanFactory;

  @Override
  public final void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public final void setBeanFactory(BeanFactory beanFactory) {
    this.beanFactory = beanFactory;
  }

  /**
   * Binds {@code userbound.*} while bean definitions are still being read, before the
   * properties bean exists; a value that does not convert fails here, naming the property.
   */
  static UserboundProperties properties(Environment environment) {
    return Binder.get(environment)
        .bind("userbound", UserboundProperties.class)
        .orElseGet(UserboundProperties::new);
  }

  /** Registers a bean qualified with the database's name, unless the application has one. */
  static void register(
      BeanDefinitionRegistry registry, String beanName, String database, RootBeanDefinition bd) {
    if (registry.containsBeanDefinition(beanName)) {
      return;
    }
    bd.addQualifier(new AutowireCandidateQualifier(Qualifier.class, database));
    registry.registerBeanDefinition(beanName, bd);
  }
}
