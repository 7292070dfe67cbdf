package io.userbound.testkit;

/**
 * Where a {@link PostgresServer} comes from.
 *
 * <p>Immutable and thread-safe.
 */
public enum Source {
  /**
   * Choose automatically: the source forced by {@code USERBOUND_TEST_PG} if set; else
   * {@link #EXTERNAL} if an external URL is given (in the options or in
   * {@code USERBOUND_TEST_PG_URL}); else {@link #LOCAL} if PostgreSQL server binaries are found;
   * else {@link #DOCKER} if Testcontainers is on the classpath and a Docker engine answers.
   */
  AUTO,
  /** A fresh cluster made with the local {@code initdb} and run as a child process. */
  LOCAL,
  /** An existing server reached by JDBC URL with superuser credentials; never stopped. */
  EXTERNAL,
  /** A {@code postgres:15-alpine} container started with Testcontainers. */
  DOCKER
}
