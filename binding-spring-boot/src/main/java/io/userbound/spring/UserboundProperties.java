package io.userbound.spring;

import io.userbound.core.DatabaseConfig;
import io.userbound.core.SessionReset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code userbound.*} properties: the databases and their pools, login throttling, JPA
 * and Spring Security.
 *
 * <p>Unset values keep the defaults of {@link io.userbound.core.DatabaseConfig} and {@link
 * io.userbound.core.LoginThrottling}. Each value is checked by the same builders as in code;
 * a bad one fails start-up with the property's name. An unknown key under {@code userbound}
 * fails start-up too, so that a typo does not quietly leave a default in place.
 *
 * <pre>
 * userbound.databases.finance.url=jdbc:postgresql://db1/finance
 * userbound.databases.finance.budget=40
 * userbound.databases.finance.packages=com.example.finance
 * userbound.databases.staff.url=jdbc:postgresql://db2/staff
 * userbound.databases.staff.packages=com.example.staff
 * </pre>
 *
 * <p>Not thread-safe; Spring binds it once at start-up.
 */
@ConfigurationProperties(prefix = "userbound", ignoreUnknownFields = false)
public class UserboundProperties {

  /** Whether to configure Userbound at all. */
  private boolean enabled = true;

  /** The application_name each connection reports to PostgreSQL. */
  private @Nullable String applicationName;

  /**
   * The databases on which a login's password is checked, in order; by default the first
   * database declared.
   */
  private List<String> verifyLoginsOn = new ArrayList<>();

  /** Whether to register a JMX MBean per database. */
  private boolean jmx = true;

  /** Whether to write the audit log (logins, logouts, refusals; never a password). */
  private boolean auditLog = true;

  /** The databases, by name; the name is what code, qualifiers and @Transactional use. */
  private Map<String, Database> databases = new LinkedHashMap<>();

  /** How failed logins are throttled. */
  private Throttling loginThrottling = new Throttling();

  /** JPA over the databases. */
  private Jpa jpa = new Jpa();

  /** Spring Security. */
  private Security security = new Security();

  /**
   * Returns whether Userbound is configured at all.
   *
   * @return {@code userbound.enabled}
   */
  public boolean isEnabled() {
    return enabled;
  }

  /**
   * Sets whether Userbound is configured at all.
   *
   * @param enabled {@code false} to configure nothing
   */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /**
   * Returns the application name connections report.
   *
   * @return the name, or {@code null} for the default
   */
  public @Nullable String getApplicationName() {
    return applicationName;
  }

  /**
   * Sets the application name connections report.
   *
   * @param applicationName the name
   */
  public void setApplicationName(String applicationName) {
    this.applicationName = applicationName;
  }

  /**
   * Returns the databases on which passwords are checked.
   *
   * @return the names; empty for the first database declared
   */
  public List<String> getVerifyLoginsOn() {
    return verifyLoginsOn;
  }

  /**
   * Sets the databases on which passwords are checked.
   *
   * @param verifyLoginsOn database names
   */
  public void setVerifyLoginsOn(List<String> verifyLoginsOn) {
    this.verifyLoginsOn = verifyLoginsOn;
  }

  /**
   * Returns whether a JMX MBean is registered per database.
   *
   * @return {@code userbound.jmx}
   */
  public boolean isJmx() {
    return jmx;
  }

  /**
   * Sets whether a JMX MBean is registered per database.
   *
   * @param jmx on or off
   */
  public void setJmx(boolean jmx) {
    this.jmx = jmx;
  }

  /**
   * Returns whether the audit log is written.
   *
   * @return {@code userbound.audit-log}
   */
  public boolean isAuditLog() {
    return auditLog;
  }

  /**
   * Sets whether the audit log is written.
   *
   * @param auditLog on or off
   */
  public void setAuditLog(boolean auditLog) {
    this.auditLog = auditLog;
  }

  /**
   * Returns the databases by name.
   *
   * @return the databases, in declaration order
   */
  public Map<String, Database> getDatabases() {
    return databases;
  }

