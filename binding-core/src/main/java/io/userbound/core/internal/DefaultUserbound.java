package io.userbound.core.internal;

import io.userbound.core.Binding;
import io.userbound.core.DatabaseConfig;
import io.userbound.core.DatabaseHealth;
import io.userbound.core.DatabaseStats;
import io.userbound.core.IdentityVerifier;
import io.userbound.core.LogText;
import io.userbound.core.Login;
import io.userbound.core.LoginFailedException;
import io.userbound.core.LoginThrottledException;
import io.userbound.core.NotBoundException;
import io.userbound.core.TimingListener;
import io.userbound.core.TrustedLoginUnsupportedException;
import io.userbound.core.UnknownDatabaseException;
import io.userbound.core.Userbound;
import io.userbound.core.UserboundConfig;
import io.userbound.core.UserboundEvent;
import io.userbound.core.VerifiedIdentity;
import java.security.SecureRandom;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * The registry. Threads: one shared housekeeping thread for every HikariCP pool and for
 * Caffeine's expiry (HikariCP would otherwise start one per pool), and a small closer
 * pool that shuts retired pools down off the request threads; both are per instance and
 * idle threads of the closer time out. HikariCP's own per-pool adder/closer executors
 * start threads only while connections open or close and let them die after 5 s idle,
 * so an idle person costs no thread.
 *
 * The binding is an instance ThreadLocal, not a static one: two instances in one JVM
 * never see each other's bindings. Each thread keeps one slot for the life of the
 * instance (see ThreadBinding), so a request costs one ThreadLocal read to bind and one
 * to find the login again.
 */
public final class DefaultUserbound implements Userbound {

