package io.userbound.hibernate;

import io.userbound.core.Login;
import io.userbound.core.Userbound;
import io.userbound.hibernate.internal.DefaultUserboundHibernate;
import io.userbound.hibernate.internal.ManagedSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.hibernate.SessionFactory;
import org.jspecify.annotations.Nullable;

/**
 * Hibernate on top of {@link Userbound}: one {@link SessionFactory} per database, built once
 * at start-up, and per request a {@link UnitOfWork} whose sessions run as the bound person.
 *
 * <pre>{@code
 * // once, at start-up
 * UserboundHibernate hibernate = UserboundHibernate.builder(userbound, mapping).build();
 * // per request, with the person bound (userbound.bind(login))
 * try (UnitOfWork work = hibernate.openUnitOfWork()) {
 *   Invoice inv = work.of(Invoice.class).find(Invoice.class, 42L);
 * }
 * }</pre>
 *
 * <p>Each session factory is multi-tenant: the tenant is the bound login's role name (never
 * its password), and every JDBC connection comes from that person's Userbound pool. A
 * connection asked for on behalf of any other role than the one bound to the thread is
 * refused. Start-up needs no database account: Hibernate gets the PostgreSQL dialect and
 * reads no JDBC metadata, and creates or changes no schema.
 *
 * <p>Caches: Hibernate's second-level and query caches are off unless turned on with
 * {@link Builder#secondLevelCache(Duration)}, which states the longest a cached row may be
 * served after PostgreSQL gave it out. When on, every cached entry is keyed by the person's
 * role, by their login and by a time window of that length: a person only ever gets from
 * the cache what PostgreSQL gave to the same role, under the same login, at most that long
 * ago. So a {@code REVOKE} takes effect for cached rows within the bound, and a person's
 * cached entries are never found again after they log out or log in anew.
 *
 * <p>Thread-safe. Close it at shutdown, before closing the {@link Userbound}.
 */
public interface UserboundHibernate extends AutoCloseable {

  /**
   * Starts a builder.
   *
   * @param userbound where connections come from; not closed by this
   * @param mapping which packages' entities live in which database
   * @return a new builder
   */
  static Builder builder(Userbound userbound, EntityMapping mapping) {
    return new Builder(userbound, mapping);
  }

  /**
   * Opens a unit of work for the login bound to this thread and makes it this thread's
   * {@linkplain #current() current} one until it is closed. Opens no session and no
   * connection yet.
   *
   * @return the unit of work; close it on this thread, in a {@code finally} block or with
   *     try-with-resources
   * @throws io.userbound.core.NotBoundException if no login is bound to this thread
   * @throws IllegalStateException if this instance is closed
   */
  UnitOfWork openUnitOfWork();

  /**
   * Returns the unit of work most recently opened on this thread by this instance and not
   * yet closed: how code deep in a request (or the servlet layer) finds the request's
   * sessions without passing them around.
   *
   * @return the current unit of work, or empty
   */
  Optional<UnitOfWork> current();

  /**
   * Returns the databases that have mapped entities, and so a session factory.
   *
   * @return database names, in the order of the Userbound configuration
   */
  Set<String> databases();

  /**
   * Returns the database that holds an entity class.
   *
   * @param entityClass a mapped entity class, or a subclass of one
   * @return the database name
   * @throws IllegalArgumentException if the class is not a mapped entity
   */
  String database(Class<?> entityClass);

  /**
   * Returns the entity classes mapped to a database.
   *
   * @param database a database name
   * @return the entity classes, sorted by name; empty if none are mapped there
   */
  List<Class<?>> entities(String database);

  /**
   * Returns the session factory of a database, for what {@link UnitOfWork} does not offer
   * (statistics, {@code getCache().evictAll()}, the metamodel). It is shared: do not close it.
   * Sessions opened from it directly, without a tenant, take the login bound to the thread.
   *
   * @param database a database that has mapped entities
   * @return the session factory
   * @throws IllegalArgumentException if no entity is mapped to the database
   */
  SessionFactory sessionFactory(String database);

