package io.userbound.hibernate.internal;

import io.userbound.core.Binding;
import io.userbound.core.DatabaseConfig;
import io.userbound.core.LogText;
import io.userbound.core.Login;
import io.userbound.core.NotBoundException;
import io.userbound.core.Userbound;
import io.userbound.hibernate.EntityMapping;
import io.userbound.hibernate.EntityMappingException;
import io.userbound.hibernate.UnitOfWork;
import io.userbound.hibernate.UserboundHibernate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hibernate.HibernateException;
import org.hibernate.SessionFactory;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.dialect.DatabaseVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Builds one SessionFactory per database that has entities, each with its own service
 * registry, dialect instance, connection provider and tenant resolver, all bound to that
 * database's name. Nothing here connects: Hibernate gets the dialect and no JDBC metadata
 * access, and hbm2ddl is "none".
 *
 * The current unit of work lives in an instance ThreadLocal (no static state), as a stack
 * through DefaultUnitOfWork.previous, so that nested units of work restore the outer one.
 */
/**
 * The implementation of {@link UserboundHibernate}. Not API: use
 * {@link UserboundHibernate#builder(Userbound, EntityMapping)}.
 */
public final class DefaultUserboundHibernate implements UserboundHibernate {

  private static final Logger log = LoggerFactory.getLogger(UserboundHibernate.class);

  private final Userbound userbound;
  private final EntityScanner.Result scan;
  private final Map<String, SessionFactory> factories;
  private final Set<String> declared;

  @SuppressWarnings(
      "ThreadLocalUsage") // per instance on purpose: one open unit of work per thread and instance
  private final ThreadLocal<DefaultUnitOfWork> current = new ThreadLocal<>();

  private final Duration cacheStaleness;
  private volatile boolean closed;

