/**
 * Implementation of the test kit: not API, may change in any release without notice.
 *
 * <p>Only {@link io.userbound.testkit.internal.PostgresServers} is public, because the API
 * package calls it. Testcontainers is touched only by {@code DockerPostgresServer}, which is
 * loaded only after its classes were found on the classpath.
 */
package io.userbound.testkit.internal;
