package io.userbound.spring.internal;

import io.userbound.core.DatabaseConfig;
import io.userbound.core.LoginThrottling;
import io.userbound.core.UserboundConfig;
import io.userbound.spring.UserboundConfigCustomizer;
import io.userbound.spring.UserboundProperties;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/*
 * Turns the bound userbound.* properties into a UserboundConfig through the same builders
 * code uses, so that the checks and their wording are the builders'. Each setter runs inside
 * set(), which reports a refusal as Spring Boot's InvalidConfigurationPropertyValueException
 * naming the property (its failure analyzer prints the property, the value and the reason).
 * Values of secret properties are reported as "****"; URLs masked.
 */
/** Builds a {@link UserboundConfig} from {@link UserboundProperties}. Not API. */
public final class ConfigFactory {

  private static final String PREFIX = "userbound.";

  private ConfigFactory() {}

  /**
   * Builds the configuration.
   *
   * @param properties the bound properties
   * @param customizers applied in order, after the properties
   * @return the configuration
   * @throws InvalidConfigurationPropertyValueException naming the first bad property
   */
  public static UserboundConfig build(
      UserboundProperties properties, List<UserboundConfigCustomizer> customizers) {
    UserboundConfig.Builder b = UserboundConfig.builder();
    if (properties.getDatabases().isEmpty()) {
      throw new InvalidConfigurationPropertyValueException(
          PREFIX + "databases",
          "{}",
          "declare at least one database, e.g. userbound.databases.finance.url="
              + "jdbc:postgresql://localhost/finance");
    }
    for (Map.Entry<String, UserboundProperties.Database> e : properties.getDatabases().entrySet()) {
      b.database(database(e.getKey(), e.getValue()));
    }
    if (properties.getApplicationName() != null) {
      set(
          "application-name",
          properties.getApplicationName(),
          () -> b.applicationName(properties.getApplicationName()));
    }
    if (!properties.getVerifyLoginsOn().isEmpty()) {
      set(
          "verify-logins-on",
          properties.getVerifyLoginsOn(),
          () -> b.verifyLoginsOn(properties.getVerifyLoginsOn().toArray(String[]::new)));
    }
    b.jmx(properties.isJmx());
    b.auditLog(properties.isAuditLog());
    b.loginThrottling(throttling(properties.getLoginThrottling()));
    for (UserboundConfigCustomizer c : customizers) {
      c.customize(b);
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      // Combinations (verify-logins-on naming an undeclared database, ...).
      throw new InvalidConfigurationPropertyValueException(
          PREFIX.substring(0, PREFIX.length() - 1), "(combination)", e.getMessage());
    }
  }

  private static DatabaseConfig database(String name, UserboundProperties.Database p) {
    String at = "databases." + name + ".";
    if (p.getUrl() == null || p.getUrl().isBlank()) {
      throw new InvalidConfigurationPropertyValueException(
          PREFIX + at + "url",
          p.getUrl(),
          "every database needs a JDBC URL, e.g. jdbc:postgresql://localhost:5432/" + name);
    }
    DatabaseConfig.Builder[] holder = new DatabaseConfig.Builder[1];
    set(
        at + "url",
        DatabaseConfig.maskUrl(p.getUrl()),
        () -> holder[0] = DatabaseConfig.builder(name, p.getUrl()));
    DatabaseConfig.Builder d = holder[0];
    ifSet(at + "budget", p.getBudget(), d::budget);
    ifSet(
        at + "max-connections-per-person",
        p.getMaxConnectionsPerPerson(),
        d::maxConnectionsPerPerson);
    ifSet(at + "connection-timeout", p.getConnectionTimeout(), d::connectionTimeout);
    ifSet(at + "hand-back-timeout", p.getHandBackTimeout(), d::handBackTimeout);
    ifSet(at + "idle-timeout", p.getIdleTimeout(), d::idleTimeout);
    ifSet(at + "max-lifetime", p.getMaxLifetime(), d::maxLifetime);
    ifSet(at + "login-recheck", p.getLoginRecheck(), d::loginRecheck);
    ifSet(at + "max-pools", p.getMaxPools(), d::maxPools);
    ifSet(at + "session-reset", p.getSessionReset(), d::sessionReset);
    ifSet(at + "reclaim-ahead", p.getReclaimAhead(), d::reclaimAhead);
    for (Map.Entry<String, String> e : p.getDriverProperties().entrySet()) {
      boolean secret = e.getKey().toLowerCase(Locale.ROOT).contains("password");
      set(
          at + "driver-properties." + e.getKey(),
          secret ? "****" : e.getValue(),
          () -> d.driverProperty(e.getKey(), e.getValue()));
    }
    UserboundProperties.RoleSwitching rs = p.getRoleSwitching();
    char[] password = rs.getPassword();
    try {
      if (rs.getRole() != null || password != null) {
        if (rs.getRole() == null || password == null) {
          throw new InvalidConfigurationPropertyValueException(
              PREFIX + at + "role-switching." + (rs.getRole() == null ? "role" : "password"),
              null,
              "ROLE_SWITCHING needs both role-switching.role and role-switching.password");
        }
        set(at + "role-switching", "****", () -> d.roleSwitching(rs.getRole(), password));
      }
    } finally {
      if (password != null) {
        Arrays.fill(password, '\0');
      }
    }
    DatabaseConfig[] built = new DatabaseConfig[1];
    set("databases." + name, DatabaseConfig.maskUrl(p.getUrl()), () -> built[0] = d.build());
    return built[0];
  }

  private static LoginThrottling throttling(UserboundProperties.Throttling p) {
    String at = "login-throttling.";
    LoginThrottling.Builder t = LoginThrottling.builder();
    ifSet(at + "failures-per-role", p.getFailuresPerRole(), t::failuresPerRole);
    ifSet(at + "failures-per-client", p.getFailuresPerClient(), t::failuresPerClient);
    ifSet(at + "backoff", p.getBackoff(), t::backoff);
    ifSet(at + "max-backoff-per-role", p.getMaxBackoffPerRole(), t::maxBackoffPerRole);
    ifSet(at + "max-backoff-per-client", p.getMaxBackoffPerClient(), t::maxBackoffPerClient);
    ifSet(at + "forget-after", p.getForgetAfter(), t::forgetAfter);
    ifSet(at + "max-tracked", p.getMaxTracked(), t::maxTracked);
    ifSet(at + "max-concurrent-logins", p.getMaxConcurrentLogins(), t::maxConcurrentLogins);
    LoginThrottling[] built = new LoginThrottling[1];
    set("login-throttling", "(combination)", () -> built[0] = t.build());
    return built[0];
  }

  private static <T> void ifSet(String property, T value, Consumer<T> setter) {
    if (value != null) {
      set(property, value, () -> setter.accept(value));
    }
  }

  /**
   * Runs one builder call and reports its refusal against the property.
   *
   * @param property the property name below {@code userbound.}
   * @param shownValue the value to show in the message (masked for secrets)
   * @param call the builder call
   */
  public static void set(String property, Object shownValue, Runnable call) {
    try {
      call.run();
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new InvalidConfigurationPropertyValueException(
          PREFIX + property, shownValue, String.valueOf(e.getMessage()));
    }
  }
}