  /**
   * Scans, checks and builds; see {@link UserboundHibernate.Builder#build()}.
   *
   * @param userbound where connections come from
   * @param mapping the entity mapping
   * @param settings the user's Hibernate settings, already checked
   * @param cacheStaleness how stale a cached row may get, or {@code null} with the caches off
   */
  public DefaultUserboundHibernate(
      Userbound userbound,
      EntityMapping mapping,
      Map<String, Object> settings,
      Duration cacheStaleness) {
    this.userbound = userbound;
    this.cacheStaleness = cacheStaleness;
    Set<String> names = new LinkedHashSet<>();
    for (DatabaseConfig d : userbound.config().databases()) {
      names.add(d.name());
    }
    this.declared = Collections.unmodifiableSet(names);
    this.scan = EntityScanner.scan(mapping, declared);
    DatabaseVersion version = version(settings);
    Map<String, SessionFactory> built = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, List<Class<?>>> e : scan.managedClasses().entrySet()) {
        built.put(e.getKey(), build(e.getKey(), e.getValue(), settings, version));
      }
    } catch (RuntimeException e) {
      built.values().forEach(SessionFactory::close);
      throw e;
    }
    this.factories = Collections.unmodifiableMap(built);
    log.info("Hibernate session factories built for {}", scan.managedClasses().keySet());
  }

  private SessionFactory build(
      String database,
      List<Class<?>> classes,
      Map<String, Object> settings,
      DatabaseVersion version) {
    StandardServiceRegistryBuilder rb = new StandardServiceRegistryBuilder();
    boolean caching = cacheStaleness != null;
    rb.applySetting(AvailableSettings.USE_SECOND_LEVEL_CACHE, Boolean.toString(caching));
    rb.applySetting(AvailableSettings.USE_QUERY_CACHE, Boolean.toString(caching));
    // A unit of work lives for one request: keep the connection it first takes until it
    // closes, instead of handing it back (and resetting the session) after every
    // statement that runs outside a transaction.
    rb.applySetting(AvailableSettings.CONNECTION_HANDLING, "DELAYED_ACQUISITION_AND_HOLD");
    rb.applySettings(settings);
    rb.applySetting(AvailableSettings.DIALECT, new UserboundDialect(database, userbound, version));
    rb.applySetting(
        AvailableSettings.MULTI_TENANT_CONNECTION_PROVIDER,
        new UserboundConnectionProvider(userbound, database));
    rb.applySetting(AvailableSettings.ALLOW_METADATA_ON_BOOT, "false");
    rb.applySetting(AvailableSettings.HBM2DDL_AUTO, "none");
    rb.addInitiator(
        TenantKeyedRegionFactory.initiator(
            new CachePartitions(userbound, caching ? cacheStaleness : Duration.ofMinutes(1))));
    StandardServiceRegistry registry = rb.build();
    try {
      MetadataSources sources = new MetadataSources(registry);
      classes.forEach(sources::addAnnotatedClass);
      return sources
          .buildMetadata()
          .getSessionFactoryBuilder()
          .applyCurrentTenantIdentifierResolver(new BoundTenantResolver(userbound))
          .build();
    } catch (RuntimeException e) {
      StandardServiceRegistryBuilder.destroy(registry);
      throw new EntityMappingException(
          "Hibernate refused the entities of database '"
              + database
              + "' "
              + classes.stream().map(Class::getSimpleName).toList()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * The server version the dialect assumes: Hibernate's minimum for PostgreSQL unless the user
   * says.
   */
  private static DatabaseVersion version(Map<String, Object> settings) {
    Object major = settings.get(AvailableSettings.JAKARTA_HBM2DDL_DB_MAJOR_VERSION);
    Object minor = settings.get(AvailableSettings.JAKARTA_HBM2DDL_DB_MINOR_VERSION);
    if (major == null) {
      return null;
    }
    try {
      return DatabaseVersion.make(
          Integer.parseInt(major.toString().trim()),
          minor == null ? 0 : Integer.parseInt(minor.toString().trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "setting "
              + AvailableSettings.JAKARTA_HBM2DDL_DB_MAJOR_VERSION
              + " = "
              + major
              + ", "
              + AvailableSettings.JAKARTA_HBM2DDL_DB_MINOR_VERSION
              + " = "
              + minor
              + ": must be whole numbers",
          e);
    }
  }

  @Override
  public UnitOfWork openUnitOfWork() {
    if (closed) {
      throw new IllegalStateException("this UserboundHibernate is closed");
    }
    Login login =
        userbound
            .current()
            .orElseThrow(
                () ->
                    new NotBoundException(
                        "openUnitOfWork() needs the person bound to this thread; bind the login"
                            + " first (userbound.bind(login))"));
    DefaultUnitOfWork work = new DefaultUnitOfWork(this, login, current.get());
    current.set(work);
    return work;
  }

  @Override
  public Optional<UnitOfWork> current() {
    return Optional.ofNullable(currentOpen());
  }

  private DefaultUnitOfWork currentOpen() {
    DefaultUnitOfWork top = current.get();
    DefaultUnitOfWork w = top;
    while (w != null && w.isClosed()) {
      w = w.previous();
    }
    if (w != top) {
      restore(w);
    }
    return w;
  }

  /** Called by a unit of work closing on its own thread. */
  void closed(DefaultUnitOfWork work) {
    if (current.get() == work) {
      DefaultUnitOfWork w = work.previous();
      while (w != null && w.isClosed()) {
        w = w.previous();
      }
      restore(w);
    }
  }

  private void restore(DefaultUnitOfWork w) {
    if (w == null) {
      current.remove();
    } else {
      current.set(w);
    }
  }

  Userbound userbound() {
    return userbound;
  }

  @Override
  public Set<String> databases() {
    return factories.keySet();
  }

  @Override
  public String database(Class<?> entityClass) {
    for (Class<?> c = entityClass; c != null && c != Object.class; c = c.getSuperclass()) {
      String db = scan.entityDatabases().get(c);
      if (db != null) {
        return db;
      }
    }
    throw new IllegalArgumentException(
        entityClass.getName()
            + " is not a mapped entity; mapped: "
            + scan.entityDatabases().keySet().stream().map(Class::getName).sorted().toList());
  }

  @Override
  public List<Class<?>> entities(String database) {
    return scan.entities(database);
  }

  @Override
  public SessionFactory sessionFactory(String database) {
    if (closed) {
      throw new IllegalStateException("this UserboundHibernate is closed");
    }
    SessionFactory f = factories.get(database);
    if (f == null) {
      if (!declared.contains(database)) {
        userbound
            .config()
            .database(database); // throws UnknownDatabaseException naming the declared ones
      }
      throw new IllegalArgumentException(
          "no entity is mapped to database '"
              + database
              + "'; databases with entities: "
              + factories.keySet());
    }
    return f;
  }

  @Override
  public void validateSchema(Login login) {
    List<String> problems = new ArrayList<>();
    RuntimeException first = null;
    Binding binding = userbound.bind(login);
    try {
      for (Map.Entry<String, SessionFactory> e : factories.entrySet()) {
        try {
          e.getValue().getSchemaManager().validateMappedObjects();
        } catch (HibernateException ex) {
          problems.add("database '" + e.getKey() + "': " + ex.getMessage());
          first = first == null ? ex : first;
        }
      }
    } finally {
      binding.close();
    }
    if (!problems.isEmpty()) {
      throw new EntityMappingException(
          "schema validation as role '"
              + LogText.escape(login.role(), 64)
              + "' failed: "
              + String.join("; ", problems),
          first);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Map.Entry<String, SessionFactory> e : factories.entrySet()) {
      try {
        e.getValue().close();
      } catch (RuntimeException ex) {
        log.warn("closing the session factory of database '{}' failed", e.getKey(), ex);
      }
    }
  }

  boolean isClosedInstance() {
    return closed;
  }

  @Override
  public String toString() {
    return "UserboundHibernate" + factories.keySet() + (closed ? " (closed)" : "");
  }
}
