package io.userbound.core.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;

/*
 * A statement a request created on its Userbound connection. getConnection() and a
 * result set's getStatement() lead back to Userbound's objects, never to HikariCP's or
 * the driver's, so closing "the statement's connection" always goes through the
 * hand-back. SQL text passes through the session tracker (TRACKED reset) on its way to
 * the driver. Everything else forwards as is. Generated in shape, kept by hand.
 */
class StatementView implements Statement {

  final PooledConnection owner;
  private final Statement s;

  StatementView(PooledConnection owner, Statement s) {
    this.owner = owner;
    this.s = s;
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    return Views.unwrap(this, s, type, owner);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) throws SQLException {
    return Views.isWrapperFor(this, s, type);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + owner + "]";
  }

  @Override
  public void addBatch(String a) throws SQLException {
    owner.sawSql(a);
    s.addBatch(a);
  }

  @Override
  public void cancel() throws SQLException {
    s.cancel();
  }

  @Override
  public void clearBatch() throws SQLException {
    s.clearBatch();
  }

  @Override
  public void clearWarnings() throws SQLException {
    s.clearWarnings();
  }

  @Override
  public void close() throws SQLException {
    s.close();
  }

  @Override
  public void closeOnCompletion() throws SQLException {
    s.closeOnCompletion();
  }

  @Override
  public String enquoteIdentifier(String a, boolean b) throws SQLException {
    return s.enquoteIdentifier(a, b);
  }

  @Override
  public String enquoteLiteral(String a) throws SQLException {
    return s.enquoteLiteral(a);
  }

  @Override
  public String enquoteNCharLiteral(String a) throws SQLException {
    return s.enquoteNCharLiteral(a);
  }

  @Override
  public boolean execute(String a, int[] b) throws SQLException {
    owner.sawSql(a);
    return s.execute(a, b);
  }

  @Override
  public boolean execute(String a, String[] b) throws SQLException {
    owner.sawSql(a);
    return s.execute(a, b);
  }

  @Override
  public boolean execute(String a, int b) throws SQLException {
    owner.sawSql(a);
    return s.execute(a, b);
  }

  @Override
  public boolean execute(String a) throws SQLException {
    owner.sawSql(a);
    return s.execute(a);
  }

  @Override
  public int[] executeBatch() throws SQLException {
    return s.executeBatch();
  }

  @Override
  public long[] executeLargeBatch() throws SQLException {
    return s.executeLargeBatch();
  }

  @Override
  public long executeLargeUpdate(String a, int[] b) throws SQLException {
    owner.sawSql(a);
    return s.executeLargeUpdate(a, b);
  }

  @Override
  public long executeLargeUpdate(String a, String[] b) throws SQLException {
    owner.sawSql(a);
    return s.executeLargeUpdate(a, b);
  }

  @Override
  public long executeLargeUpdate(String a, int b) throws SQLException {
    owner.sawSql(a);
    return s.executeLargeUpdate(a, b);
  }

  @Override
  public long executeLargeUpdate(String a) throws SQLException {
    owner.sawSql(a);
    return s.executeLargeUpdate(a);
  }

  @Override
  public ResultSet executeQuery(String a) throws SQLException {
    owner.sawSql(a);
    return owner.resultSet(s.executeQuery(a), this);
  }

  @Override
  public int executeUpdate(String a, int[] b) throws SQLException {
    owner.sawSql(a);
    return s.executeUpdate(a, b);
  }

  @Override
  public int executeUpdate(String a, String[] b) throws SQLException {
    owner.sawSql(a);
    return s.executeUpdate(a, b);
  }

  @Override
  public int executeUpdate(String a, int b) throws SQLException {
    owner.sawSql(a);
    return s.executeUpdate(a, b);
  }

  @Override
  public int executeUpdate(String a) throws SQLException {
    owner.sawSql(a);
    return s.executeUpdate(a);
  }

  @Override
  public Connection getConnection() throws SQLException {
    return owner;
  }

  @Override
  public int getFetchDirection() throws SQLException {
    return s.getFetchDirection();
  }

  @Override
  public int getFetchSize() throws SQLException {
    return s.getFetchSize();
  }

  @Override
  public ResultSet getGeneratedKeys() throws SQLException {
    return owner.resultSet(s.getGeneratedKeys(), this);
  }

  @Override
  public long getLargeMaxRows() throws SQLException {
    return s.getLargeMaxRows();
  }

  @Override
  public long getLargeUpdateCount() throws SQLException {
    return s.getLargeUpdateCount();
  }

  @Override
  public int getMaxFieldSize() throws SQLException {
    return s.getMaxFieldSize();
  }

  @Override
  public int getMaxRows() throws SQLException {
    return s.getMaxRows();
  }

  @Override
  public boolean getMoreResults() throws SQLException {
    return s.getMoreResults();
  }

  @Override
  public boolean getMoreResults(int a) throws SQLException {
    return s.getMoreResults(a);
  }

  @Override
  public int getQueryTimeout() throws SQLException {
    return s.getQueryTimeout();
  }

  @Override
  public ResultSet getResultSet() throws SQLException {
    return owner.resultSet(s.getResultSet(), this);
  }

  @Override
  public int getResultSetConcurrency() throws SQLException {
    return s.getResultSetConcurrency();
  }

  @Override
  public int getResultSetHoldability() throws SQLException {
    return s.getResultSetHoldability();
  }

  @Override
  public int getResultSetType() throws SQLException {
    return s.getResultSetType();
  }

  @Override
  public int getUpdateCount() throws SQLException {
    return s.getUpdateCount();
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    return s.getWarnings();
  }

  @Override
  public boolean isCloseOnCompletion() throws SQLException {
    return s.isCloseOnCompletion();
  }

  @Override
  public boolean isClosed() throws SQLException {
    return s.isClosed();
  }

  @Override
  public boolean isPoolable() throws SQLException {
    return s.isPoolable();
  }

  @Override
  public boolean isSimpleIdentifier(String a) throws SQLException {
    return s.isSimpleIdentifier(a);
  }

  @Override
  public void setCursorName(String a) throws SQLException {
    s.setCursorName(a);
  }

  @Override
  public void setEscapeProcessing(boolean a) throws SQLException {
    s.setEscapeProcessing(a);
  }

  @Override
  public void setFetchDirection(int a) throws SQLException {
    s.setFetchDirection(a);
  }

  @Override
  public void setFetchSize(int a) throws SQLException {
    s.setFetchSize(a);
  }

  @Override
  public void setLargeMaxRows(long a) throws SQLException {
    s.setLargeMaxRows(a);
  }

  @Override
  public void setMaxFieldSize(int a) throws SQLException {
    s.setMaxFieldSize(a);
  }

  @Override
  public void setMaxRows(int a) throws SQLException {
    s.setMaxRows(a);
  }

  @Override
  public void setPoolable(boolean a) throws SQLException {
    s.setPoolable(a);
  }

  @Override
  public void setQueryTimeout(int a) throws SQLException {
    s.setQueryTimeout(a);
  }
}