  /**
   * Checks every database's tables against the mapped entities (Hibernate's schema
   * validation), connecting as the given login; binds it to this thread for the duration
   * and restores the previous binding. It checks tables, columns and types, not privileges:
   * PostgreSQL's catalogs show every table to every role, so any login that may connect will
   * do, and a role without {@code SELECT} on a table still passes.
   *
   * @param login a login made by the same {@link Userbound}
   * @throws EntityMappingException naming the database and Hibernate's finding if a table or
   *     column is missing or of the wrong type
   */
  void validateSchema(Login login);

  /**
   * Closes every session factory (and its caches). Units of work still open fail on their
   * next use. Does not close the {@link Userbound}. Never throws; idempotent.
   */
  @Override
  void close();

  /**
   * Builds a {@link UserboundHibernate}. Not thread-safe.
   */
  final class Builder {

    private final Userbound userbound;
    private final EntityMapping mapping;
    private final Map<String, Object> settings = new LinkedHashMap<>();
    private @Nullable Duration cacheStaleness;

    private Builder(Userbound userbound, EntityMapping mapping) {
      this.userbound = Objects.requireNonNull(userbound, "userbound");
      this.mapping = Objects.requireNonNull(mapping, "mapping");
    }

    /**
     * Adds a Hibernate setting for every session factory, e.g.
     * {@code setting("hibernate.show_sql", "true")} or the cache provider,
     * {@code setting("hibernate.cache.region.factory_class", "jcache")} (the caches
     * themselves are turned on with {@link #secondLevelCache(Duration)}).
     *
     * <p>Settings that would undo what Userbound is for are refused: connection settings
     * (URL, user, password, data source, connection provider), the multi-tenancy settings,
     * the dialect, JDBC metadata access at boot, schema creation
     * ({@code hibernate.hbm2ddl.auto} and its Jakarta forms; see
     * {@link UserboundHibernate#validateSchema(Login)}), turning the caches on (see
     * {@link #secondLevelCache(Duration)}) and the cache keys factory.
     *
     * @param key the setting's name
     * @param value its value, usually a string
     * @return this builder
     * @throws IllegalArgumentException if Userbound manages the setting itself
     */
    public Builder setting(String key, Object value) {
      Objects.requireNonNull(key, "setting key");
      Objects.requireNonNull(value, "setting value");
      String refusal = ManagedSettings.refusal(key);
      if (refusal != null) {
        throw new IllegalArgumentException("setting " + key + ": " + refusal);
      }
      settings.put(key, value);
      return this;
    }

    /**
     * Turns on Hibernate's second-level and query caches, and states how stale a cached
     * row may get: an entry is served at most this long after PostgreSQL gave it to the
     * person, and only under the login it was read with (see the class comment). Give the
     * cache provider as usual, e.g. {@code setting("hibernate.cache.region.factory_class",
     * "jcache")}, with an expiry of at least this and a size limit, so that entries no one
     * can find any more are freed. Default: caches off.
     *
     * @param maxStaleness how long a cached row may be served; at least 1 ms
     * @return this builder
     * @throws IllegalArgumentException if the bound is shorter than 1 ms
     */
    public Builder secondLevelCache(Duration maxStaleness) {
      Objects.requireNonNull(maxStaleness, "secondLevelCache");
      if (maxStaleness.toMillis() < 1) {
        throw new IllegalArgumentException(
            "secondLevelCache = " + maxStaleness + ": must be at least 1 ms");
      }
      this.cacheStaleness = maxStaleness;
      return this;
    }

    /**
     * Scans for entities, checks the mapping and builds one session factory per database
     * that has entities. Connects to no database.
     *
     * @return the started instance; close it at shutdown
     * @throws EntityMappingException if an entity is in no mapped package or in packages
     *     mapped to two databases, a package is mapped to a database the Userbound
     *     configuration does not declare, a mapped package holds no {@code @Entity} class,
     *     or Hibernate refuses the entities of a database
     */
    public UserboundHibernate build() {
      return new DefaultUserboundHibernate(userbound, mapping, settings, cacheStaleness);
    }
  }
}
