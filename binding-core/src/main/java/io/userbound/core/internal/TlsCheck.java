package io.userbound.core.internal;

import io.userbound.core.DatabaseConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Passwords travel to each database on every new connection (SCRAM does not send the
 * password itself, but a server that is not verified can be an impostor that relays the
 * exchange, and the session's data is in the clear). On loopback that is fine; to
 * another host it is not, unless pgjdbc verifies the server (sslmode verify-full, or
 * verify-ca). pgjdbc's default, prefer, takes TLS when offered but accepts anything.
 * Checked once per database at start-up, from the URL and driver properties alone.
 */
final class TlsCheck {

  private static final Logger log = LoggerFactory.getLogger(TlsCheck.class);

  private TlsCheck() {}

  static void warnIfUnverified(DatabaseConfig config) {
    List<String> remote = remoteHosts(config.jdbcUrl());
    if (remote.isEmpty()) {
      return;
    }
    String mode = sslmode(config);
    if (mode.equals("verify-full")
        || mode.equals("verify-ca")
        || (mode.equals("require") && hasRootCert(config))) {
      return;
    }
    log.warn(
        "database '{}' connects to {} with sslmode={}: passwords and data cross the network to a"
            + " server that is not verified. Set sslmode=verify-full and sslrootcert (see the"
            + " README, TLS)",
        config.name(),
        remote,
        mode);
  }

  private static boolean hasRootCert(DatabaseConfig config) {
    return config.driverProperties().containsKey("sslrootcert")
        || param(config.jdbcUrl(), "sslrootcert") != null;
  }

  static String sslmode(DatabaseConfig config) {
    for (Map.Entry<String, String> e : config.driverProperties().entrySet()) {
      if (e.getKey().equalsIgnoreCase("sslmode")) {
        return e.getValue().toLowerCase(Locale.ROOT);
      }
    }
    String fromUrl = param(config.jdbcUrl(), "sslmode");
    if (fromUrl != null) {
      return fromUrl.toLowerCase(Locale.ROOT);
    }
    String ssl = param(config.jdbcUrl(), "ssl");
    return "true".equalsIgnoreCase(ssl)
        ? "verify-full"
        : "prefer"; // pgjdbc: ssl=true means verify-full
  }

  private static String param(String url, String name) {
    int q = url.indexOf('?');
    if (q < 0) {
      return null;
    }
    for (String pair : url.substring(q + 1).split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (key.equalsIgnoreCase(name)) {
        return eq < 0 ? "" : pair.substring(eq + 1);
      }
    }
    return null;
  }

  /** The hosts of a jdbc:postgresql://h1:p1,h2/db URL that are not loopback. */
  static List<String> remoteHosts(String url) {
    String rest = url.substring("jdbc:postgresql:".length());
    List<String> remote = new ArrayList<>();
    if (!rest.startsWith("//")) {
      return remote; // jdbc:postgresql:db means localhost
    }
    int end = rest.length();
    for (char stop : new char[] {'/', '?'}) {
      int at = rest.indexOf(stop, 2);
      if (at >= 0 && at < end) {
        end = at;
      }
    }
    for (String hostPort : rest.substring(2, end).split(",")) {
      String host = hostPort;
      if (host.startsWith("[")) {
        host = host.substring(1, Math.max(1, host.indexOf(']')));
      } else if (host.indexOf(':') >= 0) {
        host = host.substring(0, host.indexOf(':'));
      }
      if (!host.isEmpty() && !isLoopback(host)) {
        remote.add(host);
      }
    }
    return remote;
  }

  private static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost")
        || h.startsWith("127.")
        || h.equals("::1")
        || h.equals("0:0:0:0:0:0:0:1");
  }
}