  /**
   * Sets the databases by name.
   *
   * @param databases the databases
   */
  public void setDatabases(Map<String, Database> databases) {
    this.databases = databases;
  }

  /**
   * Returns the login throttling settings.
   *
   * @return the settings
   */
  public Throttling getLoginThrottling() {
    return loginThrottling;
  }

  /**
   * Sets the login throttling settings.
   *
   * @param loginThrottling the settings
   */
  public void setLoginThrottling(Throttling loginThrottling) {
    this.loginThrottling = loginThrottling;
  }

  /**
   * Returns the JPA settings.
   *
   * @return the settings
   */
  public Jpa getJpa() {
    return jpa;
  }

  /**
   * Sets the JPA settings.
   *
   * @param jpa the settings
   */
  public void setJpa(Jpa jpa) {
    this.jpa = jpa;
  }

  /**
   * Returns the Spring Security settings.
   *
   * @return the settings
   */
  public Security getSecurity() {
    return security;
  }

  /**
   * Sets the Spring Security settings.
   *
   * @param security the settings
   */
  public void setSecurity(Security security) {
    this.security = security;
  }

  /** One database: {@code userbound.databases.<name>.*}. */
  public static class Database {

    /** The JDBC URL, without user or password (jdbc:postgresql://host:5432/name). */
    private @Nullable String url;

    /** The most physical connections to this database across all people (default: 50). */
    private @Nullable Integer budget;

    /** The most connections one person holds to this database at once (default: 2). */
    private @Nullable Integer maxConnectionsPerPerson;

    /** How long a request waits for a connection before it fails (default: 5s). */
    private @Nullable Duration connectionTimeout;

    /** How long handing a connection back may take before it is closed instead. */
    private @Nullable Duration handBackTimeout;

    /** How long an unused person's pool stays open (default: 10m). */
    private @Nullable Duration idleTimeout;

    /** How long one physical connection lives at most (default: 30m). */
    private @Nullable Duration maxLifetime;

    /**
     * The bound on how long a login PostgreSQL would now refuse (VALID UNTIL passed,
     * NOLOGIN, CONNECT revoked) keeps being served (default: 30s; 0 turns it off under
     * dedicated pools).
     */
    private @Nullable Duration loginRecheck;

    /** The most people's pools open at once for this database (default: 10000). */
    private @Nullable Integer maxPools;

    /** What is reset when a connection is handed back (default: tracked). */
    private @Nullable SessionReset sessionReset;

    /** Idle connections of others closed ahead when the budget is spent. */
    private @Nullable Integer reclaimAhead;

    /** pgjdbc connection properties (sslmode, ...); never user or password. */
    private Map<String, String> driverProperties = new LinkedHashMap<>();

    /** The packages whose JPA entities live in this database. */
    private List<String> packages = new ArrayList<>();

    /** ROLE_SWITCHING: the gateway role this database's one pool logs in as. */
    private RoleSwitching roleSwitching = new RoleSwitching();

    /**
     * Returns the JDBC URL.
     *
     * @return the URL, or {@code null} while unset (start-up then fails naming the property)
     */
    public @Nullable String getUrl() {
      return url;
    }

    /**
     * Sets the JDBC URL.
     *
     * @param url the URL
     */
    public void setUrl(String url) {
      this.url = url;
    }

    /**
     * Returns the budget.
     *
     * @return connections, or {@code null} for the default
     */
    public @Nullable Integer getBudget() {
      return budget;
    }

    /**
     * Sets the budget.
     *
     * @param budget connections
     */
    public void setBudget(Integer budget) {
      this.budget = budget;
    }

    /**
     * Returns the most connections per person.
     *
     * @return connections, or {@code null} for the default
     */
    public @Nullable Integer getMaxConnectionsPerPerson() {
      return maxConnectionsPerPerson;
    }

    /**
     * Sets the most connections per person.
     *
     * @param maxConnectionsPerPerson connections
     */
    public void setMaxConnectionsPerPerson(Integer maxConnectionsPerPerson) {
      this.maxConnectionsPerPerson = maxConnectionsPerPerson;
    }

