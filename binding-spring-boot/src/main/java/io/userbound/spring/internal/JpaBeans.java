package io.userbound.spring.internal;

import io.userbound.core.Userbound;
import io.userbound.hibernate.EntityMapping;
import io.userbound.hibernate.EntityMappingException;
import io.userbound.hibernate.UserboundHibernate;
import io.userbound.spring.UserboundBeanNames;
import io.userbound.spring.UserboundProperties;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hibernate.SessionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.vendor.HibernateJpaDialect;

/*
 * Registers, for each database that has entities, an EntityManagerFactory (the database's
 * SessionFactory from UserboundHibernate, multi-tenant on the bound login) and a
 * JpaTransactionManager, both qualified with the database's name.
 *
 * The entity mapping has to be known while bean definitions are read, because the set of
 * EntityManagerFactory beans depends on it (Spring Data's mapping context asks every one of
 * them for its metamodel, so a factory for a database without entities cannot be registered
 * "just in case"). It comes from an EntityMapping bean of the application if there is one
 * (obtained early: it must not depend on other beans), otherwise from
 * userbound.databases.<name>.packages and @UserboundDatabase package annotations.
 *
 * The HibernateJpaDialect bean is each transaction manager's dialect and the
 * PersistenceExceptionTranslator that Spring Data's repositories need (Spring's own
 * LocalContainerEntityManagerFactoryBean is one; a plain SessionFactory is not).
 */
/** Registers the per-database JPA beans. Not API. */
public final class JpaBeans extends Registrars implements ResourceLoaderAware {

  private static final Logger log = LoggerFactory.getLogger(JpaBeans.class);

  /** The name of the entity mapping bean registered when the application has none. */
  public static final String MAPPING = "userboundEntityMapping";

  /** The name of the {@link UserboundHibernate} bean. */
  public static final String HIBERNATE = "userboundHibernate";

  /** The name of the {@link HibernateJpaDialect} bean. */
  public static final String DIALECT = "userboundJpaDialect";

  private ResourceLoader resourceLoader;

  /** Creates the registrar; Spring calls it. */
  public JpaBeans() {}

  @Override
  public void setResourceLoader(ResourceLoader resourceLoader) {
    this.resourceLoader = resourceLoader;
  }

  @Override
  public void registerBeanDefinitions(
      AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
    UserboundProperties properties = Registrars.properties(environment);
    EntityMapping mapping = applicationMapping();
    if (mapping == null) {
      mapping = mappingFromProperties(properties);
      if (mapping == null) {
        log.debug(
            "no entity package is mapped to a database (userbound.databases.<name>.packages or"
                + " @UserboundDatabase): no EntityManagerFactory");
        return;
      }
      EntityMapping built = mapping;
      registry.registerBeanDefinition(
          MAPPING, new RootBeanDefinition(EntityMapping.class, () -> built));
    }
    BeanFactory factory = beanFactory;
    if (!hasBeanOfType(UserboundHibernate.class)) {
      EntityMapping m = mapping;
      RootBeanDefinition hibernate =
          new RootBeanDefinition(
              UserboundHibernate.class,
              () -> hibernate(factory.getBean(Userbound.class), m, properties.getJpa()));
      hibernate.setDestroyMethodName("close");
      registry.registerBeanDefinition(HIBERNATE, hibernate);
    }
    if (!registry.containsBeanDefinition(DIALECT)) {
      registry.registerBeanDefinition(DIALECT, new RootBeanDefinition(HibernateJpaDialect.class));
    }
    for (String database : new LinkedHashSet<>(mapping.packages().values())) {
      String emfName = UserboundBeanNames.entityManagerFactory(database);
      RootBeanDefinition emf =
          new RootBeanDefinition(
              SessionFactory.class,
              () -> factory.getBean(UserboundHibernate.class).sessionFactory(database));
      // UserboundHibernate closes its factories; the context must not close them twice.
      emf.setDestroyMethodName(null);
      Registrars.register(registry, emfName, database, emf);
      if (!registry.isAlias(database) && !registry.containsBeanDefinition(database)) {
        // @PersistenceContext(unitName = "finance") looks the factory up by this name.
        registry.registerAlias(emfName, database);
      }
      RootBeanDefinition tm =
          new RootBeanDefinition(
              JpaTransactionManager.class,
              () -> {
                JpaTransactionManager manager =
                    new JpaTransactionManager(factory.getBean(emfName, SessionFactory.class));
                // JdbcTemplate on the database's DataSource joins the JPA transaction.
                manager.setDataSource(factory.getBean(Userbound.class).dataSource(database));
                manager.setJpaDialect(factory.getBean(DIALECT, HibernateJpaDialect.class));
                return manager;
              });
      Registrars.register(registry, UserboundBeanNames.transactionManager(database), database, tm);
    }
  }

