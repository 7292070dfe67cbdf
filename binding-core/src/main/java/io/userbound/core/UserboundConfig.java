package io.userbound.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The databases an application talks to and which one checks a password at login.
 * Immutable and thread-safe; create it with {@link #builder()}.
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
  private final String loginDatabase;

  private UserboundConfig(Map<String, DatabaseConfig> databases, String loginDatabase) {
    this.databases = Collections.unmodifiableMap(new LinkedHashMap<>(databases));
    this.loginDatabase = loginDatabase;
  }

  /**
   * Starts an empty builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the declared databases in declaration order */
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
      throw new UnknownDatabaseException("no database named '" + name + "' is configured; declared: "
          + databases.keySet());
    }
    return db;
  }

  /** @return the name of the database that verifies passwords at login */
  public String loginDatabase() {
    return loginDatabase;
  }

  @Override
  public String toString() {
    return "UserboundConfig{loginDatabase=" + loginDatabase + ", databases=" + databases.values() + "}";
  }

  /** Builds a {@link UserboundConfig}. Not thread-safe. */
  public static final class Builder {

    private final List<DatabaseConfig> databases = new ArrayList<>();
    private String loginDatabase;

    private Builder() {
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
     * Names the database that verifies a password at login. Default: the first declared.
     *
     * @param name a declared database's name (checked by {@link #build()})
     * @return this builder
     */
    public Builder verifyLoginsOn(String name) {
      this.loginDatabase = Objects.requireNonNull(name, "verifyLoginsOn");
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
      String login = loginDatabase == null ? databases.get(0).name() : loginDatabase;
      if (!byName.containsKey(login)) {
        throw new IllegalArgumentException("verifyLoginsOn = " + login
            + ": not a declared database; declared: " + byName.keySet());
      }
      return new UserboundConfig(byName, login);
    }
  }
}