    /**
     * Returns the connection timeout.
     *
     * @return the timeout, or {@code null} for the default
     */
    public @Nullable Duration getConnectionTimeout() {
      return connectionTimeout;
    }

    /**
     * Sets the connection timeout.
     *
     * @param connectionTimeout the timeout
     */
    public void setConnectionTimeout(Duration connectionTimeout) {
      this.connectionTimeout = connectionTimeout;
    }

    /**
     * Returns the hand-back timeout.
     *
     * @return the timeout, or {@code null} for the default
     */
    public @Nullable Duration getHandBackTimeout() {
      return handBackTimeout;
    }

    /**
     * Sets the hand-back timeout.
     *
     * @param handBackTimeout the timeout
     */
    public void setHandBackTimeout(Duration handBackTimeout) {
      this.handBackTimeout = handBackTimeout;
    }

    /**
     * Returns the idle timeout of a person's pool.
     *
     * @return the timeout, or {@code null} for the default
     */
    public @Nullable Duration getIdleTimeout() {
      return idleTimeout;
    }

    /**
     * Sets the idle timeout of a person's pool.
     *
     * @param idleTimeout the timeout
     */
    public void setIdleTimeout(Duration idleTimeout) {
      this.idleTimeout = idleTimeout;
    }

    /**
     * Returns the longest life of a connection.
     *
     * @return the lifetime, or {@code null} for the default
     */
    public @Nullable Duration getMaxLifetime() {
      return maxLifetime;
    }

    /**
     * Sets the longest life of a connection.
     *
     * @param maxLifetime the lifetime
     */
    public void setMaxLifetime(Duration maxLifetime) {
      this.maxLifetime = maxLifetime;
    }

    /**
     * Returns the bound on serving a login PostgreSQL would now refuse.
     *
     * @return the interval, or {@code null} for the default
     */
    public @Nullable Duration getLoginRecheck() {
      return loginRecheck;
    }

    /**
     * Sets the bound on serving a login PostgreSQL would now refuse.
     *
     * @param loginRecheck the interval; zero turns the check off under dedicated pools
     */
    public void setLoginRecheck(Duration loginRecheck) {
      this.loginRecheck = loginRecheck;
    }

    /**
     * Returns the most pools open at once.
     *
     * @return pools, or {@code null} for the default
     */
    public @Nullable Integer getMaxPools() {
      return maxPools;
    }

    /**
     * Sets the most pools open at once.
     *
     * @param maxPools pools
     */
    public void setMaxPools(Integer maxPools) {
      this.maxPools = maxPools;
    }

    /**
     * Returns what is reset at hand-back.
     *
     * @return the reset, or {@code null} for the default
     */
    public @Nullable SessionReset getSessionReset() {
      return sessionReset;
    }

    /**
     * Sets what is reset at hand-back.
     *
     * @param sessionReset the reset
     */
    public void setSessionReset(SessionReset sessionReset) {
      this.sessionReset = sessionReset;
    }

    /**
     * Returns how many idle connections are reclaimed ahead.
     *
     * @return connections, or {@code null} for the default
     */
    public @Nullable Integer getReclaimAhead() {
      return reclaimAhead;
    }

    /**
     * Sets how many idle connections are reclaimed ahead.
     *
     * @param reclaimAhead connections
     */
    public void setReclaimAhead(Integer reclaimAhead) {
      this.reclaimAhead = reclaimAhead;
    }

    /**
     * Returns the pgjdbc connection properties.
     *
     * @return the properties
     */
    public Map<String, String> getDriverProperties() {
      return driverProperties;
    }

    /**
     * Sets the pgjdbc connection properties.
     *
     * @param driverProperties the properties
     */
    public void setDriverProperties(Map<String, String> driverProperties) {
      this.driverProperties = driverProperties;
    }

    /**
     * Returns the entity packages of this database.
     *
     * @return package names
     */
    public List<String> getPackages() {
      return packages;
    }

