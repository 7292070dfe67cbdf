package io.userbound.sample.spring.staff;

import org.springframework.context.annotation.Configuration;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

/** The repositories of {@code staff}, on its EntityManagerFactory and transaction manager. */
@Configuration(proxyBeanMethods = false)
@EnableJpaRepositories(
    entityManagerFactoryRef = "staffEntityManagerFactory",
    transactionManagerRef = "staffTransactionManager")
public class StaffRepositories {

  /** Creates the configuration; Spring calls it. */
  public StaffRepositories() {}
}
