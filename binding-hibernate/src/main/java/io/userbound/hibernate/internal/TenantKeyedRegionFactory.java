package io.userbound.hibernate.internal;

import java.io.Serializable;
import java.util.Map;
import org.hibernate.boot.registry.StandardServiceInitiator;
import org.hibernate.boot.spi.SessionFactoryOptions;
import org.hibernate.cache.cfg.spi.DomainDataRegionBuildingContext;
import org.hibernate.cache.cfg.spi.DomainDataRegionConfig;
import org.hibernate.cache.internal.NoCachingRegionFactory;
import org.hibernate.cache.internal.RegionFactoryInitiator;
import org.hibernate.cache.spi.CacheKeysFactory;
import org.hibernate.cache.spi.CacheTransactionSynchronization;
import org.hibernate.cache.spi.DomainDataRegion;
import org.hibernate.cache.spi.QueryResultsRegion;
import org.hibernate.cache.spi.RegionFactory;
import org.hibernate.cache.spi.TimestampsRegion;
import org.hibernate.cache.spi.access.AccessType;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.service.spi.Configurable;
import org.hibernate.service.spi.ServiceRegistryAwareService;
import org.hibernate.service.spi.ServiceRegistryImplementor;
import org.hibernate.service.spi.Startable;

/*
 * Keys every query-cache entry by tenant, explicitly.
 *
 * What Hibernate 7 does by itself (checked in 7.4's source and by CacheTest): second-level
 * cache keys of entities, collections and natural ids carry the tenant id
 * (DefaultCacheKeysFactory; the "simple" keys factory drops it, so Userbound refuses
 * hibernate.cache.keys_factory). The query cache key (QueryKey) has no tenant field; the
 * tenant only travels inside the parameter-bindings memento of HQL and native queries, and
 * stored-procedure calls use a constant memento without it. With a multi-tenant factory, a
 * cacheable procedure call would then hand one person's results to the next, without
 * PostgreSQL being asked.
 *
 * So this wraps whatever region factory Hibernate resolves from the user's settings and
 * wraps each query-results region it builds: every key becomes (tenant, Hibernate's key),
 * whatever Hibernate put into its own key. Entity, collection and timestamp regions pass
 * through unchanged.
 *
 * Every key, query results and entity data alike, is also put into the partition of the
 * login that reads it (see CachePartitions): domain-data regions are built with
 * PartitionedCacheKeys as the enforced keys factory.
 *
 * It replaces the RegionFactory initiator of the service registry: Hibernate's own initiator
 * resolves the user's choice, then the result is wrapped; the service lifecycle calls the
 * registry makes on the wrapper (service injection, configuration, start) are forwarded.
 */
