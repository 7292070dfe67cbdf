/**
 * JMH benchmarks of Userbound (and binding-hibernate) against already-open connections, a plain
 * map of HikariCP pools, a shared HikariCP pool, the naive pool-per-request pattern, a new
 * physical connection per request, commons-dbcp2 and c3p0, on real PostgreSQL servers that each
 * benchmark starts and stops itself with {@code binding-testkit}; one file per contender, all
 * on the shared {@link io.userbound.benchmarks.Contender} state; plus the interleaved
 * cross-check, the idle-footprint harness and the report step.
 *
 * <p>Not API: nothing here is published. Run it with {@link io.userbound.benchmarks.Main}.
 */
package io.userbound.benchmarks;