    /**
     * Sets the entity packages of this database.
     *
     * @param packages package names
     */
    public void setPackages(List<String> packages) {
      this.packages = packages;
    }

    /**
     * Returns the ROLE_SWITCHING settings.
     *
     * @return the settings
     */
    public RoleSwitching getRoleSwitching() {
      return roleSwitching;
    }

    /**
     * Sets the ROLE_SWITCHING settings.
     *
     * @param roleSwitching the settings
     */
    public void setRoleSwitching(RoleSwitching roleSwitching) {
      this.roleSwitching = roleSwitching;
    }

    @Override
    public String toString() {
      return "Database[url=" + (url == null ? null : DatabaseConfig.maskUrl(url)) + "]";
    }
  }

  /**
   * The ROLE_SWITCHING strategy of one database (see {@link
   * io.userbound.core.IsolationStrategy#ROLE_SWITCHING}): set both to switch it on.
   */
  public static class RoleSwitching {

    /** The gateway role; a member of the people's roles, not privileged. */
    private @Nullable String role;

    /** The gateway role's password (put it in a secret store, not in a file). */
    private char @Nullable [] password;

    /**
     * Returns the gateway role.
     *
     * @return the role, or {@code null} for DEDICATED_POOLS
     */
    public @Nullable String getRole() {
      return role;
    }

    /**
     * Sets the gateway role.
     *
     * @param role the role
     */
    public void setRole(String role) {
      this.role = role;
    }

    /**
     * Returns a copy of the gateway password.
     *
     * @return the password, or {@code null}
     */
    public char @Nullable [] getPassword() {
      return password == null ? null : password.clone();
    }

    /**
     * Sets the gateway password.
     *
     * @param password the password
     */
    public void setPassword(char @Nullable [] password) {
      this.password = password == null ? null : password.clone();
    }

    @Override
    public String toString() {
      return "RoleSwitching[role="
          + role
          + ", password="
          + (password == null ? null : "****")
          + "]";
    }
  }

  /** {@code userbound.login-throttling.*}; see {@link io.userbound.core.LoginThrottling}. */
  public static class Throttling {

    /** Failed logins of one role before it is slowed down (default: 5). */
    private @Nullable Integer failuresPerRole;

    /** Failed logins from one client before it is slowed down (default: 20). */
    private @Nullable Integer failuresPerClient;

    /** The first wait after too many failures, doubling after that (default: 1s). */
    private @Nullable Duration backoff;

    /** The longest wait for a role (default: 1m). */
    private @Nullable Duration maxBackoffPerRole;

    /** The longest wait for a client (default: 15m). */
    private @Nullable Duration maxBackoffPerClient;

    /** When failures are forgotten (default: 15m). */
    private @Nullable Duration forgetAfter;

    /** The most roles and clients tracked at once (default: 100000). */
    private @Nullable Integer maxTracked;

    /** The most logins verified at the same time (default: 8). */
    private @Nullable Integer maxConcurrentLogins;

    /**
     * Returns the failures per role.
     *
     * @return the count, or {@code null} for the default
     */
    public @Nullable Integer getFailuresPerRole() {
      return failuresPerRole;
    }

    /**
     * Sets the failures per role.
     *
     * @param failuresPerRole the count
     */
    public void setFailuresPerRole(Integer failuresPerRole) {
      this.failuresPerRole = failuresPerRole;
    }

    /**
     * Returns the failures per client.
     *
     * @return the count, or {@code null} for the default
     */
    public @Nullable Integer getFailuresPerClient() {
      return failuresPerClient;
    }

    /**
     * Sets the failures per client.
     *
     * @param failuresPerClient the count
     */
    public void setFailuresPerClient(Integer failuresPerClient) {
      this.failuresPerClient = failuresPerClient;
    }

    /**
     * Returns the first back-off.
     *
     * @return the wait, or {@code null} for the default
     */
    public @Nullable Duration getBackoff() {
      return backoff;
    }

    /**
     * Sets the first back-off.
     *
     * @param backoff the wait
     */
    public void setBackoff(Duration backoff) {
      this.backoff = backoff;
    }

