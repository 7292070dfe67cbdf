package io.userbound.testkit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How to start a {@link PostgresServer}: its name, size, source and extra settings.
 *
 * <p>Immutable and thread-safe; build one with {@link #builder()}. {@link #toString()} never
 * shows the external password.
 */
public final class PostgresOptions {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,39}");
  private static final Pattern SETTING_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]{0,62}");
  private static final Set<String> RESERVED_SETTINGS =
      Set.of(
          "port",
          "listen_addresses",
          "unix_socket_directories",
          "max_connections",
          "password_encryption",
          "data_directory",
          "hba_file");

  private final String name;
  private final int maxConnections;
  private final Source source;
  private final Map<String, String> settings;
  private final @Nullable String externalUrl;
  private final @Nullable String externalUser;
  private final char @Nullable [] externalPassword;
  private final boolean tls;

  private PostgresOptions(Builder b) {
    this.name = b.name;
    this.maxConnections = b.maxConnections;
    this.source = b.source;
    this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(b.settings));
    this.externalUrl = b.externalUrl;
    this.externalUser = b.externalUser;
    this.externalPassword = b.externalPassword == null ? null : b.externalPassword.clone();
    this.tls = b.tls;
  }

  /**
   * Returns a new builder with the defaults: name {@code "pg"}, 100 connections,
   * {@link Source#AUTO}, no extra settings, external server details from the environment.
   *
   * @return a new builder; not thread-safe
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the default options, the same as {@code builder().build()}.
   *
   * @return the default options
   */
  public static PostgresOptions defaults() {
    return builder().build();
  }

  /**
   * Returns the label used in log lines and temporary directory names.
   *
   * @return the server's name
   */
  public String name() {
    return name;
  }

  /**
   * Returns the server's {@code max_connections}; ignored for {@link Source#EXTERNAL}.
   *
   * @return the connection limit
   */
  public int maxConnections() {
    return maxConnections;
  }

  /**
   * Returns the requested source.
   *
   * @return the source, {@link Source#AUTO} unless set
   */
  public Source source() {
    return source;
  }

  /**
   * Returns the extra {@code postgresql.conf} settings, in the order they were given; ignored
   * for {@link Source#EXTERNAL}.
   *
   * @return an unmodifiable map of setting name to value
   */
  public Map<String, String> settings() {
    return settings;
  }

  /**
   * Returns the external server's JDBC URL, if given here rather than in the environment.
   *
   * @return the URL, or empty
   */
  public Optional<String> externalUrl() {
    return Optional.ofNullable(externalUrl);
  }

  /**
   * Returns the external server's admin role, if given here rather than in the environment.
   *
   * @return the role name, or empty
   */
  public Optional<String> externalUser() {
    return Optional.ofNullable(externalUser);
  }

  /**
   * Returns whether the server serves TLS only (see {@link Builder#tls(boolean)}).
   *
   * @return whether TLS is on
   */
  public boolean tls() {
    return tls;
  }

  /**
   * Returns a copy of the external server's admin password, if given here rather than in the
   * environment. The caller may wipe the copy.
   *
   * @return a fresh copy of the password, or empty
   */
  public Optional<char[]> externalPassword() {
    return Optional.ofNullable(externalPassword).map(char[]::clone);
  }

  /** Shows every option except the password, which is masked. */
  @Override
  public String toString() {
    return "PostgresOptions[name="
        + name
        + ", maxConnections="
        + maxConnections
        + ", source="
        + source
        + ", settings="
        + settings
        + (externalUrl == null ? "" : ", externalUrl=" + maskUrl(externalUrl))
        + (externalUser == null ? "" : ", externalUser=" + externalUser)
        + (externalPassword == null ? "" : ", externalPassword=***")
        + "]";
  }

  private static String maskUrl(String url) {
    return url.replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  /**
   * Builds {@link PostgresOptions}. Each setter checks its argument at once and throws
   * {@link IllegalArgumentException} naming the setting and the value.
   *
   * <p>Not thread-safe: use one builder from one thread.
   */
  public static final class Builder {
    private String name = "pg";
    private int maxConnections = 100;
    private Source source = Source.AUTO;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private @Nullable String externalUrl;
    private @Nullable String externalUser;
    private char @Nullable [] externalPassword;
    private boolean tls;

    private Builder() {}

    /**
     * Serves TLS only, with a certificate from a throw-away certificate authority that the
     * test kit generates ({@code openssl} must be on the path): the server refuses
     * connections without TLS, {@link PostgresServer#jdbcUrl(String)} asks for
     * {@code sslmode=verify-full} against that authority, and
     * {@link PostgresServer#rootCertificate()} gives its certificate. Local servers only.
     * Default: off (loopback, {@code sslmode=disable}).
     *
     * @param on whether to serve TLS
     * @return this builder
     */
    public Builder tls(boolean on) {
      this.tls = on;
      return this;
    }

    /**
     * Sets the label used in log lines and temporary directory names.
     *
     * @param name 1 to 40 characters of {@code [A-Za-z0-9_.-]}, starting with a letter or digit
     * @return this builder
     * @throws IllegalArgumentException if the name is not of that form
     */
    public Builder name(String name) {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "name must be 1 to 40 characters of [A-Za-z0-9_.-]"
                + " starting with a letter or digit, but was "
                + quote(name));
      }
      this.name = name;
      return this;
    }

    /**
     * Sets the server's {@code max_connections}.
     *
     * @param maxConnections 1 to 10000
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxConnections(int maxConnections) {
      if (maxConnections < 1 || maxConnections > 10_000) {
        throw new IllegalArgumentException(
            "maxConnections must be between 1 and 10000, but was " + maxConnections);
      }
      this.maxConnections = maxConnections;
      return this;
    }

    /**
     * Sets where the server comes from.
     *
     * @param source the source; {@link Source#AUTO} chooses
     * @return this builder
     * @throws IllegalArgumentException if null
     */
    public Builder source(Source source) {
      if (source == null) {
        throw new IllegalArgumentException("source must not be null");
      }
      this.source = source;
      return this;
    }

    /**
     * Adds (or replaces) one {@code postgresql.conf} setting, passed to the server as
     * {@code -c key=value}. The settings that the test kit owns ({@code port},
     * {@code listen_addresses}, {@code unix_socket_directories}, {@code max_connections},
     * {@code password_encryption}, {@code data_directory}, {@code hba_file}) are refused.
     *
     * @param key the setting's name, e.g. {@code "log_min_duration_statement"}
     * @param value its value, e.g. {@code "0"}
     * @return this builder
     * @throws IllegalArgumentException if the key is malformed or reserved, or the value is null
     *     or contains a NUL or line break
     */
    public Builder setting(String key, String value) {
      if (key == null || !SETTING_KEY.matcher(key).matches()) {
        throw new IllegalArgumentException(
            "setting key must be a PostgreSQL parameter name, but was " + quote(key));
      }
      if (RESERVED_SETTINGS.contains(key.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            "setting "
                + key
                + " is set by the test kit"
                + (key.equalsIgnoreCase("max_connections") ? "; use maxConnections(int)" : "")
                + " and cannot be overridden");
      }
      if (value == null
          || value.indexOf('\0') >= 0
          || value.indexOf('\n') >= 0
          || value.indexOf('\r') >= 0) {
        throw new IllegalArgumentException(
            "setting "
                + key
                + " must have a value without NUL or line breaks, but was "
                + quote(value));
      }
      settings.put(key, value);
      return this;
    }

    /**
     * Sets the JDBC URL of an existing server, e.g.
     * {@code jdbc:postgresql://db.test:5432/postgres}. Overrides
     * {@code USERBOUND_TEST_PG_URL}; under {@link Source#AUTO} it selects
     * {@link Source#EXTERNAL}.
     *
     * @param url a {@code jdbc:postgresql://} URL naming one host
     * @return this builder
     * @throws IllegalArgumentException if the URL is not a PostgreSQL JDBC URL
     */
    public Builder externalUrl(String url) {
      if (url == null || !url.startsWith("jdbc:postgresql://")) {
        throw new IllegalArgumentException(
            "externalUrl must start with jdbc:postgresql://, but was "
                + (url == null ? "null" : quote(maskUrl(url))));
      }
      this.externalUrl = url;
      return this;
    }

    /**
     * Sets the superuser role of the external server. Overrides
     * {@code USERBOUND_TEST_PG_USER}.
     *
     * @param user a role name
     * @return this builder
     * @throws IllegalArgumentException if null or empty
     */
    public Builder externalUser(String user) {
      if (user == null || user.isEmpty()) {
        throw new IllegalArgumentException(
            "externalUser must not be empty, but was " + quote(user));
      }
      this.externalUser = user;
      return this;
    }

    /**
     * Sets the password of the external superuser. The array is copied; the caller may wipe
     * its own. Overrides {@code USERBOUND_TEST_PG_PASSWORD}.
     *
     * @param password the password
     * @return this builder
     * @throws IllegalArgumentException if null
     */
    public Builder externalPassword(char[] password) {
      if (password == null) {
        throw new IllegalArgumentException("externalPassword must not be null");
      }
      this.externalPassword = password.clone();
      return this;
    }

    /**
     * Builds the options.
     *
     * @return immutable options
     * @throws IllegalStateException if external credentials are given without an external URL,
     *     or an external URL is combined with a source other than AUTO or EXTERNAL
     */
    public PostgresOptions build() {
      if (externalUrl == null && (externalUser != null || externalPassword != null)) {
        throw new IllegalStateException(
            "externalUser/externalPassword are set but externalUrl is not; set externalUrl too");
      }
      if (externalUrl != null && source != Source.AUTO && source != Source.EXTERNAL) {
        throw new IllegalStateException(
            "externalUrl is set but source is " + source + "; use Source.EXTERNAL or Source.AUTO");
      }
      return new PostgresOptions(this);
    }

    private static String quote(String s) {
      return s == null ? "null" : "'" + s + "'";
    }
  }
}
