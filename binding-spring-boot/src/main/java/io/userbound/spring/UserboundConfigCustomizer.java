package io.userbound.spring;

import io.userbound.core.UserboundConfig;

/**
 * Changes the {@link UserboundConfig} that the auto-configuration builds from the {@code
 * userbound.*} properties, for what properties cannot say: a {@link
 * io.userbound.core.LoginPolicy}, {@link io.userbound.core.UserboundListener}s, a {@link
 * io.userbound.core.Ticker}. Declare one or more as beans; they run in their {@code @Order},
 * after the properties, on the thread that starts the application context.
 */
@FunctionalInterface
public interface UserboundConfigCustomizer {

  /**
   * Changes the builder.
   *
   * @param builder the builder, with the properties already applied
   */
  void customize(UserboundConfig.Builder builder);
}
