/**
 * Entities of the {@code finance} database: {@link io.userbound.sample.finance.Employee},
 * {@link io.userbound.sample.finance.Customer} and {@link io.userbound.sample.finance.Invoice}.
 * The whole package is mapped to {@code finance} by the entity mapping in
 * {@link io.userbound.sample.SampleApp}; the tables are created by {@code db/finance.sql}.
 */
package io.userbound.sample.finance;
