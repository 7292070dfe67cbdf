package io.userbound.core.internal;

import io.userbound.core.DatabaseConfig;
import io.userbound.core.UserboundConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.postgresql.Driver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Does one instance fit its servers? The databases are grouped by server (the host:port list
 * of their JDBC URLs). At most this many connections of one instance reach a server: the
 * budgets of its databases, plus the logins being verified (maxConcurrentLogins, on each
 * login database there), which are outside the budgets. On the first verified connection to
 * a server, its max_connections and superuser_reserved_connections are read, once, and a
 * warning says so when one instance alone would not fit. N instances must keep
 * N x (that sum) <= max_connections - superuser_reserved_connections (README, "Running at
 * scale"); Userbound cannot know N, so the warning also gives the largest N that fits.
 */
final class ServerLimits {
  private static final Logger log = LoggerFactory.getLogger(ServerLimits.class);

  /** The databases of one server and what one instance may open there. */
  static final class Server {
    final String address;
    final List<String> databases = new ArrayList<>();
    int connections;
    private final AtomicBoolean checked = new AtomicBoolean();

    Server(String address) {
      this.address = address;
    }

    /**
     * Reads the server's limit on the first call and warns if one instance does not fit.
     * Never throws: a failure to read the settings is logged at DEBUG and not retried.
     */
    void checkOnce(Connection c) {
      if (!checked.compareAndSet(false, true)) {
        return;
      }
      try (Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "select pg_catalog.current_setting('max_connections')::pg_catalog.int4,"
                      + " pg_catalog.current_setting('superuser_reserved_connections')"
                      + "::pg_catalog.int4")) {
        rs.next();
        int max = rs.getInt(1);
        int reserved = rs.getInt(2);
        String verdict = verdict(max, reserved);
        if (verdict != null) {
          log.warn(verdict);
        } else {
          log.debug(
              "server {}: max_connections {} - superuser_reserved_connections {} holds {}"
                  + " connections of databases {}",
              address,
              max,
              reserved,
              connections,
              databases);
        }
      } catch (SQLException e) {
        log.debug("server {}: could not read max_connections: {}", address, e.toString());
      }
    }

    /** The warning, or null if one instance fits. */
    String verdict(int max, int reserved) {
      int usable = max - reserved;
      if (connections <= usable) {
        return null;
      }
      return String.format(
          Locale.ROOT,
          "server %s allows %d connections for non-superusers (max_connections %d -"
              + " superuser_reserved_connections %d), but databases %s of this instance may open"
              + " %d there (their budgets plus the logins verified at once, outside the"
              + " budgets): requests will fail with SQLSTATE 53300 before a budget is spent."
              + " Lower the budgets or raise max_connections; with N instances, keep N x %d <= %d",
          address,
          usable,
          max,
          reserved,
          databases,
          connections,
          connections,
          usable);
    }
  }

  private final Map<String, Server> byAddress = new LinkedHashMap<>();
  private final Map<String, Server> byDatabase = new LinkedHashMap<>();

  ServerLimits(UserboundConfig config) {
    int logins = config.loginThrottling().maxConcurrentLogins();
    for (DatabaseConfig db : config.databases()) {
      String address = address(db.jdbcUrl());
      Server s = byAddress.computeIfAbsent(address, Server::new);
      s.databases.add(db.name());
      s.connections += db.budget();
      if (config.loginDatabases().contains(db.name())) {
        s.connections += logins;
      }
      byDatabase.put(db.name(), s);
    }
  }

  /** The server of a database. */
  Server of(String database) {
    return byDatabase.get(database);
  }

  /** host:port[,host:port...] of a pgjdbc URL, as pgjdbc reads it. */
  static String address(String jdbcUrl) {
    Properties p = Driver.parseURL(jdbcUrl, null);
    if (p == null) {
      return DatabaseConfig.maskUrl(jdbcUrl); // logged: never a password from the URL
    }
    String[] hosts = p.getProperty("PGHOST", "localhost").split(",");
    String[] ports = p.getProperty("PGPORT", "5432").split(",");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < hosts.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(hosts[i].trim()).append(':').append(ports[Math.min(i, ports.length - 1)].trim());
    }
    return sb.toString();
  }
}