    /**
     * Returns the longest wait for a role.
     *
     * @return the wait, or {@code null} for the default
     */
    public @Nullable Duration getMaxBackoffPerRole() {
      return maxBackoffPerRole;
    }

    /**
     * Sets the longest wait for a role.
     *
     * @param maxBackoffPerRole the wait
     */
    public void setMaxBackoffPerRole(Duration maxBackoffPerRole) {
      this.maxBackoffPerRole = maxBackoffPerRole;
    }

    /**
     * Returns the longest wait for a client.
     *
     * @return the wait, or {@code null} for the default
     */
    public @Nullable Duration getMaxBackoffPerClient() {
      return maxBackoffPerClient;
    }

    /**
     * Sets the longest wait for a client.
     *
     * @param maxBackoffPerClient the wait
     */
    public void setMaxBackoffPerClient(Duration maxBackoffPerClient) {
      this.maxBackoffPerClient = maxBackoffPerClient;
    }

    /**
     * Returns when failures are forgotten.
     *
     * @return the time, or {@code null} for the default
     */
    public @Nullable Duration getForgetAfter() {
      return forgetAfter;
    }

    /**
     * Sets when failures are forgotten.
     *
     * @param forgetAfter the time
     */
    public void setForgetAfter(Duration forgetAfter) {
      this.forgetAfter = forgetAfter;
    }

    /**
     * Returns the most roles and clients tracked.
     *
     * @return the count, or {@code null} for the default
     */
    public @Nullable Integer getMaxTracked() {
      return maxTracked;
    }

    /**
     * Sets the most roles and clients tracked.
     *
     * @param maxTracked the count
     */
    public void setMaxTracked(Integer maxTracked) {
      this.maxTracked = maxTracked;
    }

    /**
     * Returns the most logins verified at once.
     *
     * @return the count, or {@code null} for the default
     */
    public @Nullable Integer getMaxConcurrentLogins() {
      return maxConcurrentLogins;
    }

    /**
     * Sets the most logins verified at once.
     *
     * @param maxConcurrentLogins the count
     */
    public void setMaxConcurrentLogins(Integer maxConcurrentLogins) {
      this.maxConcurrentLogins = maxConcurrentLogins;
    }
  }

  /** {@code userbound.jpa.*}. */
  public static class Jpa {

    /**
     * Whether to build an EntityManagerFactory and a JpaTransactionManager per database that
     * has entities.
     */
    private boolean enabled = true;

    /**
     * Also scan for @UserboundDatabase package annotations below these packages (always: the
     * application's auto-configuration packages).
     */
    private List<String> scanPackages = new ArrayList<>();

    /**
     * A second-level cache, partitioned by person, whose entries live at most this long;
     * off when unset.
     */
    private @Nullable Duration secondLevelCache;

    /** Hibernate settings for every database (hibernate.show_sql, ...). */
    private Map<String, String> properties = new LinkedHashMap<>();

    /**
     * Returns whether JPA is configured.
     *
     * @return {@code userbound.jpa.enabled}
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Sets whether JPA is configured.
     *
     * @param enabled on or off
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * Returns the extra packages to scan for {@code @UserboundDatabase}.
     *
     * @return package names
     */
    public List<String> getScanPackages() {
      return scanPackages;
    }

    /**
     * Sets the extra packages to scan for {@code @UserboundDatabase}.
     *
     * @param scanPackages package names
     */
    public void setScanPackages(List<String> scanPackages) {
      this.scanPackages = scanPackages;
    }

    /**
     * Returns the second-level cache's longest staleness.
     *
     * @return the staleness, or {@code null} when off
     */
    public @Nullable Duration getSecondLevelCache() {
      return secondLevelCache;
    }

    /**
     * Sets the second-level cache's longest staleness.
     *
     * @param secondLevelCache the staleness
     */
    public void setSecondLevelCache(Duration secondLevelCache) {
      this.secondLevelCache = secondLevelCache;
    }

