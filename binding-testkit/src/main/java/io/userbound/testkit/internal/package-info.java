/**
 * Implementation of the test kit: not API, may change in any release without notice.
 *
 * <p>Two sides, and dependencies run one way. The server side ({@code PostgresServers} and the
 * {@code *PostgresServer} classes) starts servers and never names PgBouncer. The PgBouncer
 * side ({@code LocalPgBouncer}, {@code ThroughPgBouncer}, {@code PgBouncers}, {@code
 * PgBouncerConsole}) knows servers: it stands in front of them through {@link
 * io.userbound.testkit.internal.ServerFront}, which the server side finds with {@link
 * java.util.ServiceLoader}. {@code Env}, {@code Sql}, {@code RunAs}, {@code ShutdownHooks} and
 * {@code Passwords} serve both.
 *
 * <p>Public only where the API package calls in: {@code PostgresServers}, {@code
 * LocalPgBouncer}, {@code PgBouncers}, and {@code ServerFront} for {@code ServiceLoader}.
 * Testcontainers is touched only by {@code DockerPostgresServer}, which is loaded only after
 * its classes were found on the classpath.
 */
package io.userbound.testkit.internal;
