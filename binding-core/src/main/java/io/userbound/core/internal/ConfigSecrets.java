package io.userbound.core.internal;

import io.userbound.core.DatabaseConfig;
import java.util.Objects;
import java.util.function.Function;

/**
 * Not API. How Userbound's internals read the one secret a configuration holds, the gateway
 * password of ROLE_SWITCHING, without a public getter for it: DatabaseConfig hands this
 * class a reader once, when it is initialised. The package is not exported by the module.
 */
public final class ConfigSecrets {

  private static volatile Function<DatabaseConfig, char[]> gatewayPassword;

  private ConfigSecrets() {}

  /**
   * Not API: called once by DatabaseConfig.
   *
   * @param reader returns a copy of a configuration's gateway password
   */
  public static synchronized void register(Function<DatabaseConfig, char[]> reader) {
    if (gatewayPassword != null) {
      throw new IllegalStateException("already registered");
    }
    gatewayPassword = Objects.requireNonNull(reader, "reader");
  }

  /** {@return a copy of the gateway password (the caller wipes it), or null} */
  static char[] gatewayPassword(DatabaseConfig config) {
    return gatewayPassword.apply(config);
  }
}
