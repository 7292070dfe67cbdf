package io.userbound.testkit.internal;

import io.userbound.testkit.PostgresUnavailableException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/*
 * The OS user that runs initdb, postgres and pg_ctl. PostgreSQL refuses to run as root, so a
 * JVM running as root (containers, CI) runs them as the "postgres" user through
 * "runuser -u postgres --", and hands that user the temporary directory. Otherwise they run as
 * the current user and nothing is wrapped.
 */
final class RunAs {
  static final String OS_USER = "postgres";

  private final String runuser; // null: run as the current user
  private final UserPrincipal owner; // null: files stay with the current user

  private RunAs(String runuser, UserPrincipal owner) {
    this.runuser = runuser;
    this.owner = owner;
  }

  static RunAs detect() {
    if (!isRoot()) {
      return new RunAs(null, null);
    }
    UserPrincipal user;
    try {
      user =
          FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(OS_USER);
    } catch (IOException | UnsupportedOperationException e) {
      throw new PostgresUnavailableException(
          "the JVM runs as root, which PostgreSQL refuses,"
              + " and there is no OS user '"
              + OS_USER
              + "' to run it as: create one"
              + " (useradd --system "
              + OS_USER
              + ") or run the tests as a non-root user",
          e);
    }
    String runuser =
        Stream.of("/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser", "/bin/runuser")
            .filter(p -> Files.isExecutable(Path.of(p)))
            .findFirst()
            .orElseThrow(
                () ->
                    new PostgresUnavailableException(
                        "the JVM runs as root, which PostgreSQL refuses, and 'runuser' (util-linux)"
                            + " was not found to run it as '"
                            + OS_USER
                            + "': install util-linux or run the tests as a non-root user"));
    return new RunAs(runuser, user);
  }

  static boolean isRoot() {
    if ("root".equals(System.getProperty("user.name"))) {
      return true;
    }
    try {
      Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      return Integer.valueOf(0).equals(uid);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }

  boolean switchesUser() {
    return runuser != null;
  }

  /** The command, wrapped to run as the server's user if needed. */
  List<String> command(List<String> command) {
    if (runuser == null) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(List.of(runuser, "-u", OS_USER, "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  /** Gives a file or directory to the server's user. */
  void own(Path path) throws IOException {
    if (owner != null) {
      Files.setOwner(path, owner);
    }
  }

  /**
   * Where to create the temporary directory: java.io.tmpdir, unless the server's user cannot
   * reach it (e.g. /root/tmp), then /tmp.
   */
  Path tempRoot() {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    if (owner == null || traversableByOthers(tmp)) {
      return tmp;
    }
    Path fallback = Path.of("/tmp");
    if (traversableByOthers(fallback)) {
      return fallback;
    }
    throw new PostgresUnavailableException(
        "neither "
            + tmp
            + " nor /tmp can be reached by the"
            + " OS user '"
            + OS_USER
            + "' that must run PostgreSQL; set -Djava.io.tmpdir to a"
            + " directory it can reach");
  }

  private static boolean traversableByOthers(Path dir) {
    try {
      for (Path p = dir.toRealPath(); p != null; p = p.getParent()) {
        PosixFileAttributes attributes = Files.readAttributes(p, PosixFileAttributes.class);
        if (!attributes.permissions().contains(PosixFilePermission.OTHERS_EXECUTE)) {
          return false;
        }
      }
      return Files.isDirectory(dir);
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }
}
