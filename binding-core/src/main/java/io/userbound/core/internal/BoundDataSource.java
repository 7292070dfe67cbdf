package io.userbound.core.internal;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** A DataSource for one database that serves whoever is bound to the calling thread. */
final class BoundDataSource implements DataSource {

  private final DefaultUserbound userbound;
  private final String database;

  BoundDataSource(DefaultUserbound userbound, String database) {
    this.userbound = userbound;
    this.database = database;
  }

  @Override
  public Connection getConnection() {
    return userbound.connection(database);
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException(
        "Userbound connections belong to the bound login; log in with Userbound.login and bind it instead");
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    // Userbound logs through SLF4J.
  }

  @Override
  public void setLoginTimeout(int seconds) {
    // Set per database with DatabaseConfig.connectionTimeout.
  }

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new SQLException("not a wrapper for " + type.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return type.isInstance(this);
  }

  @Override
  public String toString() {
    return "Userbound DataSource[" + database + ", follows the thread's binding]";
  }
}
