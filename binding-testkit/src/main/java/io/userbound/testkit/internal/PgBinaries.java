package io.userbound.testkit.internal;

import io.userbound.testkit.PostgresUnavailableException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/*
 * Finds the directory holding initdb, postgres and pg_ctl. In order: USERBOUND_PG_BIN (a wrong
 * value is an error, not a reason to look elsewhere); with USERBOUND_PG_VERSION 16 or newer,
 * the binaries from Maven Central (PgVersion); pg_config --bindir (on Debian it says
 * /usr/bin, which holds only client wrappers, so it is checked and skipped); the newest
 * /usr/lib/postgresql/N/bin (Debian, Ubuntu) or /usr/pgsql-N/bin (PGDG RPMs); then PATH
 * (Fedora, Homebrew).
 */
final class PgBinaries {
  private static final Pattern VERSION = Pattern.compile("\\d+(\\.\\d+)*");

  private PgBinaries() {}

  /** {@return the directory, or throws with what to install or set} */
  static Path require() {
    return find()
        .orElseThrow(
            () ->
                new PostgresUnavailableException(
                    PostgresServers.installAdvice(
                        "no PostgreSQL server binaries (initdb, postgres, pg_ctl)"
                            + " were found in "
                            + Env.describe(Env.PG_BIN)
                            + ", pg_config --bindir,"
                            + " /usr/lib/postgresql/*/bin, /usr/pgsql-*/bin or PATH")));
  }

  /**
   * Returns the directory if found.
   *
   * @throws PostgresUnavailableException if USERBOUND_PG_BIN is set to a directory without
   *     the binaries
   */
  static Optional<Path> find() {
    OptionalInt version = PgVersion.requested();
    Optional<String> explicit = Env.get(Env.PG_BIN);
    if (explicit.isPresent()) {
      Path dir = Path.of(explicit.get());
      if (!isBinDir(dir)) {
        throw new PostgresUnavailableException(
            PostgresServers.installAdvice(
                Env.describe(Env.PG_BIN)
                    + " is "
                    + dir
                    + ", which does not contain executable"
                    + " initdb, postgres and pg_ctl"));
      }
      if (version.isPresent()) {
        PgVersion.requireMajor(dir, version.getAsInt(), Env.describe(Env.PG_BIN));
      }
      return Optional.of(dir);
    }
    if (version.isPresent() && version.getAsInt() != PgVersion.SYSTEM_MAJOR) {
      return Optional.of(PgVersion.fromMaven(version.getAsInt()));
    }
    Optional<Path> found = version.isPresent() ? systemMajor().or(PgBinaries::search) : search();
    if (version.isPresent()) {
      if (found.isEmpty()) {
        throw new PostgresUnavailableException(
            PostgresServers.installAdvice(
                "PostgreSQL "
                    + PgVersion.SYSTEM_MAJOR
                    + " was asked for ("
                    + Env.describe(PgVersion.VERSION)
                    + "), the system's server, but no server binaries were found"));
      }
      PgVersion.requireMajor(found.get(), version.getAsInt(), "the system's server in");
    }
    return found;
  }

  /** /usr/lib/postgresql/15/bin or /usr/pgsql-15/bin, when a system has several majors. */
  private static Optional<Path> systemMajor() {
    String major = Integer.toString(PgVersion.SYSTEM_MAJOR);
    return Stream.of(
            Path.of("/usr/lib/postgresql", major, "bin"), Path.of("/usr/pgsql-" + major, "bin"))
        .filter(PgBinaries::isBinDir)
        .findFirst();
  }

  /** pg_config, the versioned directories, then PATH. */
  private static Optional<Path> search() {
    Optional<Path> fromPgConfig = pgConfigBinDir().filter(PgBinaries::isBinDir);
    if (fromPgConfig.isPresent()) {
      return fromPgConfig;
    }
    List<Path> versioned = new ArrayList<>(versioned(Path.of("/usr/lib/postgresql"), "", "bin"));
    versioned.addAll(versioned(Path.of("/usr"), "pgsql-", "bin"));
    if (!versioned.isEmpty()) {
      return Optional.of(versioned.get(0));
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String entry : path.split(Pattern.quote(File.pathSeparator))) {
        if (!entry.isEmpty() && isBinDir(Path.of(entry))) {
          return Optional.of(Path.of(entry));
        }
      }
    }
    return Optional.empty();
  }

  static boolean isBinDir(Path dir) {
    return Files.isExecutable(dir.resolve("initdb"))
        && Files.isExecutable(dir.resolve("postgres"))
        && Files.isExecutable(dir.resolve("pg_ctl"));
  }

  /** Subdirectories {@code parent/<prefix><version>/<sub>} holding the binaries, newest first. */
  static List<Path> versioned(Path parent, String prefix, String sub) {
    List<Path> found = new ArrayList<>();
    if (!Files.isDirectory(parent)) {
      return found;
    }
    try (DirectoryStream<Path> children = Files.newDirectoryStream(parent, prefix + "*")) {
      for (Path child : children) {
        String version = child.getFileName().toString().substring(prefix.length());
        if (VERSION.matcher(version).matches() && isBinDir(child.resolve(sub))) {
          found.add(child.resolve(sub));
        }
      }
    } catch (IOException e) {
      return found;
    }
    Comparator<Path> byVersion =
        (a, b) ->
            compareVersions(
                a.getParent().getFileName().toString().substring(prefix.length()),
                b.getParent().getFileName().toString().substring(prefix.length()));
    found.sort(byVersion.reversed());
    return found;
  }

  /** Numeric comparison: 9.6 &lt; 10 &lt; 15 &lt; 15.1. */
  static int compareVersions(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      long p = i < x.length ? Long.parseLong(x[i]) : -1;
      long q = i < y.length ? Long.parseLong(y[i]) : -1;
      if (p != q) {
        return Long.compare(p, q);
      }
    }
    return 0;
  }

  private static Optional<Path> pgConfigBinDir() {
    Process process;
    try {
      process = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
    } catch (IOException e) {
      return Optional.empty(); // not installed
    }
    try (InputStream out = process.getInputStream()) {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return Optional.empty();
      }
      String dir = new String(out.readAllBytes(), StandardCharsets.UTF_8).trim();
      return process.exitValue() == 0 && !dir.isEmpty() && !dir.contains("\n")
          ? Optional.of(Path.of(dir))
          : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return Optional.empty();
    }
  }
}
