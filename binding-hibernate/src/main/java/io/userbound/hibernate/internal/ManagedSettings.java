package io.userbound.hibernate.internal;

import java.util.Locale;
import java.util.Map;

/**
 * The Hibernate settings Userbound sets itself and refuses from users, with the reason.
 * Keys are compared case-insensitively, in their {@code hibernate.*}, {@code jakarta.*} and
 * legacy {@code javax.*} forms.
 */
public final class ManagedSettings {

  private static final String CONNECTIONS =
      "Userbound supplies every connection from the bound person's pool; no URL, account, data"
          + " source or connection provider may be configured in Hibernate";
  private static final String TENANCY =
      "Userbound's connection provider and tenant resolver make the bound login the tenant; they"
          + " cannot be replaced";
  private static final String DIALECT =
      "Userbound sets its PostgreSQL dialect, which turns SQLSTATE 42501 into"
          + " PermissionDeniedException; set jakarta.persistence.database-major-version /"
          + " -minor-version to tell it the server version";
  private static final String METADATA =
      "start-up must not need a database account, so Hibernate reads no JDBC metadata at boot";
  private static final String SCHEMA =
      "Userbound never creates or changes a schema at start-up (there is no account to do it with);"
          + " create tables with your migration tool and check them with"
          + " UserboundHibernate.validateSchema(Login)";
  private static final String CACHES =
      "turn the second-level and query caches on with"
          + " UserboundHibernate.Builder.secondLevelCache(Duration maxStaleness), which states how"
          + " long a cached row may be served after PostgreSQL gave it out (a REVOKE takes effect"
          + " within that bound)";
  private static final String KEYS =
      "cache keys must include the tenant (the person's role) so that cached rows never reach"
          + " another person; only Hibernate's default keys factory does that";

  private static final Map<String, String> REFUSED =
      Map.ofEntries(
          Map.entry("hibernate.connection.url", CONNECTIONS),
          Map.entry("hibernate.connection.username", CONNECTIONS),
          Map.entry("hibernate.connection.password", CONNECTIONS),
          Map.entry("hibernate.connection.datasource", CONNECTIONS),
          Map.entry("hibernate.connection.provider_class", CONNECTIONS),
          Map.entry("hibernate.connection.driver_class", CONNECTIONS),
          Map.entry("jakarta.persistence.jdbc.url", CONNECTIONS),
          Map.entry("jakarta.persistence.jdbc.user", CONNECTIONS),
          Map.entry("jakarta.persistence.jdbc.password", CONNECTIONS),
          Map.entry("jakarta.persistence.jdbc.driver", CONNECTIONS),
          Map.entry("jakarta.persistence.jtadatasource", CONNECTIONS),
          Map.entry("jakarta.persistence.nonjtadatasource", CONNECTIONS),
          Map.entry("javax.persistence.jdbc.url", CONNECTIONS),
          Map.entry("javax.persistence.jdbc.user", CONNECTIONS),
          Map.entry("javax.persistence.jdbc.password", CONNECTIONS),
          Map.entry("javax.persistence.jdbc.driver", CONNECTIONS),
          Map.entry("javax.persistence.jtadatasource", CONNECTIONS),
          Map.entry("javax.persistence.nonjtadatasource", CONNECTIONS),
          Map.entry("javax.persistence.schema-generation-connection", CONNECTIONS),
          Map.entry("jakarta.persistence.schema-generation-connection", CONNECTIONS),
          Map.entry("hibernate.multi_tenant_connection_provider", TENANCY),
          Map.entry("hibernate.tenant_identifier_resolver", TENANCY),
          Map.entry("hibernate.multi_tenant.datasource.identifier_for_any", TENANCY),
          Map.entry("hibernate.multi_tenant.schema_mapper", TENANCY),
          Map.entry("hibernate.multi_tenant.credentials_mapper", TENANCY),
          Map.entry("hibernate.dialect", DIALECT),
          Map.entry("hibernate.dialect_resolvers", DIALECT),
          Map.entry("hibernate.boot.allow_jdbc_metadata_access", METADATA),
          Map.entry("hibernate.temp.use_jdbc_metadata_defaults", METADATA),
          Map.entry("hibernate.hbm2ddl.auto", SCHEMA),
          Map.entry("jakarta.persistence.schema-generation.database.action", SCHEMA),
          Map.entry("javax.persistence.schema-generation.database.action", SCHEMA),
          Map.entry("jakarta.persistence.create-database-schemas", SCHEMA),
          Map.entry("javax.persistence.create-database-schemas", SCHEMA),
          Map.entry("hibernate.cache.use_second_level_cache", CACHES),
          Map.entry("hibernate.cache.use_query_cache", CACHES),
          Map.entry("hibernate.cache.keys_factory", KEYS));

  private ManagedSettings() {}

  /**
   * Tells why a setting may not be given.
   *
   * @param key a setting's name
   * @return the reason, or {@code null} if the setting may be given
   */
  public static String refusal(String key) {
    return REFUSED.get(key.toLowerCase(Locale.ROOT));
  }
}
