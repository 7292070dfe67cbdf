package io.userbound.testkit.internal;

import io.userbound.testkit.PostgresUnavailableException;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/*
 * A throw-away certificate authority and a server certificate it signed (for 127.0.0.1
 * and localhost), made with openssl in a directory of the server's: what a TLS test needs
 * to check that a client verifies the server (sslmode=verify-full) instead of trusting
 * whatever answers. EC P-256 keys: quick to make.
 */
final class TlsFiles {

  final Path rootCertificate;
  final Path serverCertificate;
  final Path serverKey;

  private TlsFiles(Path dir) {
    this.rootCertificate = dir.resolve("root.crt");
    this.serverCertificate = dir.resolve("server.crt");
    this.serverKey = dir.resolve("server.key");
  }

  static TlsFiles create(Path dir, RunAs runAs) {
    TlsFiles files = new TlsFiles(dir);
    try {
      Files.createDirectories(dir);
      Path log = dir.resolve("openssl.log");
      Path ext = dir.resolve("server.ext");
      Files.writeString(
          ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\n", StandardCharsets.US_ASCII);
      openssl(
          log,
          dir,
          "req",
          "-x509",
          "-new",
          "-nodes",
          "-newkey",
          "ec",
          "-pkeyopt",
          "ec_paramgen_curve:prime256v1",
          "-keyout",
          "root.key",
          "-out",
          "root.crt",
          "-days",
          "3",
          "-subj",
          "/CN=Userbound test CA");
      openssl(
          log,
          dir,
          "req",
          "-new",
          "-nodes",
          "-newkey",
          "ec",
          "-pkeyopt",
          "ec_paramgen_curve:prime256v1",
          "-keyout",
          "server.key",
          "-out",
          "server.csr",
          "-subj",
          "/CN=localhost");
      openssl(
          log,
          dir,
          "x509",
          "-req",
          "-in",
          "server.csr",
          "-CA",
          "root.crt",
          "-CAkey",
          "root.key",
          "-CAcreateserial",
          "-out",
          "server.crt",
          "-days",
          "3",
          "-extfile",
          "server.ext");
      Files.delete(dir.resolve("root.key")); // nothing else is ever signed with it
      try {
        Files.setPosixFilePermissions(
            files.serverKey, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not POSIX: the server checks nothing there either
      }
      runAs.own(dir);
      runAs.own(files.serverKey);
      runAs.own(files.serverCertificate);
      return files;
    } catch (IOException e) {
      throw new PostgresUnavailableException(
          "cannot make TLS certificates with openssl in "
              + dir
              + ": "
              + e
              + " (install openssl: apt-get install openssl)",
          e);
    }
  }

  private static void openssl(Path log, Path dir, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(Redirect.appendTo(log.toFile()))
            .start();
    p.getOutputStream().close();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("openssl did not finish within 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted while waiting for openssl", e);
    }
    if (p.exitValue() != 0) {
      throw new IOException(
          "openssl "
              + args[0]
              + " failed with exit code "
              + p.exitValue()
              + ": "
              + Files.readString(log, StandardCharsets.UTF_8).strip());
    }
  }
}
