package io.userbound.core;

import io.userbound.core.internal.ConfigSecrets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One named database and the settings of the per-person pools that connect to it.
 * Immutable and thread-safe; create it with {@link #builder(String, String)}.
 *
 * <pre>{@code
 * DatabaseConfig finance = DatabaseConfig.builder("finance", "jdbc:postgresql://db1:5432/finance")
 *     .maxConnectionsPerPerson(2)
 *     .budget(40)
 *     .connectionTimeout(Duration.ofSeconds(5))
 *     .idleTimeout(Duration.ofMinutes(10))
 *     .build();
 * }</pre>
 */
public final class DatabaseConfig {

  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,62}");
  private static final Pattern URL_SECRET = Pattern.compile("(?i)(password=)[^&;]*");
  private static final Pattern URL_CREDENTIALS = Pattern.compile("(?i)[?&;](user|password)=");

  private final String name;
  private final String jdbcUrl;
  private final int maxConnectionsPerPerson;
  private final int budget;
  private final Duration connectionTimeout;
  private final Duration handBackTimeout;
  private final Duration idleTimeout;
  private final Duration maxLifetime;
  private final Duration loginRecheck;
  private final int maxPools;
  private final SessionReset sessionReset;
  private final Map<String, String> driverProperties;
  private final int reclaimAhead;
  private final IsolationStrategy strategy;
  private final @Nullable String gatewayRole;
  private final char @Nullable [] gatewayPassword;

  static {
    ConfigSecrets.register(DatabaseConfig::gatewayPasswordCopy);
  }

  private DatabaseConfig(Builder b) {
    this.name = b.name;
    this.jdbcUrl = b.jdbcUrl;
    this.maxConnectionsPerPerson = b.maxConnectionsPerPerson;
    this.budget = b.budget == null ? Math.max(50, b.maxConnectionsPerPerson) : b.budget;
    this.connectionTimeout = b.connectionTimeout;
    this.handBackTimeout = b.handBackTimeout == null ? b.connectionTimeout : b.handBackTimeout;
    this.idleTimeout = b.idleTimeout;
    this.maxLifetime = b.maxLifetime;
    this.loginRecheck = b.loginRecheck;
    this.maxPools = b.maxPools;
    this.sessionReset = b.sessionReset;
    this.driverProperties = Collections.unmodifiableMap(new LinkedHashMap<>(b.driverProperties));
    this.reclaimAhead = b.reclaimAhead == null ? Math.min(8, budget / 16) : b.reclaimAhead;
    this.strategy =
        b.gatewayRole == null
            ? IsolationStrategy.DEDICATED_POOLS
            : IsolationStrategy.ROLE_SWITCHING;
    this.gatewayRole = b.gatewayRole;
    this.gatewayPassword = b.gatewayPassword == null ? null : b.gatewayPassword.clone();
  }

  /**
   * Starts a builder for a database.
   *
   * @param name the logical name code uses to ask for this database ({@code "finance"}):
   *     a letter, then letters, digits, {@code _} or {@code -}, at most 63 characters
   * @param jdbcUrl a {@code jdbc:postgresql:} URL without credentials
   * @return a builder with the defaults described on each setter
   * @throws IllegalArgumentException if the name or URL is not valid
   */
  public static Builder builder(String name, String jdbcUrl) {
    return new Builder(name, jdbcUrl);
  }

  /** {@return the logical name of this database} */
  public String name() {
    return name;
  }

  /** {@return the JDBC URL, exactly as given} */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  /** {@return the most physical connections one person may hold to this database} */
  public int maxConnectionsPerPerson() {
    return maxConnectionsPerPerson;
  }

  /** {@return the most physical connections to this database across all people} */
  public int budget() {
    return budget;
  }

  /** {@return how long a caller waits for a connection before getting an exception} */
  public Duration connectionTimeout() {
    return connectionTimeout;
  }

  /**
   * {@return the longest the hand-back of a connection (rollback and session reset) may wait
   * for the server before the connection is closed instead of reused}
   */
  public Duration handBackTimeout() {
    return handBackTimeout;
  }

  /** {@return how long a person's pool may go unused before it is closed} */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** {@return the longest a physical connection is kept before it is replaced} */
  public Duration maxLifetime() {
    return maxLifetime;
  }

  /**
   * {@return the bound on how long a login that PostgreSQL would now refuse (its {@code VALID
   * UNTIL} passed, {@code NOLOGIN}, {@code CONNECT} revoked, the role dropped) keeps being
   * served from connections opened before; zero when the check is off}
   */
  public Duration loginRecheck() {
    return loginRecheck;
  }

  /** {@return the most per-person pools kept for this database at once} */
  public int maxPools() {
    return maxPools;
  }

  /** {@return what happens to session state when a connection is handed back} */
  public SessionReset sessionReset() {
    return sessionReset;
  }

  /**
   * {@return how many budget permits are kept free ahead of demand, by closing the least
   * recently used idle connections, once the budget is nearly spent}
   */
  public int reclaimAhead() {
    return reclaimAhead;
  }

  /** {@return how requests share this database's connections} */
  public IsolationStrategy strategy() {
    return strategy;
  }

  /** {@return the gateway role of {@link IsolationStrategy#ROLE_SWITCHING}, or {@code null}} */
  public @Nullable String gatewayRole() {
    return gatewayRole;
  }

  /*
   * A copy of the gateway's password, for opening gateway connections; the caller wipes it.
   * Not public: the password leaves the configuration only towards the driver.
   */
  private char @Nullable [] gatewayPasswordCopy() {
    return gatewayPassword == null ? null : gatewayPassword.clone();
  }

  /** {@return extra pgjdbc connection properties (never {@code user} or {@code password})} */
  public Map<String, String> driverProperties() {
    return driverProperties;
  }

  /**
   * Returns the JDBC URL with any password parameter masked, for logs and messages.
   *
   * @param jdbcUrl a URL, possibly {@code null}
   * @return the URL with {@code password=...} replaced by {@code password=***}, or {@code
   *     null} for {@code null}
   */
  public static @Nullable String maskUrl(@Nullable String jdbcUrl) {
    return jdbcUrl == null ? null : URL_SECRET.matcher(jdbcUrl).replaceAll("$1***");
  }

  /** {@return a description of the settings; never contains a password} */
  @Override
  public String toString() {
    return "DatabaseConfig{name="
        + name
        + ", jdbcUrl="
        + maskUrl(jdbcUrl)
        + ", maxConnectionsPerPerson="
        + maxConnectionsPerPerson
        + ", budget="
        + budget
        + ", connectionTimeout="
        + connectionTimeout
        + ", handBackTimeout="
        + handBackTimeout
        + ", idleTimeout="
        + idleTimeout
        + ", maxLifetime="
        + maxLifetime
        + ", loginRecheck="
        + loginRecheck
        + ", maxPools="
        + maxPools
        + ", sessionReset="
        + sessionReset
        + ", reclaimAhead="
        + reclaimAhead
        + ", strategy="
        + strategy
        + (gatewayRole == null ? "" : ", gatewayRole=" + gatewayRole)
        + ", driverProperties="
        + driverProperties.keySet()
        + "}";
  }

  /**
   * Builds a {@link DatabaseConfig}. Each setter checks its argument at once and throws
   * {@link IllegalArgumentException} naming the setting and the value; {@link #build()}
   * checks the combinations. Not thread-safe.
   */
  public static final class Builder {

    private final String name;
    private final String jdbcUrl;
    private int maxConnectionsPerPerson = 2;
    private @Nullable Integer budget;
    private Duration connectionTimeout = Duration.ofSeconds(5);
    private @Nullable Duration handBackTimeout;
    private Duration idleTimeout = Duration.ofMinutes(10);
    private Duration maxLifetime = Duration.ofMinutes(30);
    private Duration loginRecheck = Duration.ofSeconds(30);
    private int maxPools = 10_000;
    private SessionReset sessionReset = SessionReset.TRACKED;
    private final Map<String, String> driverProperties = new LinkedHashMap<>();
    private @Nullable String gatewayRole;
    private char @Nullable [] gatewayPassword;
    private @Nullable Integer reclaimAhead;

    private Builder(String name, String jdbcUrl) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(jdbcUrl, "jdbcUrl");
      require(
          NAME.matcher(name).matches(),
          "name",
          name,
          "must start with a letter and contain only letters, digits, '_' or '-', at most 63"
              + " characters");
      require(
          jdbcUrl.startsWith("jdbc:postgresql:"),
          "jdbcUrl",
          maskUrl(jdbcUrl),
          "must start with jdbc:postgresql:");
      require(
          !URL_CREDENTIALS.matcher(jdbcUrl).find(),
          "jdbcUrl",
          maskUrl(jdbcUrl),
          "must not carry credentials (user= or password=): each person's login supplies them");
      this.name = name;
      this.jdbcUrl = jdbcUrl;
    }

    /**
     * The most physical connections one person may hold to this database. Default 2.
     *
     * @param value at least 1
     * @return this builder
     */
    public Builder maxConnectionsPerPerson(int value) {
      require(value >= 1, "maxConnectionsPerPerson", value, "must be at least 1");
      this.maxConnectionsPerPerson = value;
      return this;
    }

    /**
     * The most physical connections to this database across all people. Keep it below
     * the server's {@code max_connections} minus what other clients need. Default 50.
     *
     * @param value at least 1, and at least {@link #maxConnectionsPerPerson(int)}
     * @return this builder
     */
    public Builder budget(int value) {
      require(value >= 1, "budget", value, "must be at least 1");
      this.budget = value;
      return this;
    }

    /**
     * How long a caller waits for a connection (opening one included) before it gets an
     * exception. Default 5 seconds.
     *
     * @param value at least 250 ms (HikariCP's minimum)
     * @return this builder
     */
    public Builder connectionTimeout(Duration value) {
      Objects.requireNonNull(value, "connectionTimeout");
      require(value.toMillis() >= 250, "connectionTimeout", value, "must be at least 250 ms");
      this.connectionTimeout = value;
      return this;
    }

    /**
     * The longest the hand-back of a connection may wait for the server: the rollback of
     * a transaction left open and the session reset. A connection whose hand-back runs
     * past it (a server or network that stopped answering) is closed instead of reused,
     * and the request thread goes on. Default: the {@link #connectionTimeout(Duration)}.
     *
     * @param value at least 1 ms
     * @return this builder
     */
    public Builder handBackTimeout(Duration value) {
      Objects.requireNonNull(value, "handBackTimeout");
      require(value.toMillis() >= 1, "handBackTimeout", value, "must be at least 1 ms");
      this.handBackTimeout = value;
      return this;
    }

    /**
     * How long a person's pool may go unused before it and its connections close. The
     * next request of that person opens a new one with the same login. Default 10 minutes.
     *
     * @param value positive
     * @return this builder
     */
    public Builder idleTimeout(Duration value) {
      Objects.requireNonNull(value, "idleTimeout");
      require(!value.isNegative() && !value.isZero(), "idleTimeout", value, "must be positive");
      this.idleTimeout = value;
      return this;
    }

    /**
     * The longest a physical connection is kept before it is replaced. Default 30 minutes.
     *
     * @param value at least 30 seconds (HikariCP's minimum)
     * @return this builder
     */
    public Builder maxLifetime(Duration value) {
      Objects.requireNonNull(value, "maxLifetime");
      require(value.toMillis() >= 30_000, "maxLifetime", value, "must be at least 30 seconds");
      this.maxLifetime = value;
      return this;
    }

    /**
     * How often the logins of open pools are checked again. PostgreSQL checks a password's
     * {@code VALID UNTIL}, {@code LOGIN} and {@code CONNECT} only when a connection is
     * opened, so a person whose password expires would keep being served from connections
     * opened before, until they close. With this check, within this bound:
     *
     * <ul>
     *   <li>{@link IsolationStrategy#DEDICATED_POOLS}: one query per database per interval,
     *       off the request path, lists the people with open pools that PostgreSQL would now
     *       refuse; their pools close (a request in flight finishes first) and their next
     *       request is refused by PostgreSQL itself;
     *   <li>{@link IsolationStrategy#ROLE_SWITCHING}: the first statement of a person after
     *       the interval carries the check in its own round trip; a refusal ends the request
     *       and the login's use of the gateway.
     * </ul>
     *
     * Default 30 seconds. Under DEDICATED_POOLS, {@link Duration#ZERO} turns the check off
     * (then the bound is {@link #maxLifetime}); ROLE_SWITCHING refuses zero at {@link #build}.
     *
     * @param value zero, or at least one second
     * @return this builder
     */
    public Builder loginRecheck(Duration value) {
      Objects.requireNonNull(value, "loginRecheck");
      require(
          value.isZero() || value.toMillis() >= 1_000,
          "loginRecheck",
          value,
          "must be zero (off) or at least 1 second");
      this.loginRecheck = value;
      return this;
    }

    /**
     * The most per-person pools kept for this database. Past it, the least valuable pool
     * is closed (after its connections are handed back). Default 10,000.
     *
     * @param value at least 1
     * @return this builder
     */
    public Builder maxPools(int value) {
      require(value >= 1, "maxPools", value, "must be at least 1");
      this.maxPools = value;
      return this;
    }

    /**
     * What happens to session state when a connection is handed back. Default
     * {@link SessionReset#TRACKED}: reset only what the request changed.
     *
     * @param value the reset
     * @return this builder
     */
    public Builder sessionReset(SessionReset value) {
      this.sessionReset = Objects.requireNonNull(value, "sessionReset");
      return this;
    }

    /**
     * Adds a pgjdbc connection property ({@code sslmode}, {@code connectTimeout},
     * {@code socketTimeout}, {@code ApplicationName}, ...).
     *
     * @param key the property name; not {@code user} or {@code password}
     * @param value the value
     * @return this builder
     */
    public Builder driverProperty(String key, String value) {
      Objects.requireNonNull(key, "driverProperty key");
      Objects.requireNonNull(value, "driverProperty value");
      String k = key.toLowerCase(Locale.ROOT);
      require(
          !k.equals("user") && !k.equals("password"),
          "driverProperty",
          key,
          "credentials come from each person's login, not from the configuration");
      driverProperties.put(key, value);
      return this;
    }

    /**
     * How many budget permits to free ahead of demand once demand shows. When a request or a
     * login finds no permit free, the housekeeping closes the idle connections of the least
     * recently used people (on its own thread, not a request's) until this many are free, at
     * most this many per such miss, so that the next people who need a connection get one
     * without waiting for someone else's to close. A steady state below the budget, where
     * nobody finds it spent, closes nothing. 0 turns it off (a request then closes someone's
     * idle connection itself, and waits for its backend to exit). Default: a sixteenth of the
     * budget, at most 8 (so 0 below a budget of 16).
     *
     * @param permits at least 0, and less than the budget
     * @return this builder
     */
    public Builder reclaimAhead(int permits) {
      require(permits >= 0, "reclaimAhead", permits, "must be at least 0");
      this.reclaimAhead = permits;
      return this;
    }

    /**
     * Chooses {@link IsolationStrategy#ROLE_SWITCHING}: one pool logs in as the gateway role,
     * and each request runs under {@code SET ROLE <person>} on one of its connections. The
     * gateway must be {@code NOINHERIT}, not a superuser, without {@code BYPASSRLS} or
     * {@code CREATEROLE}, own no objects and hold no privileges of its own; it must be a
     * member of each person's role ({@code GRANT alice TO gateway}). Userbound checks this at
     * the first gateway connection and refuses to go on otherwise. Only for applications that
     * never run SQL their users wrote (see {@link IsolationStrategy#ROLE_SWITCHING}).
     *
     * @param role the gateway role's name
     * @param password its password; copied (wipe yours), kept for the life of the
     *     configuration, never shown
     * @return this builder
     */
    public Builder roleSwitching(String role, char[] password) {
      Objects.requireNonNull(role, "gateway role");
      Objects.requireNonNull(password, "gateway password");
      require(
          !role.isEmpty() && role.length() <= 63 && role.indexOf('\0') < 0,
          "roleSwitching role",
          role,
          "must be a PostgreSQL role name (1 to 63 characters, no NUL)");
      require(password.length > 0, "roleSwitching password", "(empty)", "must not be empty");
      this.gatewayRole = role;
      this.gatewayPassword = password.clone();
      return this;
    }

    /**
     * Checks the combination of settings and builds the configuration.
     *
     * @return the immutable configuration
     * @throws IllegalArgumentException if the budget is smaller than the per-person maximum
     */
    public DatabaseConfig build() {
      if (budget != null && budget < maxConnectionsPerPerson) {
        throw new IllegalArgumentException(
            "database '"
                + name
                + "': budget ("
                + budget
                + ") must be at least maxConnectionsPerPerson ("
                + maxConnectionsPerPerson
                + ")");
      }
      int effectiveBudget = budget == null ? Math.max(50, maxConnectionsPerPerson) : budget;
      if (reclaimAhead != null && reclaimAhead >= effectiveBudget) {
        throw new IllegalArgumentException(
            "database '"
                + name
                + "': reclaimAhead ("
                + reclaimAhead
                + ") must be less than the budget ("
                + effectiveBudget
                + ")");
      }
      if (gatewayRole != null && loginRecheck.isZero()) {
        throw new IllegalArgumentException(
            "database '"
                + name
                + "': loginRecheck cannot be off under ROLE_SWITCHING (PostgreSQL never checks"
                + " a person's VALID UNTIL there after the login; the recheck is what does)");
      }
      return new DatabaseConfig(this);
    }

    private static void require(boolean ok, String setting, @Nullable Object value, String rule) {
      if (!ok) {
        throw new IllegalArgumentException(setting + " = " + value + ": " + rule);
      }
    }
  }
}