  private static final Logger log = LoggerFactory.getLogger(DefaultUserbound.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();
  private static final SecureRandom TOKEN_FINGERPRINTS = new SecureRandom();

  private final UserboundConfig config;
  private final Map<String, Database> databases = new LinkedHashMap<>();
  private final List<Database> loginDatabases = new ArrayList<>();
  private final LoginGuard guard;
  private final ThreadLocal<ThreadBinding.Slot> bound =
      ThreadLocal.withInitial(ThreadBinding.Slot::new);
  private final Map<String, DataSource> dataSources = new LinkedHashMap<>();
  private final Fingerprints fingerprints = new Fingerprints();
  private final ScheduledThreadPoolExecutor scheduler;
  private final ThreadPoolExecutor closer;
  private volatile boolean closed;
  private final Signals signals;
  private final AtomicLong serials = new AtomicLong();
  private final Map<String, Long> revokedUpTo = new ConcurrentHashMap<>(); // logoutRole
  private final Jmx jmx;

  /**
   * Not API: use {@link Userbound#create(UserboundConfig)}.
   *
   * @param config the configuration
   */
  public DefaultUserbound(UserboundConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    int id = INSTANCES.incrementAndGet();
    this.scheduler =
        new ScheduledThreadPoolExecutor(1, daemonThreads("userbound-" + id + "-housekeeper"));
    scheduler.setRemoveOnCancelPolicy(true);
    scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.closer =
        new ThreadPoolExecutor(
            2,
            2,
            10,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            daemonThreads("userbound-" + id + "-closer"));
    closer.allowCoreThreadTimeOut(true);
    ThreadFactory hikariThreads = daemonThreads("userbound-" + id + "-pool");
    this.signals = new Signals(config.listeners());
    ServerLimits limits = new ServerLimits(config);
    for (DatabaseConfig db : config.databases()) {
      databases.put(
          db.name(),
          new Database(
              db,
              databases.size(),
              config.ticker(),
              scheduler,
              closer,
              hikariThreads,
              config.applicationName(),
              signals,
              limits.of(db.name()),
              config.loginPolicy()));
      dataSources.put(db.name(), new BoundDataSource(this, db.name()));
    }
    for (String name : config.loginDatabases()) {
      loginDatabases.add(databases.get(name));
    }
    this.guard = new LoginGuard(config.loginThrottling(), config.ticker()::read);
    loginDatabases.get(0).reportThrottled(guard.throttled::sum);
    this.jmx = config.jmx() ? new Jmx(this, config.applicationName()) : null;
    try {
      for (Database db : databases.values()) {
        db.warmUp(); // ROLE_SWITCHING: the gateway is checked now; an unsafe one stops here
      }
      if (jmx != null) {
        jmx.register(databases.keySet());
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    log.info(
        "Userbound started with databases {} (logins verified on {})",
        databases.keySet(),
        config.loginDatabases());
  }

  @Override
  public Login login(String role, char[] password, String client) {
    checkOpen();
    try {
      DefaultLogin login = verify(role, password, client);
      signals.event(
          UserboundEvent.Type.LOGIN_ACCEPTED,
          login.decidedBy,
          role,
          client,
          "PostgreSQL accepted the password");
      return login;
    } catch (LoginThrottledException e) {
      signals.event(
          UserboundEvent.Type.LOGIN_THROTTLED,
          loginDatabases.get(0).name(),
          role,
          client,
          "retry after " + e.retryAfter().toMillis() + " ms");
      throw e;
    } catch (LoginFailedException e) {
      signals.event(
          UserboundEvent.Type.LOGIN_REFUSED,
          e.database() == null ? loginDatabases.get(0).name() : e.database(),
          role,
          client,
          e.sqlState() == null ? "refused" : "SQLSTATE " + e.sqlState());
      throw e;
    }
  }

  private DefaultLogin verify(String role, char[] password, String client) {
    guard.admitClient(client);
    try {
      Names.checkLogin(role, password);
    } catch (LoginFailedException e) {
      guard.refusedEarly(client);
      throw e;
    }
    guard.admit(role, client);
    boolean failed = true;
    DefaultLogin login =
        new DefaultLogin(
            this,
            role,
            password,
            fingerprints.of(role, password),
            databases.size(),
            config.ticker());
    login.serial = serials.incrementAndGet();
    try {
      RuntimeException unanswered = null;
      for (Database db : loginDatabases) {
        Database.Verification v = db.verify(login, config.loginPolicy());
        switch (v.verdict()) {
          case ACCEPTED, PROVEN -> {
            failed = false;
            login.decidedBy = db.name();
            return login;
          }
          case REFUSED -> throw v.failure();
          default -> unanswered = v.failure();
        }
      }
      // No database could decide: a refusal before authentication everywhere counts as a
      // failed attempt; an outage does not.
      failed = unanswered instanceof LoginFailedException;
      throw unanswered;
    } catch (RuntimeException e) {
      login.logOut();
      throw e;
    } finally {
      guard.done(role, client, failed);
    }
  }

  @Override
  public Login loginWithToken(String credential, @Nullable String client) {
    checkOpen();
    Objects.requireNonNull(credential, "credential");
    String database = loginDatabases.get(0).name();
    VerifiedIdentity identity;
    try {
      identity = identify(credential, client);
    } catch (LoginFailedException e) {
      signals.event(
          UserboundEvent.Type.LOGIN_REFUSED, database, "", client, "the token was refused");
      throw e;
    } catch (LoginThrottledException e) {
      signals.event(
          UserboundEvent.Type.LOGIN_THROTTLED,
          database,
          "",
          client,
          "retry after " + e.retryAfter().toMillis() + " ms");
      throw e;
    }
    String role = identity.role();
    String who = tokenOf(identity);
    try {
      DefaultLogin login = verifyToken(identity, client);
      signals.event(
          UserboundEvent.Type.LOGIN_ACCEPTED,
          login.decidedBy,
          role,
          client,
          "the gateway may set the role; " + who);
      return login;
    } catch (LoginThrottledException e) {
      signals.event(
          UserboundEvent.Type.LOGIN_THROTTLED,
          database,
          role,
          client,
          "retry after " + e.retryAfter().toMillis() + " ms; " + who);
      throw e;
    } catch (LoginFailedException | TrustedLoginUnsupportedException e) {
      signals.event(
          UserboundEvent.Type.LOGIN_REFUSED,
          e.database() == null ? database : e.database(),
          role,
          client,
          (e.sqlState() == null ? "refused" : "SQLSTATE " + e.sqlState()) + "; " + who);
      throw e;
    }
  }

  /* The verifier's answer; whatever else it throws is a refusal that names nothing of the token. */
  private VerifiedIdentity identify(String credential, @Nullable String client) {
    guard.admitClient(client);
    IdentityVerifier verifier = config.identityVerifier().orElse(null);
    if (verifier == null) {
      guard.refusedEarly(client);
      throw new LoginFailedException(
          null,
          "login refused: no identity verifier is configured"
              + " (UserboundConfig.Builder.identityVerifier), so no token is accepted",
          null,
          null);
    }
    VerifiedIdentity identity;
    try {
      identity = verifier.verify(credential);
    } catch (LoginFailedException e) {
      guard.refusedEarly(client);
      throw e;
    } catch (RuntimeException e) {
      guard.refusedEarly(client);
      log.debug("the identity verifier failed with {}", e.getClass().getName());
      throw new LoginFailedException(
          null, "login refused: the identity verifier could not check the token", null, null);
    }
    if (identity == null) {
      guard.refusedEarly(client);
      throw new LoginFailedException(
          null, "login refused: the identity verifier named nobody", null, null);
    }
    try {
      Names.checkRole(identity.role());
    } catch (LoginFailedException e) {
      guard.refusedEarly(client);
      throw e;
    }
    return identity;
  }

  private static String tokenOf(VerifiedIdentity identity) {
    return "token of issuer "
        + LogText.escape(identity.issuer(), 200)
        + ", subject "
        + LogText.escape(identity.subject(), 200);
  }

  private DefaultLogin verifyToken(VerifiedIdentity identity, @Nullable String client) {
    String role = identity.role();
    guard.admit(role, client);
    boolean failed = true;
    byte[] fingerprint = new byte[32];
    TOKEN_FINGERPRINTS.nextBytes(fingerprint); // matches no pool's: it can open none
    DefaultLogin login =
        new DefaultLogin(this, identity, fingerprint, databases.size(), config.ticker());
    login.serial = serials.incrementAndGet();
    try {
      RuntimeException unanswered = null;
      for (Database db : loginDatabases) {
        Database.Verification v = db.verifyToken(login);
        switch (v.verdict()) {
          case ACCEPTED, PROVEN -> {
            failed = false;
            login.decidedBy = db.name();
            return login;
          }
          case REFUSED -> {
            // A database that cannot serve token logins is the configuration's fault, not a
            // failed attempt of the person's.
            failed = !(v.failure() instanceof TrustedLoginUnsupportedException);
            throw v.failure();
          }
          default -> unanswered = v.failure();
        }
      }
      failed = unanswered instanceof LoginFailedException;
      throw unanswered;
    } catch (RuntimeException e) {
      login.logOut();
      throw e;
    } finally {
      guard.done(role, client, failed);
    }
  }

  @Override
  public void logout(Login login) {
    DefaultLogin l = own(login);
    l.logOut(); // first: a pool that is being opened for it sees this and closes itself
    for (Database db : databases.values()) {
      db.evict(l.role);
    }
  }

  @Override
  public void release(Login login) {
    own(login).logOut();
  }

  @Override
  public Binding bind(Login login) {
    return bound.get().bind(own(login));
  }

  @Override
  public Optional<Login> current() {
    return Optional.ofNullable(bound.get().current());
  }

  @Override
  public int unbindAll() {
    return bound.get().clear();
  }

  @Override
  public Connection connection(String database) {
    DefaultLogin login = bound.get().current();
    if (login == null) {
      throw new NotBoundException(
          "no login is bound to this thread, so there is no connection to give for database '"
              + database
              + "'. Bind one with Userbound.bind(login) (in a web application: is this request"
              + " going through the Userbound filter, and is the person logged in?)");
    }
    return connect(login, database);
  }

  @Override
  public Connection connection(Login login, String database) {
    return connect(own(login), database);
  }

  private Connection connect(DefaultLogin login, String database) {
    Database db = database(database);
    if (login.isLoggedOut()) {
      throw new LoginFailedException(
          database,
          "the login of " + Names.forMessage(login.role) + " was logged out; log in again",
          null,
          null);
    }
    checkOpen();
    if (!signals.timed()) {
      return db.connection(login);
    }
    long started = System.nanoTime();
    Connection c = db.connection(login);
    signals.borrowed(db.name(), System.nanoTime() - started);
    return c;
  }

  @Override
  public DataSource dataSource(String database) {
    database(database);
    return dataSources.get(database);
  }

  @Override
  public DatabaseStats stats(String database) {
    return database(database).stats();
  }

  @Override
  public List<DatabaseStats> stats() {
    List<DatabaseStats> all = new ArrayList<>();
    for (Database db : databases.values()) {
      all.add(db.stats());
    }
    return all;
  }

  @Override
  public DatabaseHealth health(String database) {
    return database(database).health();
  }

  @Override
  public List<DatabaseHealth> health() {
    List<DatabaseHealth> all = new ArrayList<>();
    for (Database db : databases.values()) {
      all.add(db.health());
    }
    return all;
  }

  @Override
  public int logoutRole(String role) {
    Objects.requireNonNull(role, "role");
    revokedUpTo.merge(role, serials.get(), Math::max);
    int had = 0;
    for (Database db : databases.values()) {
      if (db.evict(role)) {
        had++;
      }
    }
    log.info(
        "every login of {} was logged out ({} databases had connections)",
        Names.forMessage(role),
        had);
    return had;
  }

  /** {@return whether {@link #logoutRole} revoked this login: it was made before the call} */
  boolean revoked(DefaultLogin login) {
    if (revokedUpTo.isEmpty()) {
      return false;
    }
    Long upTo = revokedUpTo.get(login.role);
    return upTo != null && login.serial <= upTo;
  }

  @Override
  public int closeIdle(String database) {
    return database(database).closeIdle();
  }

  @Override
  public void addTimingListener(TimingListener listener) {
    signals.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public void removeTimingListener(TimingListener listener) {
    signals.remove(listener);
  }

  @Override
  public UserboundConfig config() {
    return config;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (jmx != null) {
      jmx.unregister();
    }
    for (Database db : databases.values()) {
      try {
        db.close();
      } catch (RuntimeException e) {
        log.warn("closing database '{}' failed: {}", db.name(), e.toString());
      }
    }
    closer.shutdown();
    scheduler.shutdownNow();
    try {
      closer.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.info("Userbound closed");
  }

  private Database database(String name) {
    Database db = databases.get(name);
    if (db == null) {
      throw new UnknownDatabaseException(
          "no database named '" + name + "' is configured; declared: " + databases.keySet());
    }
    return db;
  }

  private DefaultLogin own(Login login) {
    Objects.requireNonNull(login, "login");
    if (login instanceof DefaultLogin l && l.owner == this) {
      return l;
    }
    throw new IllegalArgumentException(
        "this login was not made by this Userbound instance: " + login);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("this Userbound instance is closed");
    }
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public String toString() {
    return "Userbound" + databases.keySet();
  }
}
