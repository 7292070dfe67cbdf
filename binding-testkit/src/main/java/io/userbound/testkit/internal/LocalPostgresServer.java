package io.userbound.testkit.internal;

import io.userbound.testkit.PostgresOptions;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.PostgresUnavailableException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * A throw-away cluster: initdb into a fresh temporary directory, then "postgres -D" as a child
 * process in the foreground, listening on 127.0.0.1 only, with no Unix socket, SCRAM for every
 * connection (pg_hba "host" and "local" lines), and durability switched off for speed.
 *
 * Layout of the temporary directory (owned by the server's OS user, mode 700):
 *   data/        the cluster
 *   server.log   the server's stdout/stderr, appended across restarts
 *   initdb.log, pg_ctl.log
 * The superuser password reaches initdb through a 600 file that is deleted right after.
 *
 * Ports: a free port is found by binding port 0 and closing it; another process may take it
 * before postgres binds, so a start that dies with "could not bind" is retried on a new port.
 * start() after stop() reuses the port, so URLs handed out stay valid.
 *
 * Readiness is a successful JDBC login, polled until a deadline; between polls the thread
 * waits on the child process, so a server that dies is noticed at once.
 *
 * Stopping is "pg_ctl stop -m fast -w" (smart shutdown, the SIGTERM that Process.destroy sends,
 * would wait for clients), then waiting for the child; killing the process tree is the last
 * resort. Lifecycle methods and close() are synchronized; admin operations are not and simply
 * fail while the server is down.
 */
final class LocalPostgresServer extends AbstractPostgresServer {
  private static final Logger LOG = LoggerFactory.getLogger(LocalPostgresServer.class);
  static final String ADMIN_USER = "userbound_admin";
  static final String HOST = "127.0.0.1";
  private static final int PASSWORD_LENGTH = 24;
  private static final Duration INITDB_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final int PORT_ATTEMPTS = 5;
  private static final int LOG_TAIL_LINES = 30;

  private final Path binDir;
  private final RunAs runAs;
  private final Path baseDir;
  private final Path dataDir;
  private final Path logFile;
  private final int maxConnections;
  private final Map<String, String> settings;
  private final boolean tls;
  private TlsFiles tlsFiles;

  private volatile int port;
  private volatile Process process; // written under the lock

  private LocalPostgresServer(
      PostgresOptions options, Path binDir, RunAs runAs, Path baseDir, char[] password) {
    super(options.name(), ADMIN_USER, password);
    this.binDir = binDir;
    this.runAs = runAs;
    this.baseDir = baseDir;
    this.dataDir = baseDir.resolve("data");
    this.logFile = baseDir.resolve("server.log");
    this.maxConnections = options.maxConnections();
    this.settings = options.settings();
    this.tls = options.tls();
  }

  static LocalPostgresServer create(PostgresOptions options, Path binDir) {
    long started = System.nanoTime();
    RunAs runAs = RunAs.detect();
    Path baseDir;
    try {
      baseDir = Files.createTempDirectory(runAs.tempRoot(), "userbound-pg-" + options.name() + "-");
    } catch (IOException e) {
      throw new PostgresUnavailableException(
          "cannot create a temporary directory for"
              + " PostgreSQL server '"
              + options.name()
              + "': "
              + e,
          e);
    }
    char[] password = Passwords.random(PASSWORD_LENGTH);
    LocalPostgresServer server;
    try {
      server = new LocalPostgresServer(options, binDir, runAs, baseDir, password);
    } finally {
      Arrays.fill(password, '\0');
    }
    ShutdownHooks.register(server);
    try {
      server.initdb();
      if (server.tls) {
        server.tlsOnly();
      }
      server.launchOnFreePort();
    } catch (RuntimeException | Error e) {
      server.close();
      throw e;
    }
    LOG.info(
        "PostgreSQL '{}' started on {}:{} in {} ms (data in {}, binaries {}{})",
        server.name(),
        HOST,
        server.port,
        (System.nanoTime() - started) / 1_000_000,
        server.dataDir,
        binDir,
        runAs.switchesUser() ? ", as OS user " + RunAs.OS_USER : "");
    return server;
  }

  private void initdb() {
    Path pwfile = baseDir.resolve("pwfile");
    try {
      writePasswordFile(pwfile);
      runAs.own(pwfile);
      runAs.own(baseDir);
      List<String> command =
          List.of(
              binDir.resolve("initdb").toString(),
              "-D",
              dataDir.toString(),
              "-U",
              adminUser(),
              "--pwfile=" + pwfile,
              "--auth-host=scram-sha-256",
              "--auth-local=scram-sha-256",
              "-E",
              "UTF8",
              "--locale=C",
              "-N");
      Path initdbLog = baseDir.resolve("initdb.log");
      int exit = runTool(command, initdbLog, INITDB_TIMEOUT);
      if (exit != 0) {
        throw new PostgresUnavailableException(
            "initdb for PostgreSQL server '"
                + name()
                + "' failed with exit code "
                + exit
                + "; its output ends with:\n"
                + tail(initdbLog, 0));
      }
    } catch (IOException e) {
      throw new PostgresUnavailableException(
          "cannot prepare PostgreSQL server '" + name() + "' in " + baseDir + ": " + e, e);
    } finally {
      try {
        Files.deleteIfExists(pwfile);
      } catch (IOException e) {
        LOG.warn("could not delete the password file {}: {}", pwfile, e.toString());
      }
    }
  }

  /** Certificates, and pg_hba lines that accept TCP connections only over TLS. */
  private void tlsOnly() {
    tlsFiles = TlsFiles.create(baseDir.resolve("tls"), runAs);
    Path hba = dataDir.resolve("pg_hba.conf");
    try {
      List<String> lines = new ArrayList<>();
      for (String line : Files.readAllLines(hba, StandardCharsets.UTF_8)) {
        lines.add(line.startsWith("host ") ? "hostssl" + line.substring(4) : line);
      }
      Files.write(hba, lines, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new PostgresUnavailableException(
          "cannot make server '" + name() + "' TLS-only: " + e, e);
    }
  }

  @Override
  public Optional<Path> rootCertificate() {
    return tlsFiles == null ? Optional.empty() : Optional.of(tlsFiles.rootCertificate);
  }

  private void writePasswordFile(Path pwfile) throws IOException {
    char[] password = adminPassword();
    try {
      writeSecret(pwfile, password);
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  /** Writes a new file readable by its owner only, and wipes the bytes it encoded. */
  private static void writeSecret(Path file, char[] password) throws IOException {
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
    ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
    try (SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.WRITE)) {
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    } finally {
      Arrays.fill(password, '\0');
      if (bytes.hasArray()) {
        int from = bytes.arrayOffset();
        Arrays.fill(bytes.array(), from, from + bytes.capacity(), (byte) 0);
      }
    }
  }

  private synchronized void launchOnFreePort() {
    for (int attempt = 1; ; attempt++) {
      int candidate = freePort();
      long logOffset = logSize();
      Process started = launch(candidate);
      Readiness readiness = awaitReady(started);
      if (readiness.ready()) {
        return;
      }
      boolean alive = started.isAlive();
      String log = tail(logFile, logOffset);
      killTree(started);
      process = null;
      if (!alive && isBindFailure(log) && attempt < PORT_ATTEMPTS) {
        LOG.debug("PostgreSQL '{}': port {} was taken, trying another", name(), candidate);
        continue;
      }
      throw new PostgresUnavailableException(failureMessage(readiness, alive, candidate, log));
    }
  }

  private Process launch(int onPort) {
    List<String> command =
        new ArrayList<>(
            List.of(
                binDir.resolve("postgres").toString(),
                "-D",
                dataDir.toString(),
                "-p",
                Integer.toString(onPort),
                "-c",
                "listen_addresses=" + HOST,
                "-c",
                "unix_socket_directories="));
    if (tlsFiles != null) {
      command.addAll(
          List.of(
              "-c",
              "ssl=on",
              "-c",
              "ssl_cert_file=" + tlsFiles.serverCertificate,
              "-c",
              "ssl_key_file=" + tlsFiles.serverKey));
    }
    command.addAll(serverSettings(maxConnections, settings));
    try {
      Process started =
          processBuilder(command).redirectOutput(Redirect.appendTo(logFile.toFile())).start();
      started.getOutputStream().close();
      this.port = onPort;
      this.process = started;
      return started;
    } catch (IOException e) {
      throw new PostgresUnavailableException(
          "cannot run " + binDir.resolve("postgres") + " for server '" + name() + "': " + e, e);
    }
  }

  private record Readiness(boolean ready, SQLException lastError) {}

  private Readiness awaitReady(Process started) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    SQLException last = null;
    while (started.isAlive()) {
      try (Connection c = connect(maintenanceDatabase(), false, 2)) {
        if (c.isValid(2)) {
          return new Readiness(true, null);
        }
      } catch (SQLException e) {
        last = e;
      }
      if (System.nanoTime() - deadline > 0) {
        break;
      }
      try {
        started.waitFor(50, TimeUnit.MILLISECONDS); // returns at once if the server dies
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return new Readiness(false, last);
  }

  private String failureMessage(Readiness readiness, boolean alive, int triedPort, String log) {
    String what =
        alive ? "did not accept connections within " + START_TIMEOUT.toSeconds() + " s" : "exited";
    return "PostgreSQL server '"
        + name()
        + "' on port "
        + triedPort
        + " "
        + what
        + (readiness.lastError() == null
            ? ""
            : " (last connection error: " + readiness.lastError().getMessage() + ")")
        + "; data in "
        + dataDir
        + "; the server log ends with:\n"
        + log;
  }

  private static boolean isBindFailure(String log) {
    return log.contains("could not bind")
        || log.contains("Address already in use")
        || log.contains("could not create any TCP/IP sockets");
  }

  static int freePort() {
    try (ServerSocket socket =
        new ServerSocket(0, 1, InetAddress.getByAddress(HOST, new byte[] {127, 0, 0, 1}))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + HOST, e);
    }
  }

  @Override
  public synchronized void start() {
    checkOpen();
    Process p = process;
    if (p != null && p.isAlive()) {
      return;
    }
    int samePort = port;
    long logOffset = logSize();
    Process started = launch(samePort);
    Readiness readiness = awaitReady(started);
    if (!readiness.ready()) {
      boolean alive = started.isAlive();
      String log = tail(logFile, logOffset);
      killTree(started);
      process = null;
      throw new IllegalStateException(
          failureMessage(readiness, alive, samePort, log)
              + (isBindFailure(log)
                  ? "\nAnother process took port " + samePort + " while the server was stopped."
                  : ""));
    }
    LOG.info("PostgreSQL '{}' started again on port {}", name(), samePort);
  }

  @Override
  public synchronized void stop() {
    checkOpen();
    stopProcess();
    LOG.info("PostgreSQL '{}' stopped (port {} kept)", name(), port);
  }

  @Override
  public synchronized void restart() {
    stop();
    start();
  }

  @Override
  public synchronized void crashAndRestart() {
    checkOpen();
    stopProcess("immediate");
    LOG.info("PostgreSQL '{}' crashed on purpose (immediate stop)", name());
    start();
  }

  @Override
  public synchronized void crash() {
    checkOpen();
    stopProcess("immediate");
    LOG.info("PostgreSQL '{}' crashed on purpose (immediate stop; port {} kept)", name(), port);
  }

  @Override
  public synchronized PostgresServer startStandby() {
    checkOpen();
    if (tls) {
      throw new UnsupportedOperationException("a standby of a TLS server is not supported");
    }
    PostgresOptions.Builder copy =
        PostgresOptions.builder().name(name() + "-standby").maxConnections(maxConnections);
    settings.forEach(copy::setting);
    Path standbyDir;
    try {
      standbyDir =
          Files.createTempDirectory(runAs.tempRoot(), "userbound-pg-" + name() + "-standby-");
    } catch (IOException e) {
      throw new PostgresUnavailableException("cannot create a directory for a standby: " + e, e);
    }
    char[] password = adminPassword();
    LocalPostgresServer standby;
    try {
      standby = new LocalPostgresServer(copy.build(), binDir, runAs, standbyDir, password);
    } finally {
      Arrays.fill(password, '\0');
    }
    ShutdownHooks.register(standby);
    try {
      standby.baseBackupFrom(this);
      standby.launchOnFreePort();
    } catch (RuntimeException | Error e) {
      standby.close();
      throw e;
    }
    LOG.info(
        "PostgreSQL '{}' started on {}:{} as a standby of port {}",
        standby.name(),
        HOST,
        standby.port,
        port);
    return standby;
  }

  /**
   * pg_basebackup -R from the primary into this server's (empty) data directory. The password
   * travels in a 600 passfile, never on a command line; the standby keeps the file, as its
   * primary_conninfo names it.
   */
  private void baseBackupFrom(LocalPostgresServer primary) {
    Path passfile = baseDir.resolve("pgpass");
    try {
      runAs.own(baseDir);
      char[] pw = adminPassword();
      String prefix = HOST + ":" + primary.port + ":*:" + adminUser() + ":";
      char[] line = new char[prefix.length() + 2 * pw.length + 1];
      int n = 0;
      try {
        prefix.getChars(0, prefix.length(), line, 0);
        n = prefix.length();
        for (char ch : pw) {
          if (ch == ':' || ch == '\\') {
            line[n++] = '\\';
          }
          line[n++] = ch;
        }
        line[n++] = '\n';
        writeSecret(passfile, Arrays.copyOf(line, n));
      } finally {
        Arrays.fill(pw, '\0');
        Arrays.fill(line, '\0');
      }
      runAs.own(passfile);
      List<String> command =
          List.of(
              binDir.resolve("pg_basebackup").toString(),
              "-h",
              HOST,
              "-p",
              Integer.toString(primary.port),
              "-U",
              adminUser(),
              "-w",
              "-D",
              dataDir.toString(),
              "-R",
              "-X",
              "stream",
              "-c",
              "fast");
      Path log = baseDir.resolve("pg_basebackup.log");
      int exit = runTool(command, log, INITDB_TIMEOUT, Map.of("PGPASSFILE", passfile.toString()));
      if (exit != 0) {
        throw new PostgresUnavailableException(
            "pg_basebackup from '"
                + primary.name()
                + "' failed with exit code "
                + exit
                + "; its output ends with:\n"
                + tail(log, 0));
      }
    } catch (IOException e) {
      throw new PostgresUnavailableException(
          "cannot make a standby of '" + primary.name() + "' in " + baseDir + ": " + e, e);
    }
  }

  @Override
  public boolean isRunning() {
    Process p = process;
    return !closed && p != null && p.isAlive();
  }

  @Override
  public boolean supportsLifecycle() {
    return true;
  }

  private void stopProcess() {
    stopProcess("fast");
  }

  private void stopProcess(String mode) {
    Process p = process;
    if (p == null) {
      return;
    }
    try {
      if (p.isAlive()) {
        List<String> command =
            List.of(
                binDir.resolve("pg_ctl").toString(),
                "stop",
                "-D",
                dataDir.toString(),
                "-m",
                mode,
                "-w",
                "-t",
                Long.toString(STOP_TIMEOUT.toSeconds()));
        int exit = runTool(command, baseDir.resolve("pg_ctl.log"), STOP_TIMEOUT.plusSeconds(10));
        if (exit != 0 && p.isAlive()) {
          LOG.warn(
              "PostgreSQL '{}': pg_ctl stop exited with {}; see {}",
              name(),
              exit,
              baseDir.resolve("pg_ctl.log"));
        }
      }
      if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn(
            "PostgreSQL '{}' did not stop within {} s; killing it",
            name(),
            STOP_TIMEOUT.toSeconds());
        killTree(p);
      }
    } catch (IOException e) {
      LOG.warn("PostgreSQL '{}': cannot run pg_ctl ({}); killing the server", name(), e.toString());
      killTree(p);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      killTree(p);
    } finally {
      process = null;
    }
  }

  /** Last resort: kill the child, everything under it, and the postmaster named in its pid file. */
  private void killTree(Process p) {
    postmasterPid()
        .flatMap(ProcessHandle::of)
        .filter(h -> h.info().commandLine().map(c -> c.contains(dataDir.toString())).orElse(true))
        .ifPresent(ProcessHandle::destroyForcibly);
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("PostgreSQL '{}': process {} survived SIGKILL", name(), p.pid());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Closes the server: stops it and deletes its directory. Never throws; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      stopProcess();
    } catch (RuntimeException e) {
      LOG.warn("PostgreSQL '{}': stopping failed: {}", name(), e.toString());
    }
    try {
      deleteRecursively(baseDir);
      LOG.info("PostgreSQL '{}' closed and {} deleted", name(), baseDir);
    } catch (IOException | RuntimeException e) {
      LOG.warn("PostgreSQL '{}': could not delete {}: {}", name(), baseDir, e.toString());
    }
    ShutdownHooks.unregister(this);
  }

  private int runTool(List<String> command, Path output, Duration timeout) throws IOException {
    return runTool(command, output, timeout, Map.of());
  }

  private int runTool(
      List<String> command, Path output, Duration timeout, Map<String, String> environment)
      throws IOException {
    ProcessBuilder builder = processBuilder(command);
    builder.environment().putAll(environment);
    Process tool = builder.redirectOutput(Redirect.appendTo(output.toFile())).start();
    tool.getOutputStream().close();
    try {
      if (!tool.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        tool.descendants().forEach(ProcessHandle::destroyForcibly);
        tool.destroyForcibly();
        throw new IOException(
            command.get(0) + " did not finish within " + timeout.toSeconds() + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      tool.descendants().forEach(ProcessHandle::destroyForcibly);
      tool.destroyForcibly();
      throw new IOException("interrupted while waiting for " + command.get(0), e);
    }
    return tool.exitValue();
  }

  private ProcessBuilder processBuilder(List<String> command) {
    ProcessBuilder builder =
        new ProcessBuilder(runAs.command(command))
            .directory(baseDir.toFile())
            .redirectErrorStream(true);
    // Settings meant for clients (PGPORT, PGDATA, PGOPTIONS, ...) must not steer our server.
    builder.environment().keySet().removeIf(k -> k.startsWith("PG"));
    return builder;
  }

  private long logSize() {
    try {
      return Files.size(logFile);
    } catch (IOException e) {
      return 0;
    }
  }

  /** The last lines of a log from an offset, for exception messages. */
  static String tail(Path file, long fromOffset) {
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long start = Math.max(fromOffset, in.length() - 64 * 1024);
      in.seek(Math.max(0, start));
      byte[] bytes = new byte[(int) (in.length() - in.getFilePointer())];
      in.readFully(bytes);
      String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n");
      return String.join(
          "\n",
          Arrays.asList(lines).subList(Math.max(0, lines.length - LOG_TAIL_LINES), lines.length));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private Optional<Long> postmasterPid() {
    try {
      List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"));
      return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE; // removed by the server as it stopped
            }
            throw e;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null && !(e instanceof NoSuchFileException)) {
              throw e;
            }
            Files.deleteIfExists(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  @Override
  String maintenanceDatabase() {
    return "postgres";
  }

  @Override
  String urlParameters() {
    if (tlsFiles != null) {
      return "?sslmode=verify-full&sslrootcert="
          + URLEncoder.encode(tlsFiles.rootCertificate.toString(), StandardCharsets.UTF_8);
    }
    return "?sslmode=disable";
  }

  @Override
  String kind() {
    return "local";
  }

  @Override
  public String host() {
    return HOST;
  }

  @Override
  public int port() {
    return port;
  }

  /** The cluster's directory (for tests of the test kit). */
  Path dataDirectory() {
    return dataDir;
  }

  /** The temporary directory holding the cluster and logs (for tests of the test kit). */
  Path baseDirectory() {
    return baseDir;
  }

  /** The postmaster's pid while running (for tests of the test kit). */
  Optional<Long> serverPid() {
    return postmasterPid();
  }
}
