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
    // Closing waits for the backend to exit, so the budget holds on the server's side too.
    base.putIfAbsent("socketFactory", ExitAwareSocketFactory.class.getName());
  }

  Connection open(String role, char[] password) throws SQLException {
    Properties props = new Properties();
    props.putAll(base);
    props.setProperty("user", role);
    // The one place a password becomes a String: java.util.Properties, and so pgjdbc's
    // Driver.connect, accept nothing else. The Properties object is dropped right after.
    props.setProperty("password", new String(password));
    Connection c = driver.connect(url, props);
    if (c == null) {
      throw new SQLException("pgjdbc does not accept the URL " + io.userbound.core.DatabaseConfig.maskUrl(url), "08001");
    }
    return c;
  }
}
