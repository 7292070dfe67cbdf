package io.userbound.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

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
  private final String applicationName;
  private final List<UserboundListener> listeners;
  private final boolean jmx;
  private final @Nullable IdentityVerifier identityVerifier;

  private UserboundConfig(Builder b, Map<String, DatabaseConfig> databases, List<String> logins) {
    this.databases = Collections.unmodifiableMap(new LinkedHashMap<>(databases));
    this.loginDatabases = List.copyOf(logins);
    this.loginPolicy = b.loginPolicy;
    this.loginThrottling = b.loginThrottling;
    this.ticker = b.ticker;
    this.applicationName = b.applicationName;
    List<UserboundListener> all = new ArrayList<>();
    if (b.auditLog) {
      all.add(UserboundListener.slf4j());
    }
    all.addAll(b.listeners);
    this.listeners = List.copyOf(all);
    this.jmx = b.jmx;
    this.identityVerifier = b.identityVerifier;
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

  /**
   * {@return the application's name: PostgreSQL's {@code application_name} of every
   * connection (so {@code pg_stat_activity} shows which application holds a backend),
   * unless a database sets the {@code ApplicationName} driver property, and the JMX name}
   */
  public String applicationName() {
    return applicationName;
  }

  /** {@return the event listeners, the SLF4J audit log first unless it was turned off} */
  public List<UserboundListener> listeners() {
    return listeners;
  }

  /** {@return whether each database is registered as a {@link DatabaseMXBean}} */
  public boolean jmx() {
    return jmx;
  }

  /**
   * {@return the verifier of {@linkplain Userbound#loginWithToken token logins}, if one was
   * configured; without one, every token login is refused}
   */
  public Optional<IdentityVerifier> identityVerifier() {
    return Optional.ofNullable(identityVerifier);
  }

  @Override
  public String toString() {
    return "UserboundConfig{applicationName="
        + applicationName
        + ", loginDatabases="
        + loginDatabases
        + ", databases="
        + databases.values()
        + ", loginThrottling="
        + loginThrottling
        + (identityVerifier == null ? "" : ", token logins on")
        + "}";
  }

  private static final Pattern APPLICATION_NAME = Pattern.compile("[\\x20-\\x7e]{1,63}");

  /** Builds a {@link UserboundConfig}. Not thread-safe. */
  public static final class Builder {

    private final List<DatabaseConfig> databases = new ArrayList<>();
    private @Nullable List<String> loginDatabases;
    private LoginPolicy loginPolicy = LoginPolicy.unprivileged();
    private LoginThrottling loginThrottling = LoginThrottling.defaults();
    private Ticker ticker = Ticker.system();
    private String applicationName = "userbound";
    private final List<UserboundListener> listeners = new ArrayList<>();
    private boolean auditLog = true;
    private boolean jmx = true;
    private @Nullable IdentityVerifier identityVerifier;

    private Builder() {}

    /**
     * Lets people log in with a credential from a trusted sign-on instead of a database
     * password ({@link Userbound#loginWithToken}), checked by this verifier. Without it (the
     * default) every token login is refused.
     *
     * <p>Such a person has no database password, so only a database served with {@link
     * IsolationStrategy#ROLE_SWITCHING} can serve them: its gateway role sets their role. On
     * a {@link IsolationStrategy#DEDICATED_POOLS} database a token login gets {@link
     * TrustedLoginUnsupportedException}. The {@link LoginPolicy} applies as for a password,
     * and on top of it a token login is refused for a role with {@code CREATEROLE}, a
     * {@code pg_*} role or a member of one, and the gateway itself.
     *
     * @param verifier checks tokens and maps them to roles; see {@link IdentityVerifier}
     * @return this builder
     */
    public Builder identityVerifier(IdentityVerifier verifier) {
      this.identityVerifier = Objects.requireNonNull(verifier, "identityVerifier");
      return this;
    }

    /**
     * Names the application: sent to PostgreSQL as {@code application_name} on every
     * connection (a database's {@code ApplicationName} driver property, or the URL's,
     * wins), and used in the JMX names. Default {@code userbound}.
     *
     * @param name 1 to 63 printable ASCII characters (PostgreSQL truncates longer names and
     *     replaces anything else with {@code ?})
     * @return this builder
     * @throws IllegalArgumentException if the name is empty, too long, or not printable ASCII
     */
    public Builder applicationName(String name) {
      Objects.requireNonNull(name, "applicationName");
      if (!APPLICATION_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "applicationName: must be 1 to 63 printable ASCII characters (got "
                + name.length()
                + " characters"
                + (name.length() <= 63 ? ", some not printable ASCII" : "")
                + ")");
      }
      this.applicationName = name;
      return this;
    }

    /**
     * Adds an event listener (logins, pools, reclaims, budget exhaustion); see {@link
     * UserboundListener} for its threading contract. Listeners are called in the order
     * added, after the SLF4J audit log.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(UserboundListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Whether events are logged through SLF4J ({@link UserboundListener#slf4j()}). Default
     * true.
     *
     * @param on false to turn the audit log off
     * @return this builder
     */
    public Builder auditLog(boolean on) {
      this.auditLog = on;
      return this;
    }

    /**
     * Whether each database is registered in the platform MBean server as a {@link
     * DatabaseMXBean} while the instance is open. Default true.
     *
     * @param on false to register nothing
     * @return this builder
     */
    public Builder jmx(boolean on) {
      this.jmx = on;
      return this;
    }

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
      return new UserboundConfig(this, byName, logins);
    }
  }
}