final class TenantKeyedRegionFactory
    implements RegionFactory, ServiceRegistryAwareService, Configurable, Startable {

  private static final long serialVersionUID = 1L;

  private final RegionFactory delegate;
  private final transient CachePartitions partitions;
  private final transient PartitionedCacheKeys keys;

  private TenantKeyedRegionFactory(RegionFactory delegate, CachePartitions partitions) {
    this.delegate = delegate;
    this.partitions = partitions;
    this.keys = new PartitionedCacheKeys(partitions);
  }

  /** The registry initiator that installs this wrapper around the configured region factory. */
  static StandardServiceInitiator<RegionFactory> initiator(CachePartitions partitions) {
    return new StandardServiceInitiator<>() {
      @Override
      public Class<RegionFactory> getServiceInitiated() {
        return RegionFactory.class;
      }

      @Override
      public RegionFactory initiateService(
          Map<String, Object> values, ServiceRegistryImplementor registry) {
        RegionFactory resolved = RegionFactoryInitiator.INSTANCE.initiateService(values, registry);
        return resolved == null || resolved instanceof NoCachingRegionFactory
            ? resolved
            : new TenantKeyedRegionFactory(resolved, partitions);
      }
    };
  }

  @Override
  public void injectServices(ServiceRegistryImplementor serviceRegistry) {
    if (delegate instanceof ServiceRegistryAwareService aware) {
      aware.injectServices(serviceRegistry);
    }
  }

  @Override
  public void configure(Map<String, Object> configurationValues) {
    if (delegate instanceof Configurable configurable) {
      configurable.configure(configurationValues);
    }
  }

  @Override
  public void start() {
    if (delegate instanceof Startable startable) {
      startable.start();
    }
  }

  @Override
  public void start(SessionFactoryOptions settings, Map<String, Object> configValues) {
    delegate.start(settings, configValues);
  }

  @Override
  public void stop() {
    delegate.stop();
  }

  @Override
  public boolean isMinimalPutsEnabledByDefault() {
    return delegate.isMinimalPutsEnabledByDefault();
  }

  @Override
  public AccessType getDefaultAccessType() {
    return delegate.getDefaultAccessType();
  }

  @Override
  public String qualify(String regionName) {
    return delegate.qualify(regionName);
  }

  @Override
  public CacheTransactionSynchronization createTransactionContext(
      SharedSessionContractImplementor session) {
    return delegate.createTransactionContext(session);
  }

  @Override
  public long nextTimestamp() {
    return delegate.nextTimestamp();
  }

  @Override
  public long getTimeout() {
    return delegate.getTimeout();
  }

  @Override
  public DomainDataRegion buildDomainDataRegion(
      DomainDataRegionConfig config, DomainDataRegionBuildingContext context) {
    return delegate.buildDomainDataRegion(
        config,
        new DomainDataRegionBuildingContext() {
          @Override
          public CacheKeysFactory getEnforcedCacheKeysFactory() {
            return keys;
          }

          @Override
          public SessionFactoryImplementor getSessionFactory() {
            return context.getSessionFactory();
          }
        });
  }

  @Override
  public QueryResultsRegion buildQueryResultsRegion(
      String regionName, SessionFactoryImplementor sessionFactory) {
    return new TenantKeyedQueryResults(
        delegate.buildQueryResultsRegion(regionName, sessionFactory), partitions);
  }

  @Override
  public TimestampsRegion buildTimestampsRegion(
      String regionName, SessionFactoryImplementor sessionFactory) {
    return delegate.buildTimestampsRegion(regionName, sessionFactory);
  }

  @Override
  public String toString() {
    return "TenantKeyedRegionFactory[" + delegate + "]";
  }

  /** A cache key that belongs to one tenant, in one login's partition. */
  record TenantKey(Object tenant, CachePartitions.Partition partition, Object key)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** A query-results region whose keys carry the session's tenant and partition. */
  static final class TenantKeyedQueryResults implements QueryResultsRegion {

    private final QueryResultsRegion delegate;
    private final CachePartitions partitions;

    TenantKeyedQueryResults(QueryResultsRegion delegate, CachePartitions partitions) {
      this.delegate = delegate;
      this.partitions = partitions;
    }

    @Override
    public Object getFromCache(Object key, SharedSessionContractImplementor session) {
      return delegate.getFromCache(keyOf(key, session), session);
    }

    @Override
    public void putIntoCache(Object key, Object value, SharedSessionContractImplementor session) {
      delegate.putIntoCache(keyOf(key, session), value, session);
    }

    private TenantKey keyOf(Object key, SharedSessionContractImplementor session) {
      Object tenant = session.getTenantIdentifierValue();
      if (tenant == null) {
        throw new IllegalStateException(
            "query cache used by a session without a tenant; refusing to share results");
      }
      return new TenantKey(tenant, partitions.current(), key);
    }

    @Override
    public String getName() {
      return delegate.getName();
    }

    @Override
    public RegionFactory getRegionFactory() {
      return delegate.getRegionFactory();
    }

    @Override
    public void clear() {
      delegate.clear();
    }

    @Override
    public void destroy() {
      delegate.destroy();
    }
  }
}