  private boolean hasBeanOfType(Class<?> type) {
    return beanFactory instanceof ListableBeanFactory l
        && l.getBeanNamesForType(type, true, false).length > 0;
  }

  private EntityMapping applicationMapping() {
    if (!(beanFactory instanceof ListableBeanFactory l)) {
      return null;
    }
    String[] names = l.getBeanNamesForType(EntityMapping.class, true, false);
    if (names.length == 0) {
      return null;
    }
    if (names.length > 1) {
      throw new IllegalStateException(
          "more than one EntityMapping bean: " + List.of(names) + "; declare one");
    }
    return l.getBean(names[0], EntityMapping.class);
  }

  private EntityMapping mappingFromProperties(UserboundProperties properties) {
    Map<String, String> packages = new LinkedHashMap<>();
    Map<String, String> sources = new LinkedHashMap<>();
    for (Map.Entry<String, UserboundProperties.Database> e : properties.getDatabases().entrySet()) {
      for (String p : e.getValue().getPackages()) {
        add(
            packages,
            sources,
            p,
            e.getKey(),
            "userbound.databases." + e.getKey() + ".packages",
            properties);
      }
    }
    Set<String> roots = new LinkedHashSet<>(properties.getJpa().getScanPackages());
    if (AutoConfigurationPackages.has(beanFactory)) {
      roots.addAll(AutoConfigurationPackages.get(beanFactory));
    }
    Map<String, String> annotated =
        MappingScan.annotatedPackages(resourceLoader, new ArrayList<>(roots));
    for (Map.Entry<String, String> e : annotated.entrySet()) {
      add(
          packages,
          sources,
          e.getKey(),
          e.getValue(),
          "@UserboundDatabase on package " + e.getKey(),
          properties);
    }
    if (packages.isEmpty()) {
      return null;
    }
    EntityMapping.Builder b = EntityMapping.builder();
    for (Map.Entry<String, String> e : packages.entrySet()) {
      ConfigFactory.set(
          "databases." + e.getValue() + ".packages",
          e.getKey(),
          () -> b.map(e.getKey(), e.getValue()));
    }
    return b.build();
  }

  private static void add(
      Map<String, String> packages,
      Map<String, String> sources,
      String packageName,
      String database,
      String source,
      UserboundProperties properties) {
    if (!properties.getDatabases().containsKey(database)) {
      throw new InvalidConfigurationPropertyValueException(
          "userbound.databases",
          properties.getDatabases().keySet(),
          source
              + " maps "
              + packageName
              + " to '"
              + database
              + "', which is not declared (declare userbound.databases."
              + database
              + ".url)");
    }
    String before = packages.putIfAbsent(packageName, database);
    if (before != null) {
      throw new IllegalStateException(
          "package "
              + packageName
              + " is mapped twice: to '"
              + before
              + "' by "
              + sources.get(packageName)
              + " and to '"
              + database
              + "' by "
              + source
              + "; map each package once");
    }
    sources.put(packageName, source);
  }

  private static UserboundHibernate hibernate(
      Userbound userbound, EntityMapping mapping, UserboundProperties.Jpa jpa) {
    UserboundHibernate.Builder b = UserboundHibernate.builder(userbound, mapping);
    for (Map.Entry<String, String> e : jpa.getProperties().entrySet()) {
      ConfigFactory.set(
          "jpa.properties." + e.getKey(), e.getValue(), () -> b.setting(e.getKey(), e.getValue()));
    }
    if (jpa.getSecondLevelCache() != null) {
      ConfigFactory.set(
          "jpa.second-level-cache",
          jpa.getSecondLevelCache(),
          () -> b.secondLevelCache(jpa.getSecondLevelCache()));
    }
    try {
      return b.build();
    } catch (EntityMappingException e) {
      if (jpa.getSecondLevelCache() != null
          && String.valueOf(e.getMessage()).contains("RegionFactory")) {
        throw new InvalidConfigurationPropertyValueException(
            "userbound.jpa.second-level-cache",
            jpa.getSecondLevelCache(),
            "a second-level cache needs a provider on the class path, e.g."
                + " org.hibernate.orm:hibernate-jcache with com.github.ben-manes.caffeine:jcache ("
                + e.getMessage()
                + ")");
      }
      throw e;
    }
  }
}
