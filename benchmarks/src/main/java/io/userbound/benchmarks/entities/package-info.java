/**
 * The entity of the Hibernate benchmark: a row of the {@code item} table that every person
 * may read. Mapped to the {@code bench} database.
 */
package io.userbound.benchmarks.entities;
