/**
 * Throw-away PostgreSQL servers with password (SCRAM) authentication, for tests, demos and
 * benchmarks.
 *
 * <p>Start one with {@link io.userbound.testkit.PostgresServer#start(PostgresOptions)}, or let
 * {@link io.userbound.testkit.PostgresExtension} share one server across all test classes of a
 * JVM. Where the server comes from is chosen by {@link io.userbound.testkit.Source}: local
 * PostgreSQL binaries, an existing server given by URL, or a Testcontainers container.
 *
 * <p>Environment variables (each also readable as the system property in brackets):
 * <ul>
 *   <li>{@code USERBOUND_TEST_PG} ({@code userbound.test.pg}): {@code local}, {@code external}
 *       or {@code docker} forces a source;</li>
 *   <li>{@code USERBOUND_TEST_PG_URL}, {@code USERBOUND_TEST_PG_USER},
 *       {@code USERBOUND_TEST_PG_PASSWORD} ({@code userbound.test.pg.url}, {@code .user},
 *       {@code .password}): an existing server and its superuser;</li>
 *   <li>{@code USERBOUND_PG_BIN} ({@code userbound.pg.bin}): the directory holding
 *       {@code initdb}, {@code postgres} and {@code pg_ctl}.</li>
 * </ul>
 */
@NullMarked
package io.userbound.testkit;

import org.jspecify.annotations.NullMarked;
