package io.userbound.testkit.internal;

import io.userbound.testkit.Backend;
import io.userbound.testkit.PgBouncer;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.PostgresUnavailableException;
import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The test kit's PgBouncer: a {@code pgbouncer} child process in the foreground, with its
 * configuration, {@code auth_file} and log in a temporary directory (owned by the server's OS
 * user when the JVM runs as root, since PgBouncer refuses to run as root). Behind {@link
 * PgBouncer#start(PostgresServer, PgBouncer.PoolMode)}. Not API.
 *
 * <p>The {@code auth_file} holds one plaintext password, random and PgBouncer's own: the
 * lookup role's (PgBouncer logs in to the server with it to run {@code auth_query}). No
 * person's password or verifier is ever written to a file. The admin console's user is
 * trusted on loopback only ({@code auth_hba_file}); everyone else logs in with SCRAM.
 */
public final class LocalPgBouncer implements PgBouncer {
  private static final Logger LOG = LoggerFactory.getLogger(LocalPgBouncer.class);
  private static final String HOST = "127.0.0.1";
  private static final String ADMIN_USER = "userbound_pgbouncer_admin";
  private static final String AUTH_SCHEMA = "pgbouncer_auth";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration DEFAULT_SERVER_IDLE_TIMEOUT = Duration.ofSeconds(1);
  private static final int PORT_ATTEMPTS = 5;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Object SETUP_LOCK = new Object(); // one CREATE OR REPLACE at a time

  private final PostgresServer server;
  private final PoolMode mode;
  private final Path binary;
  private final RunAs runAs;
  private final Path baseDir;
  private final Path logFile;
  private static final int ADMIN_HEADROOM = 5;
  private final String lookupRole;
  private final char[] lookupPassword;
  private final long serverIdleSeconds;
  private volatile int port;
  private volatile Process process; // written under the lock
  private volatile boolean closed;

  private LocalPgBouncer(
      PostgresServer server,
      PoolMode mode,
      Path binary,
      RunAs runAs,
      Path baseDir,
      long serverIdleSeconds) {
    this.server = server;
    this.serverIdleSeconds = serverIdleSeconds;
    this.mode = mode;
    this.binary = binary;
    this.runAs = runAs;
    this.baseDir = baseDir;
    this.logFile = baseDir.resolve("pgbouncer.log");
    this.lookupRole = "userbound_pgbouncer_lookup_" + Long.toString(RANDOM.nextLong() >>> 1, 36);
    this.lookupPassword = Passwords.random(24);
  }

  /**
   * Finds the {@code pgbouncer} binary.
   *
   * @return its path, or empty if none is installed
   * @throws PostgresUnavailableException if {@code USERBOUND_PGBOUNCER_BIN} names no executable
   */
  public static Optional<Path> binary() {
    Optional<String> explicit = Env.get(Env.PGBOUNCER_BIN);
    if (explicit.isPresent()) {
      Path p = Path.of(explicit.get());
      if (!Files.isExecutable(p)) {
        throw new PostgresUnavailableException(
            Env.describe(Env.PGBOUNCER_BIN) + " is " + p + ", which is not an executable file");
      }
      return Optional.of(p);
    }
    Stream<Path> fixed = Stream.of(Path.of("/usr/sbin/pgbouncer"), Path.of("/usr/bin/pgbouncer"));
    String path = System.getenv("PATH");
    Stream<Path> onPath =
        path == null
            ? Stream.empty()
            : Arrays.stream(path.split(File.pathSeparator))
                .filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, "pgbouncer"));
    return Stream.concat(fixed, onPath).filter(Files::isExecutable).findFirst();
  }

  /**
   * Starts one in front of a server.
   *
   * @param server the server
   * @param mode the pool mode
   * @return the running PgBouncer
   * @throws PostgresUnavailableException if there is no binary or it does not start
   */
  public static LocalPgBouncer create(PostgresServer server, PoolMode mode) {
    return create(server, mode, DEFAULT_SERVER_IDLE_TIMEOUT);
  }

  /**
   * Starts one in front of a server whose idle server connections stay open this long.
   *
   * @param server the server
   * @param mode the pool mode
   * @param serverIdleTimeout PgBouncer's {@code server_idle_timeout}, whole seconds, at least 1
   * @return the running PgBouncer
   * @throws IllegalArgumentException if the timeout is not a whole number of seconds from 1
   * @throws PostgresUnavailableException if there is no binary or it does not start
   */
  public static LocalPgBouncer create(
      PostgresServer server, PoolMode mode, Duration serverIdleTimeout) {
    if (server == null || mode == null || serverIdleTimeout == null) {
      throw new IllegalArgumentException("server, mode and serverIdleTimeout must not be null");
    }
    if (serverIdleTimeout.toNanos() % 1_000_000_000L != 0 || serverIdleTimeout.toSeconds() < 1) {
      throw new IllegalArgumentException(
          "serverIdleTimeout = "
              + serverIdleTimeout
              + ": PgBouncer's server_idle_timeout is a whole number of seconds, at least 1");
    }
    Path binary =
        binary()
            .orElseThrow(
                () ->
                    new PostgresUnavailableException(
                        "no pgbouncer binary in /usr/sbin, /usr/bin or on the PATH: install it"
                            + " ('apt-get install pgbouncer' on Debian/Ubuntu) or set "
                            + Env.describe(Env.PGBOUNCER_BIN)));
    long started = System.nanoTime();
    RunAs runAs = RunAs.detect();
    Path baseDir;
    try {
      baseDir =
          Files.createTempDirectory(
              runAs.tempRoot(),
              "userbound-pgbouncer-" + server.name() + "-" + mode.name().toLowerCase(Locale.ROOT));
      runAs.own(baseDir);
    } catch (IOException e) {
      throw new PostgresUnavailableException(
          "cannot create a temporary directory for PgBouncer: " + e, e);
    }
    LocalPgBouncer bouncer =
        new LocalPgBouncer(server, mode, binary, runAs, baseDir, serverIdleTimeout.toSeconds());
    ShutdownHooks.register(bouncer);
    try {
      bouncer.installLookup();
      bouncer.launchOnFreePort();
    } catch (RuntimeException | Error e) {
      bouncer.close();
      throw e;
    }
    LOG.info(
        "PgBouncer ({} mode) started on {}:{} in front of '{}' in {} ms",
        mode.name().toLowerCase(Locale.ROOT),
        HOST,
        bouncer.port,
        server.name(),
        (System.nanoTime() - started) / 1_000_000);
    return bouncer;
  }

  /*
   * The lookup role (LOGIN, nothing else) and, in every database that takes connections and in
   * template1 (so databases created later have it too), a SECURITY DEFINER function that
   * returns the verifier of one role that may log in now (LOGIN, a password, VALID UNTIL not
   * passed) and is not a superuser, and no row otherwise (a row of NULLs would make
   * PgBouncer 1.18 fail with "bouncer config error"). The server's rules must be in the
   * lookup because PgBouncer checks only the verifier: in session mode it may give the client
   * a server connection it still holds, and PostgreSQL never sees that login (the class of
   * PgBouncer's CVE-2025-2291, expired passwords through auth_query). PgBouncer 1.18
   * runs auth_query in the database the client asks for (auth_dbname came in 1.19), so the
   * lookup role needs CONNECT on each.
   */
  private void installLookup() {
    char[] password = lookupPassword();
    try {
      server.createLogin(lookupRole, password);
    } finally {
      Arrays.fill(password, '\0');
    }
    synchronized (SETUP_LOCK) {
      for (String database : databases()) {
        server.execute(database, lookupFunctionSql());
        grantConnect(database);
      }
    }
  }

  @Override
  public void admitLookup(String database) {
    grantConnect(database);
  }

  /** Lets the lookup role into a database. */
  void grantConnect(String database) {
    server.execute(
        "postgres",
        "GRANT CONNECT ON DATABASE "
            + Sql.quote(database, "database")
            + " TO "
            + Sql.quote(lookupRole, "role"));
  }

  private String lookupFunctionSql() {
    String role = Sql.quote(lookupRole, "role");
    return "CREATE SCHEMA IF NOT EXISTS "
        + AUTH_SCHEMA
        + ";\nREVOKE ALL ON SCHEMA "
        + AUTH_SCHEMA
        + " FROM PUBLIC;\nCREATE OR REPLACE FUNCTION "
        + AUTH_SCHEMA
        + ".lookup(p_user text) RETURNS TABLE (usename name, passwd text)"
        + " LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $f$"
        + "\n-- No verifier for a role that may not log in now (NOLOGIN, VALID UNTIL passed) or"
        + "\n-- a superuser: PgBouncer checks only this verifier, and may hand the client a"
        + "\n-- server connection it still holds, so PostgreSQL never checks again"
        + " (PgBouncer CVE-2025-2291)."
        + "\nSELECT a.rolname, a.rolpassword FROM pg_catalog.pg_authid a"
        + " WHERE a.rolname = p_user AND a.rolcanlogin AND NOT a.rolsuper"
        + " AND a.rolpassword IS NOT NULL"
        + " AND (a.rolvaliduntil IS NULL OR a.rolvaliduntil > pg_catalog.now())"
        + "\n$f$;\nREVOKE ALL ON FUNCTION "
        + AUTH_SCHEMA
        + ".lookup(text) FROM PUBLIC;\nGRANT USAGE ON SCHEMA "
        + AUTH_SCHEMA
        + " TO "
        + role
        + ";\nGRANT EXECUTE ON FUNCTION "
        + AUTH_SCHEMA
        + ".lookup(text) TO "
        + role;
  }

  private List<String> databases() {
    List<String> names = new ArrayList<>();
    try (Connection c = server.adminConnection("postgres");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT datname FROM pg_database WHERE datallowconn OR datname = 'template1'"
                    + " ORDER BY datname")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot list the databases of " + server.name(), e);
    }
    return names;
  }

  /**
   * What PgBouncer may open to the server per database: the slots non-superusers have, less
   * a few for the tests' own superuser connections. At the limit PgBouncer closes an idle
   * server connection of another person's pool (it keeps them for server_idle_timeout) rather
   * than have the server refuse a login with 53300.
   */
  private int serverSlots() {
    try (Connection c = server.adminConnection("postgres");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT current_setting('max_connections')::int"
                    + " - current_setting('superuser_reserved_connections')::int")) {
      rs.next();
      return Math.max(2, rs.getInt(1) - ADMIN_HEADROOM);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read max_connections of " + server.name(), e);
    }
  }

  private char[] lookupPassword() {
    return lookupPassword.clone();
  }

  private void writeConfig(int onPort) throws IOException {
    String ini =
        String.join(
            "\n",
            "[databases]",
            "* = host=" + server.host() + " port=" + server.port(),
            "",
            "[pgbouncer]",
            "listen_addr = " + HOST,
            "listen_port = " + onPort,
            "unix_socket_dir =",
            // SCRAM for everyone; the admin console's user is trusted on loopback (see
            // PgBouncerConsole), and only there.
            "auth_type = hba",
            "auth_hba_file = " + baseDir.resolve("pgbouncer_hba.conf"),
            "auth_file = " + baseDir.resolve("userlist.txt"),
            "auth_user = " + lookupRole,
            "auth_query = SELECT usename, passwd FROM " + AUTH_SCHEMA + ".lookup($1)",
            "admin_users = " + ADMIN_USER,
            "pool_mode = " + mode.name().toLowerCase(Locale.ROOT),
            "server_reset_query = DISCARD ALL",
            "server_reset_query_always = " + (mode == PoolMode.TRANSACTION ? 1 : 0),
            // pgjdbc sends it in the startup packet; PgBouncer 1.18 refuses unknown ones.
            "ignore_startup_parameters = extra_float_digits",
            "max_client_conn = 2000",
            "default_pool_size = 200",
            "max_db_connections = " + serverSlots(),
            // Userbound's per-person pools are the pools: a server connection PgBouncer keeps for a
            // person whose pool closed only holds a slot, so it goes back to the server soon.
            "server_idle_timeout = " + serverIdleSeconds,
            "stats_period = 10",
            // After a refused server login, clients of that pool wait this long (default 15).
            "server_login_retry = 1",
            // A client waits at most this long for a server connection (default 120): with the
            // server down, a request fails in seconds instead of hanging.
            "query_wait_timeout = 3",
            "pidfile = " + baseDir.resolve("pgbouncer.pid"),
            "");
    Path config = baseDir.resolve("pgbouncer.ini");
    Files.writeString(config, ini, StandardCharsets.UTF_8);
    runAs.own(config);
    Path hba = baseDir.resolve("pgbouncer_hba.conf");
    Files.writeString(
        hba,
        "host pgbouncer "
            + ADMIN_USER
            + " 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n",
        StandardCharsets.UTF_8);
    runAs.own(hba);
    Path users = baseDir.resolve("userlist.txt");
    if (!Files.exists(users)) {
      writeAuthFile(users);
    }
  }

  private void writeAuthFile(Path users) throws IOException {
    try {
      Files.createFile(
          users,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(users);
    }
    char[] lookup = lookupPassword();
    StringBuilder text = new StringBuilder(128);
    text.append('"').append(lookupRole).append("\" \"").append(lookup).append("\"\n");
    // The console's user must be known here, or PgBouncer runs auth_query for it in its
    // "pgbouncer" database, which has no server, and the login hangs. Trusted on loopback,
    // it needs no password; it gets a random one, never kept.
    char[] unused = Passwords.random(24);
    text.append('"').append(ADMIN_USER).append("\" \"").append(unused).append("\"\n");
    Arrays.fill(unused, '\0');
    try {
      Files.writeString(users, text, StandardCharsets.UTF_8);
    } finally {
      Arrays.fill(lookup, '\0');
      text.setLength(0);
    }
    runAs.own(users);
  }

  private synchronized void launchOnFreePort() {
    for (int attempt = 1; ; attempt++) {
      int candidate = LocalPostgresServer.freePort();
      String failure = launchAndAwait(candidate);
      if (failure == null) {
        return;
      }
      boolean bind = failure.contains("Address already in use");
      if (bind && attempt < PORT_ATTEMPTS) {
        continue;
      }
      throw new PostgresUnavailableException(failure);
    }
  }

  /** Launches on a port and waits; null when it answers, else why not. */
  private String launchAndAwait(int onPort) {
    long logOffset = logSize();
    try {
      writeConfig(onPort);
    } catch (IOException e) {
      throw new PostgresUnavailableException("cannot write PgBouncer's configuration: " + e, e);
    }
    Process started;
    try {
      ProcessBuilder builder =
          new ProcessBuilder(
                  runAs.command(
                      List.of(binary.toString(), baseDir.resolve("pgbouncer.ini").toString())))
              .directory(baseDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(Redirect.appendTo(logFile.toFile()));
      builder.environment().keySet().removeIf(k -> k.startsWith("PG"));
      started = builder.start();
      started.getOutputStream().close();
    } catch (IOException e) {
      throw new PostgresUnavailableException("cannot run " + binary + ": " + e, e);
    }
    this.port = onPort;
    this.process = started;
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    IOException last = null;
    while (started.isAlive() && System.nanoTime() - deadline < 0) {
      try {
        console("SHOW VERSION");
        return null;
      } catch (IOException e) {
        last = e;
      }
      try {
        started.waitFor(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    boolean alive = started.isAlive();
    kill(started);
    process = null;
    return "PgBouncer on port "
        + onPort
        + (alive ? " did not answer within " + START_TIMEOUT.toSeconds() + " s" : " exited")
        + (last == null ? "" : " (last error: " + last.getMessage() + ")")
        + "; its log ends with:\n"
        + LocalPostgresServer.tail(logFile, logOffset);
  }

  private List<Map<String, String>> console(String command) throws IOException {
    return PgBouncerConsole.query(port, ADMIN_USER, command);
  }

  private long logSize() {
    try {
      return Files.exists(logFile) ? Files.size(logFile) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  private static void kill(Process p) {
    // SIGTERM is PgBouncer 1.18's immediate shutdown. Under runuser, the signal goes to
    // pgbouncer itself, and runuser exits with it.
    p.descendants().forEach(ProcessHandle::destroy);
    p.destroy();
    try {
      if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  @Override
  public PostgresServer server() {
    return server;
  }

  @Override
  public PoolMode poolMode() {
    return mode;
  }

  @Override
  public String host() {
    return HOST;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public String jdbcUrl(String database) {
    Sql.requireName(database, "database");
    return "jdbc:postgresql://"
        + HOST
        + ":"
        + port
        + "/"
        + URLEncoder.encode(database, StandardCharsets.UTF_8)
        + "?sslmode=disable"
        + (mode == PoolMode.TRANSACTION ? "&prepareThreshold=0" : "");
  }

  @Override
  public List<Backend> clients() {
    checkOpen();
    List<Backend> clients = new ArrayList<>();
    try {
      for (Map<String, String> row : console("SHOW CLIENTS")) {
        String database = row.get("database");
        if ("pgbouncer".equals(database)) {
          continue; // the admin console, including this very connection
        }
        String app = row.get("application_name");
        clients.add(
            new Backend(0, row.get("user"), database, row.get("state"), app == null ? "" : app));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list PgBouncer's clients", e);
    }
    return clients;
  }

  @Override
  public long clientCount(String role) {
    return clients().stream().filter(b -> role.equals(b.user())).count();
  }

  @Override
  public long serverCount(String role) {
    checkOpen();
    try {
      return console("SHOW SERVERS").stream().filter(r -> role.equals(r.get("user"))).count();
    } catch (IOException e) {
      throw new IllegalStateException("cannot list PgBouncer's server connections", e);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("PgBouncer in front of '" + server.name() + "' is closed");
    }
  }

  @Override
  public synchronized void stop() {
    checkOpen();
    Process p = process;
    if (p != null) {
      kill(p);
      process = null;
      LOG.info("PgBouncer in front of '{}' stopped (port {} kept)", server.name(), port);
    }
  }

  @Override
  public synchronized void start() {
    checkOpen();
    Process p = process;
    if (p != null && p.isAlive()) {
      return;
    }
    String failure = launchAndAwait(port);
    if (failure != null) {
      throw new IllegalStateException(failure);
    }
    LOG.info("PgBouncer in front of '{}' started again on port {}", server.name(), port);
  }

  @Override
  public synchronized void restart() {
    stop();
    start();
  }

  @Override
  public boolean isRunning() {
    Process p = process;
    return !closed && p != null && p.isAlive();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    Process p = process;
    if (p != null) {
      kill(p);
      process = null;
    }
    try {
      if (server.isRunning()) {
        server.dropRole(lookupRole);
      }
    } catch (RuntimeException e) {
      LOG.warn("PgBouncer: could not drop its lookup role: {}", e.toString());
    }
    keepLog();
    try {
      LocalPostgresServer.deleteRecursively(baseDir);
    } catch (IOException | RuntimeException e) {
      LOG.warn("PgBouncer: could not delete {}: {}", baseDir, e.toString());
    }
    Arrays.fill(lookupPassword, '\0');
    ShutdownHooks.unregister(this);
  }

  /**
   * With -Duserbound.test.pgbouncer.logs=DIR, the log is copied there before the directory
   * goes (PgBouncer logs no passwords: the lookup returns verifiers, and clients send SCRAM).
   */
  private void keepLog() {
    String dir = System.getProperty("userbound.test.pgbouncer.logs");
    if (dir == null || dir.isBlank() || !Files.exists(logFile)) {
      return;
    }
    try {
      Path target = Path.of(dir);
      Files.createDirectories(target);
      Files.copy(
          logFile,
          target.resolve("pgbouncer-" + port + "-" + System.nanoTime() + ".log"),
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      LOG.warn("PgBouncer: could not keep its log: {}", e.toString());
    }
  }

  /** Names the server and mode; no password. */
  @Override
  public String toString() {
    return "PgBouncer["
        + mode.name().toLowerCase(Locale.ROOT)
        + " mode, "
        + HOST
        + ":"
        + port
        + " in front of "
        + server.name()
        + "]";
  }
}
