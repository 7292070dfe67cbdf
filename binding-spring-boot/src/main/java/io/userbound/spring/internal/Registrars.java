package io.userbound.spring.internal;

import io.userbound.spring.UserboundProperties;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/* What the per-database registrars share: reading the properties early and naming beans. */
final class Registrars {

  private Registrars() {}

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
