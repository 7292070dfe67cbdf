package io.userbound.spring;

/**
 * The names of the beans the auto-configuration registers per database. Each is also
 * qualified with the database's name, so {@code @Qualifier("finance") DataSource} and {@code
 * @Transactional("finance")} find them.
 */
public final class UserboundBeanNames {

  private UserboundBeanNames() {}

  /**
   * Names the database's {@link javax.sql.DataSource}.
   *
   * @param database the database's name
   * @return {@code <database>DataSource}
   */
  public static String dataSource(String database) {
    return database + "DataSource";
  }

  /**
   * Names the database's {@code EntityManagerFactory} (a Hibernate {@code SessionFactory}).
   *
   * @param database the database's name
   * @return {@code <database>EntityManagerFactory}
   */
  public static String entityManagerFactory(String database) {
    return database + "EntityManagerFactory";
  }

  /**
   * Names the database's {@code JpaTransactionManager}.
   *
   * @param database the database's name
   * @return {@code <database>TransactionManager}
   */
  public static String transactionManager(String database) {
    return database + "TransactionManager";
  }
}
