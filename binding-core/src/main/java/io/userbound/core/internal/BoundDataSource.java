package io.userbound.core.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;

/** A DataSource for one database that serves whoever is bound to the calling thread. */
final class BoundDataSource extends BaseDataSource {

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
        "Userbound connections belong to the bound login; log in with Userbound.login and bind it"
            + " instead");
  }

  @Override
  public String toString() {
    return "Userbound DataSource[" + database + ", follows the thread's binding]";
  }
}
