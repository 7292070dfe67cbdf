package io.userbound.sample.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The finance/staff sample on Spring Boot: every person logs in with their own PostgreSQL
 * role, through Spring Security; Spring Data JPA repositories and {@code @Transactional} run
 * as that person on two databases.
 *
 * <p>Without {@code userbound.databases.finance.url} (a property, {@code --userbound...} on
 * the command line, or {@code USERBOUND_DATABASES_FINANCE_URL}), it starts two throw-away
 * PostgreSQL servers with the schema and demo people first (see {@link DemoDatabases}).
 */
@SpringBootApplication
public class SpringSampleApp {

  /**
   * Starts the application.
   *
   * @param args Spring Boot arguments, e.g. {@code --server.port=9090}
   */
  public static void main(String[] args) {
    SpringApplication.run(SpringSampleApp.class, args);
  }
}
