package io.userbound.spring;

import io.userbound.hibernate.UserboundHibernate;
import io.userbound.spring.internal.JpaBeans;
import jakarta.persistence.EntityManagerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Import;
import org.springframework.orm.jpa.JpaTransactionManager;

/**
 * JPA over several databases, without a generic database account.
 *
 * <p>The entity mapping is an {@link io.userbound.hibernate.EntityMapping} bean of the
 * application if it declares one (it must not depend on other beans: it is needed while bean
 * definitions are read), otherwise {@code userbound.databases.<name>.packages} together with
 * {@link UserboundDatabase} package annotations. From it: a {@link UserboundHibernate}, and for
 * each database that has entities an {@link EntityManagerFactory} named {@code
 * <name>EntityManagerFactory} (the database's Hibernate {@code SessionFactory}, built once;
 * every {@code EntityManager} belongs to the person bound to the request) and a {@link
 * JpaTransactionManager} named {@code <name>TransactionManager}, both qualified with the
 * database's name: {@code @Transactional("finance")} and
 * {@code @EnableJpaRepositories(entityManagerFactoryRef = "financeEntityManagerFactory",
 * transactionManagerRef = "financeTransactionManager")} work. JDBC code on the database's
 * {@code DataSource} joins the transaction.
 *
 * <p>Hibernate settings go in {@code userbound.jpa.properties.*}; those Userbound manages
 * itself (connections, tenancy, caches) are refused at start-up. {@code
 * userbound.jpa.second-level-cache=30s} turns on a second-level cache partitioned by person.
 * Off with {@code userbound.jpa.enabled=false}.
 */
@AutoConfiguration(
    after = UserboundAutoConfiguration.class,
    beforeName = {
      "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
      "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration",
      "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration"
    })
@ConditionalOnClass({
  UserboundHibernate.class,
  JpaTransactionManager.class,
  EntityManagerFactory.class
})
@ConditionalOnProperty(
    prefix = "userbound",
    name = {"enabled", "jpa.enabled"},
    matchIfMissing = true)
@Import(JpaBeans.class)
public class UserboundJpaAutoConfiguration {

  /** Creates the auto-configuration; Spring calls it. */
  public UserboundJpaAutoConfiguration() {}
}
