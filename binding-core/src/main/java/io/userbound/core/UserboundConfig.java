package io.userbound.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The databases an application talks to, which ones check a password at login, who may
 * log in, and how password guessing is slowed down. Immutable and thread-safe; create it
 * with {@link #builder()}.
 *
 * <pre>{@code
 * UserboundConfig config = UserboundConfig.builder()
 *     .database(DatabaseConfig.builder("finance", financeUrl).budget(40).build())
 *     .database(DatabaseConfig.builder("staff", staffUrl).budget(20).build())
 *     .verifyLoginsOn("finance")
 *     .build();
 * }</pre>
 */
public final class UserboundConfig {

  private final Map<String, DatabaseConfig> databases;
  private final List<String> loginDatabases;
  private final LoginPolicy loginPolicy;
  private final LoginThrottling loginThrottling;
  private final Ticker ticker;

  private UserboundConfig(
      Map<String, DatabaseConfig> databases,
      List<String> loginDatabases,
      LoginPolicy loginPolicy,
      LoginThrottling loginThrottling,
      Ticker ticker) {
    this.databases = Collections.unmodifiableMap(new LinkedHashMap<>(databases));
    this.loginDatabases = List.copyOf(loginDatabases);
    this.loginPolicy = loginPolicy;
    this.loginThrottling = loginThrottling;
    this.ticker = ticker;
  }

  /**
   * Starts an empty builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the declared databases in declaration order} */
  public List<DatabaseConfig> databases() {
    return List.copyOf(databases.values());
  }

  /**
   * Returns a declared database.
   *
   * @param name the logical name
   * @return its configuration
   * @throws UnknownDatabaseException if no database of that name was declared
   */
  public DatabaseConfig database(String name) {
    DatabaseConfig db = databases.get(name);
    if (db == null) {
      throw new UnknownDatabaseException(
          "no database named '" + name + "' is configured; declared: " + databases.keySet());
    }
    return db;
  }

  /** {@return the name of the first database that verifies passwords at login} */
  public String loginDatabase() {
    return loginDatabases.get(0);
  }

  /** {@return the databases that verify passwords at login, in the order they are tried} */
  public List<String> loginDatabases() {
    return loginDatabases;
  }

  /** {@return who may log in once PostgreSQL accepted the password} */
  public LoginPolicy loginPolicy() {
    return loginPolicy;
  }

  /** {@return how password guessing is slowed down} */
  public LoginThrottling loginThrottling() {
    return loginThrottling;
  }

  /** {@return the clock of Userbound's timers (the system's unless a test gave another)} */
  public Ticker ticker() {
    return ticker;
  }

  @Override
  public String toString() {
    return "UserboundConfig{loginDatabases="
        + loginDatabases
        + ", databases="
        + databases.values()
        + ", loginThrottling="
        + loginThrottling
        + "}";
  }

  /** Builds a {@link UserboundConfig}. Not thread-safe. */
  public static final class Builder {

    private final List<DatabaseConfig> databases = new ArrayList<>();
    private List<String> loginDatabases;
    private LoginPolicy loginPolicy = LoginPolicy.unprivileged();
    private LoginThrottling loginThrottling = LoginThrottling.defaults();
    private Ticker ticker = Ticker.system();

    private Builder() {}

    /**
     * Declares a database.
     *
     * @param database its configuration
     * @return this builder
     * @throws IllegalArgumentException if a database of the same name was declared already
     */
    public Builder database(DatabaseConfig database) {
      Objects.requireNonNull(database, "database");
      for (DatabaseConfig d : databases) {
        if (d.name().equals(database.name())) {
          throw new IllegalArgumentException("database = " + database.name() + ": declared twice");
        }
      }
      databases.add(database);
      return this;
    }

    /**
     * Names the databases that verify a password at login, in the order they are tried.
     * Default: the first declared.
     *
     * <p>The first database that gives an answer decides: it accepts the password (the
     * login succeeds and becomes the person's first connection there), refuses it
     * ({@code 28P01}: the login fails, no other database is asked), or accepts it but
     * refuses the connection for lack of the {@code CONNECT} privilege ({@code 42501},
     * which PostgreSQL checks only after authentication: the password is proven, the login
     * succeeds, and that database answers {@link AccessDeniedException} when used). A
     * database that cannot be reached, or that refuses before authenticating
     * ({@code 28000}, e.g. a pg_hba {@code reject} line, which proves nothing), passes the
     * question to the next one.
     *
     * @param names declared databases' names (checked by {@link #build()})
     * @return this builder
     * @throws IllegalArgumentException if no name, or a name twice, is given
     */
    public Builder verifyLoginsOn(String... names) {
      Objects.requireNonNull(names, "verifyLoginsOn");
      List<String> list = new ArrayList<>();
      for (String n : names) {
        Objects.requireNonNull(n, "verifyLoginsOn");
        if (list.contains(n)) {
          throw new IllegalArgumentException(
              "verifyLoginsOn = " + List.of(names) + ": '" + n + "' named twice");
        }
        list.add(n);
      }
      if (list.isEmpty()) {
        throw new IllegalArgumentException("verifyLoginsOn = []: name at least one database");
      }
      this.loginDatabases = list;
      return this;
    }

    /**
     * Decides who may log in once PostgreSQL accepted the password. Default
     * {@link LoginPolicy#unprivileged()}: no superusers, no {@code BYPASSRLS}, no
     * {@code REPLICATION}.
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder loginPolicy(LoginPolicy policy) {
      this.loginPolicy = Objects.requireNonNull(policy, "loginPolicy");
      return this;
    }

    /**
     * How password guessing is slowed down. Default {@link LoginThrottling#defaults()}.
     *
     * @param throttling the settings
     * @return this builder
     */
    public Builder loginThrottling(LoginThrottling throttling) {
      this.loginThrottling = Objects.requireNonNull(throttling, "loginThrottling");
      return this;
    }

    /**
     * The clock of Userbound's timers (idle expiry, throttling), for tests that move time
     * themselves. Default {@link Ticker#system()}.
     *
     * @param value the clock
     * @return this builder
     */
    public Builder ticker(Ticker value) {
      this.ticker = Objects.requireNonNull(value, "ticker");
      return this;
    }

    /**
     * Checks the combination of settings and builds the configuration.
     *
     * @return the immutable configuration
     * @throws IllegalArgumentException if no database was declared or the login database is unknown
     */
    public UserboundConfig build() {
      if (databases.isEmpty()) {
        throw new IllegalArgumentException("databases = []: declare at least one database");
      }
      Map<String, DatabaseConfig> byName = new LinkedHashMap<>();
      for (DatabaseConfig d : databases) {
        byName.put(d.name(), d);
      }
      List<String> logins =
          loginDatabases == null ? List.of(databases.get(0).name()) : loginDatabases;
      for (String login : logins) {
        if (!byName.containsKey(login)) {
          throw new IllegalArgumentException(
              "verifyLoginsOn = "
                  + login
                  + ": not a declared database; declared: "
                  + byName.keySet());
        }
      }
      return new UserboundConfig(byName, logins, loginPolicy, loginThrottling, ticker);
    }
  }
}
