/**
 * Userbound's core API: per-person PostgreSQL connection pools across named databases.
 *
 * <p>Start with {@link io.userbound.core.Userbound}. Configuration is
 * {@link io.userbound.core.UserboundConfig} and {@link io.userbound.core.DatabaseConfig};
 * every exception Userbound throws on purpose extends
 * {@link io.userbound.core.UserboundException}.
 */
@NullMarked
package io.userbound.core;

import org.jspecify.annotations.NullMarked;
