package io.userbound.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** Small JDBC helpers for the tests. */
public final class Jdbc {
  private Jdbc() {}

  /**
   * Connects with a role and password.
   *
   * @param url JDBC URL
   * @param user role
   * @param password password, or null for none
   * @return the connection
   * @throws SQLException if refused
   */
  public static Connection connect(String url, String user, char[] password) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", user);
    if (password != null) {
      props.setProperty("password", new String(password));
    }
    props.setProperty("connectTimeout", "5");
    return DriverManager.getConnection(url, props);
  }

  /**
   * Runs a query returning one value.
   *
   * @param c connection
   * @param sql query
   * @return the first column of the first row, as a string
   * @throws SQLException on failure
   */
  public static String queryString(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  /**
   * Runs a query returning one value, as the superuser.
   *
   * @param server server
   * @param database database
   * @param sql query
   * @return the first column of the first row
   */
  public static String adminQuery(PostgresServer server, String database, String sql) {
    try (Connection c = server.adminConnection(database)) {
      return queryString(c, sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
