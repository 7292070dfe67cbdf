/**
 * Micrometer meters for Userbound: {@link io.userbound.micrometer.UserboundMetrics}, a
 * {@code MeterBinder} with gauges, counters and timers per database (never per person, so
 * the number of meters does not grow with the people logged in).
 */
@NullMarked
package io.userbound.micrometer;

import org.jspecify.annotations.NullMarked;
