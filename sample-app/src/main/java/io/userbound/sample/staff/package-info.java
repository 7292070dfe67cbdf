/**
 * Entities of the {@code staff} database: {@link io.userbound.sample.staff.Project} and
 * {@link io.userbound.sample.staff.Hour}. The whole package is mapped to {@code staff} by the
 * entity mapping in {@link io.userbound.sample.SampleApp}; the tables are created by
 * {@code db/staff.sql}.
 */
package io.userbound.sample.staff;
