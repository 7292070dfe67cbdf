package io.userbound.core.internal;

import io.userbound.core.DatabaseConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.postgresql.Driver;

/** Opens physical pgjdbc connections for one database. Thread-safe. */
final class PhysicalConnector {

  private final String url;
  private final Properties base;
  private final boolean ownSocketFactory;
  private final Driver driver = new Driver();

  PhysicalConnector(DatabaseConfig config) {
    this.url = config.jdbcUrl();
    this.base = new Properties();
    base.putAll(config.driverProperties());
    // Without a login timeout, a server that accepts TCP and never answers would hold the
    // caller forever.
    if (!base.containsKey("loginTimeout")) {
      long seconds = Math.max(1, (config.connectionTimeout().toMillis() + 999) / 1000);
      base.setProperty("loginTimeout", Long.toString(seconds));
    }
    base.putIfAbsent("ApplicationName", "userbound");
    // PostgreSQL 10 or newer: pgjdbc then sends application_name in the startup packet
    // (so RESET ALL returns to it) instead of a SET after connecting, a round trip less.
    base.putIfAbsent("assumeMinServerVersion", "10");
    // Closing waits for the backend to exit, so the budget holds on the server's side
    // too; and the socket can be looked at for the local liveness check.
    this.ownSocketFactory = !base.containsKey("socketFactory");
    base.putIfAbsent("socketFactory", ExitAwareSocketFactory.class.getName());
  }

  /** Opens a connection as this role; the caller owns the budget permit it stands for. */
  PhysicalConnection open(String role, char[] password, Budget budget) throws SQLException {
    Properties props = new Properties();
    props.putAll(base);
    props.setProperty("user", role);
    String token = ownSocketFactory ? ExitAwareSocketFactory.open() : null;
    if (token != null) {
      props.setProperty("socketFactoryArg", token);
    }
    Connection c;
    ExitAwareSocketFactory.Peek socket;
    try {
      // The one place a password becomes a String: java.util.Properties, and so pgjdbc's
      // Driver.connect, accept nothing else. The Properties object is dropped right after.
      props.setProperty("password", new String(password));
      c = driver.connect(url, props);
    } finally {
      props.remove("password");
      socket = token == null ? null : ExitAwareSocketFactory.take(token);
    }
    if (c == null) {
      throw new SQLException("pgjdbc does not accept the URL " + DatabaseConfig.maskUrl(url), "08001");
    }
    try {
      return new PhysicalConnection(c, budget, socket);
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
  }
}