    /**
     * Returns the Hibernate settings.
     *
     * @return the settings
     */
    public Map<String, String> getProperties() {
      return properties;
    }

    /**
     * Sets the Hibernate settings.
     *
     * @param properties the settings
     */
    public void setProperties(Map<String, String> properties) {
      this.properties = properties;
    }
  }

  /** {@code userbound.security.*}. */
  public static class Security {

    /** Whether to log people in through Spring Security and bind each request. */
    private boolean enabled = true;

    /** The authorities a logged-in person gets. */
    private List<String> authorities = new ArrayList<>(List.of("ROLE_USER"));

    /** Other origins whose pages may log people in (by default only the app's own). */
    private List<String> allowedOrigins = new ArrayList<>();

    /** Proxies whose X-Forwarded-For and Forwarded name the client for login throttling. */
    private List<String> trustedProxies = new ArrayList<>();

    /** How many leading bits of an IPv6 address name one client for login throttling. */
    private int ipv6ThrottlePrefix = 64;

    /** Sign in with SSO: OpenID Connect logins and bearer tokens. */
    private Oidc oidc = new Oidc();

    /**
     * Returns whether Spring Security is configured.
     *
     * @return {@code userbound.security.enabled}
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Sets whether Spring Security is configured.
     *
     * @param enabled on or off
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * Returns the authorities of a logged-in person.
     *
     * @return authority names
     */
    public List<String> getAuthorities() {
      return authorities;
    }

    /**
     * Sets the authorities of a logged-in person.
     *
     * @param authorities authority names
     */
    public void setAuthorities(List<String> authorities) {
      this.authorities = authorities;
    }

    /**
     * Returns the other origins allowed to log people in.
     *
     * @return origins such as {@code https://app.example.com}
     */
    public List<String> getAllowedOrigins() {
      return allowedOrigins;
    }

    /**
     * Sets the other origins allowed to log people in.
     *
     * @param allowedOrigins origins
     */
    public void setAllowedOrigins(List<String> allowedOrigins) {
      this.allowedOrigins = allowedOrigins;
    }

    /**
     * Returns the trusted proxies.
     *
     * @return addresses
     */
    public List<String> getTrustedProxies() {
      return trustedProxies;
    }

    /**
     * Sets the trusted proxies.
     *
     * @param trustedProxies addresses
     */
    public void setTrustedProxies(List<String> trustedProxies) {
      this.trustedProxies = trustedProxies;
    }

    /**
     * Returns how many leading bits of an IPv6 address name one client for login throttling.
     *
     * @return {@code userbound.security.ipv6-throttle-prefix}, 64 unless set
     */
    public int getIpv6ThrottlePrefix() {
      return ipv6ThrottlePrefix;
    }

    /**
     * Sets how many leading bits of an IPv6 address name one client for login throttling;
     * checked (1 to 128) when the login service is built.
     *
     * @param ipv6ThrottlePrefix the prefix length
     */
    public void setIpv6ThrottlePrefix(int ipv6ThrottlePrefix) {
      this.ipv6ThrottlePrefix = ipv6ThrottlePrefix;
    }

    /**
     * Returns the SSO settings.
     *
     * @return {@code userbound.security.oidc.*}
     */
    public Oidc getOidc() {
      return oidc;
    }

    /**
     * Sets the SSO settings.
     *
     * @param oidc the settings
     */
    public void setOidc(Oidc oidc) {
      this.oidc = oidc;
    }
  }

  /**
   * Sign in with SSO ({@code userbound.security.oidc.*}): a person whose OpenID Connect
   * provider vouches for them logs in as the PostgreSQL role a claim of their token names,
   * with no database password (see {@link UserboundOidcAutoConfiguration}). Needs {@code
   * ROLE_SWITCHING} on the login databases.
   */
  public static class Oidc {

    /** Whether people may sign in with SSO (browser OAuth2 login and bearer tokens). */
    private boolean enabled;

    /**
     * The issuer: tokens must carry exactly this {@code iss}; its keys come from its
     * discovery document unless {@code jwk-set-uri} is set.
     */
    private @Nullable String issuerUri;

