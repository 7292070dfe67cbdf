/**
 * JMH benchmarks of Userbound against an open connection, a shared HikariCP pool, the naive
 * pool-per-request pattern, a new physical connection per request, commons-dbcp2 and c3p0, on
 * real PostgreSQL servers that each benchmark starts and stops itself with
 * {@code binding-testkit}; plus the idle-footprint harness and the report step.
 *
 * <p>Not API: nothing here is published. Run it with {@link io.userbound.benchmarks.Main}.
 */
package io.userbound.benchmarks;
