package io.userbound.sample.spring.finance;

import org.springframework.context.annotation.Configuration;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

/** The repositories of {@code finance}, on its EntityManagerFactory and transaction manager. */
@Configuration(proxyBeanMethods = false)
@EnableJpaRepositories(
    entityManagerFactoryRef = "financeEntityManagerFactory",
    transactionManagerRef = "financeTransactionManager")
public class FinanceRepositories {

  /** Creates the configuration; Spring calls it. */
  public FinanceRepositories() {}
}