    /** Where the issuer's signing keys are, if not from the discovery document. */
    private @Nullable String jwkSetUri;

    /** Tokens must name one of these in {@code aud} (your client id); required. */
    private List<String> audience = new ArrayList<>();

    /**
     * The claim that names the PostgreSQL role, used exactly as written: no case folding,
     * no quoting.
     */
    private String roleClaim = "preferred_username";

    /** Put before the claim's value to make the role name ({@code sso_}, say); empty: none. */
    private String rolePrefix = "";

    /** How far the clocks of the provider and this application may disagree. */
    private Duration clockSkew = Duration.ofSeconds(60);

    /** Whether the password form stays on beside SSO. */
    private boolean passwordLogin = true;

    /** Whether an {@code Authorization: Bearer} token on a request logs its person in. */
    private boolean bearerTokens = true;

    /**
     * Returns whether SSO is on.
     *
     * @return {@code userbound.security.oidc.enabled}
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Sets whether SSO is on.
     *
     * @param enabled on or off
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * Returns the issuer.
     *
     * @return the issuer URI, or {@code null} while unset (start-up then fails naming it)
     */
    public @Nullable String getIssuerUri() {
      return issuerUri;
    }

    /**
     * Sets the issuer.
     *
     * @param issuerUri the issuer URI
     */
    public void setIssuerUri(String issuerUri) {
      this.issuerUri = issuerUri;
    }

    /**
     * Returns where the signing keys are.
     *
     * @return the JWK Set URI, or {@code null} for the discovery document's
     */
    public @Nullable String getJwkSetUri() {
      return jwkSetUri;
    }

    /**
     * Sets where the signing keys are.
     *
     * @param jwkSetUri the JWK Set URI
     */
    public void setJwkSetUri(String jwkSetUri) {
      this.jwkSetUri = jwkSetUri;
    }

    /**
     * Returns the accepted audiences.
     *
     * @return the audiences
     */
    public List<String> getAudience() {
      return audience;
    }

    /**
     * Sets the accepted audiences.
     *
     * @param audience the audiences
     */
    public void setAudience(List<String> audience) {
      this.audience = audience;
    }

    /**
     * Returns the claim naming the role.
     *
     * @return the claim name
     */
    public String getRoleClaim() {
      return roleClaim;
    }

    /**
     * Sets the claim naming the role.
     *
     * @param roleClaim the claim name
     */
    public void setRoleClaim(String roleClaim) {
      this.roleClaim = roleClaim;
    }

    /**
     * Returns the role prefix.
     *
     * @return the prefix; empty for none
     */
    public String getRolePrefix() {
      return rolePrefix;
    }

    /**
     * Sets the role prefix.
     *
     * @param rolePrefix the prefix
     */
    public void setRolePrefix(String rolePrefix) {
      this.rolePrefix = rolePrefix;
    }

    /**
     * Returns the clock skew allowed.
     *
     * @return the skew
     */
    public Duration getClockSkew() {
      return clockSkew;
    }

    /**
     * Sets the clock skew allowed.
     *
     * @param clockSkew the skew
     */
    public void setClockSkew(Duration clockSkew) {
      this.clockSkew = clockSkew;
    }

    /**
     * Returns whether the password form stays on.
     *
     * @return {@code userbound.security.oidc.password-login}
     */
    public boolean isPasswordLogin() {
      return passwordLogin;
    }

    /**
     * Sets whether the password form stays on.
     *
     * @param passwordLogin on or off
     */
    public void setPasswordLogin(boolean passwordLogin) {
      this.passwordLogin = passwordLogin;
    }

    /**
     * Returns whether bearer tokens log people in.
     *
     * @return {@code userbound.security.oidc.bearer-tokens}
     */
    public boolean isBearerTokens() {
      return bearerTokens;
    }

    /**
     * Sets whether bearer tokens log people in.
     *
     * @param bearerTokens on or off
     */
    public void setBearerTokens(boolean bearerTokens) {
      this.bearerTokens = bearerTokens;
    }
  }
}
