package io.userbound.hibernate.internal;

import java.io.Serializable;
import org.hibernate.cache.internal.DefaultCacheKeysFactory;
import org.hibernate.cache.spi.CacheKeysFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.persister.collection.CollectionPersister;
import org.hibernate.persister.entity.EntityPersister;

/*
 * Hibernate's default cache keys (which carry the tenant), each put into the partition of
 * the login that reads or writes it; see CachePartitions.
 */
final class PartitionedCacheKeys implements CacheKeysFactory {

  /** A key of Hibernate's, in a partition. */
  record Key(Object inner, CachePartitions.Partition partition) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  private final CacheKeysFactory keys = DefaultCacheKeysFactory.INSTANCE;
  private final CachePartitions partitions;

  PartitionedCacheKeys(CachePartitions partitions) {
    this.partitions = partitions;
  }

  @Override
  public Object createCollectionKey(
      Object id,
      CollectionPersister persister,
      SessionFactoryImplementor factory,
      String tenantIdentifier) {
    return new Key(
        keys.createCollectionKey(id, persister, factory, tenantIdentifier), partitions.current());
  }

  @Override
  public Object createEntityKey(
      Object id,
      EntityPersister persister,
      SessionFactoryImplementor factory,
      String tenantIdentifier) {
    return new Key(
        keys.createEntityKey(id, persister, factory, tenantIdentifier), partitions.current());
  }

  @Override
  public Object createNaturalIdKey(
      Object naturalIdValues, EntityPersister persister, SharedSessionContractImplementor session) {
    return new Key(
        keys.createNaturalIdKey(naturalIdValues, persister, session), partitions.current());
  }

  @Override
  public Object getEntityId(Object cacheKey) {
    return keys.getEntityId(((Key) cacheKey).inner());
  }

  @Override
  public Object getCollectionId(Object cacheKey) {
    return keys.getCollectionId(((Key) cacheKey).inner());
  }

  @Override
  public Object getNaturalIdValues(Object cacheKey) {
    return keys.getNaturalIdValues(((Key) cacheKey).inner());
  }
}
