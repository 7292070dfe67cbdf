package io.userbound.core.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;

/*
 * A statement a request created on its Userbound connection. getConnection() and a
 * result set's getStatement() lead back to Userbound's objects, never to HikariCP's or
 * the driver's, so closing "the statement's connection" always goes through the
 * hand-back. SQL text passes through the session tracker (TRACKED reset) on its way to
 * the driver. Everything else forwards as is (ForwardingStatement, generated at build
 * time: it leaves abstract every method that returns a JDBC object, so each of those is
 * decided here).
 */
class StatementView extends ForwardingStatement {

  final PooledConnection owner;
  Statement s; // replaced by PreparedStatementView when another variant of its text is needed

  /** ROLE_SWITCHING: how statements carry the role (see InBand); null otherwise. */
  final InBand inBand;

  /** ROLE_SWITCHING: the results left are the suffix's only: show none. */
  boolean hidden;

  StatementView(PooledConnection owner, Statement s, InBand inBand) {
    this.owner = owner;
    this.s = s;
    this.inBand = inBand;
  }

  @Override
  final Statement statement() {
    return s;
  }

  // ---- ROLE_SWITCHING: the text goes out wrapped, and our results are skipped ----------

  /** Runs a text through InBand; true if the request's first result is a result set. */
  private boolean run(String sql) throws SQLException {
    int variant = inBand.variant();
    boolean first;
    try {
      first = s.execute(inBand.wrap(sql, variant, false));
    } catch (SQLException e) {
      throw inBand.failed(e);
    }
    inBand.succeeded(variant);
    return skip(first, InBand.leading(variant));
  }

  /** Skips the reset's and the prefix's results; hides the suffix's. */
  final boolean skip(boolean first, int leading) throws SQLException {
    boolean rs = first;
    for (int i = 0; i < leading; i++) {
      rs = s.getMoreResults();
    }
    hidden = rs && InBand.isCheck(s.getResultSet());
    return rs && !hidden;
  }

  final ResultSet queryResult(boolean rs) throws SQLException {
    if (!rs) {
      throw new SQLException("No results were returned by the query.", "02000");
    }
    return owner.resultSet(s.getResultSet(), this);
  }

  final long updateResult(boolean rs) throws SQLException {
    if (rs) {
      throw new SQLException("A result was returned when none was expected.", "0100E");
    }
    return Math.max(0, getLargeUpdateCount());
  }

  /** Generated keys need pgjdbc's RETURNING rewrite, which a wrapped text does not get. */
  final void noKeys(boolean wanted) throws SQLException {
    if (wanted && inBand != null) {
      throw new SQLFeatureNotSupportedException(
          "under ROLE_SWITCHING generated keys are not returned: write INSERT ... RETURNING and"
              + " read them with executeQuery",
          "0A000");
    }
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

  /*
   * Every text goes through one gate: the session tracker (and, under ROLE_SWITCHING, the
   * refusal of role changes), then the refusal of generated keys; true when the text must
   * go out through InBand rather than as is.
   */
  private boolean goesInBand(String sql, boolean wantsKeys) throws SQLException {
    owner.sawSql(sql);
    noKeys(wantsKeys);
    return inBand != null;
  }

  @Override
  public void addBatch(String a) throws SQLException {
    owner.sawSql(a);
    s.addBatch(a);
  }

  @Override
  public boolean execute(String a) throws SQLException {
    return goesInBand(a, false) ? run(a) : s.execute(a);
  }

  @Override
  public boolean execute(String a, int b) throws SQLException {
    return goesInBand(a, b != NO_GENERATED_KEYS) ? run(a) : s.execute(a, b);
  }

  @Override
  public boolean execute(String a, int[] b) throws SQLException {
    return goesInBand(a, b != null) ? run(a) : s.execute(a, b);
  }

  @Override
  public boolean execute(String a, String[] b) throws SQLException {
    return goesInBand(a, b != null) ? run(a) : s.execute(a, b);
  }

  @Override
  public int[] executeBatch() throws SQLException {
    return inBand != null ? inBand.batch(s::executeBatch) : s.executeBatch();
  }

  @Override
  public long[] executeLargeBatch() throws SQLException {
    return inBand != null ? inBand.batch(s::executeLargeBatch) : s.executeLargeBatch();
  }

  @Override
  public long executeLargeUpdate(String a) throws SQLException {
    return goesInBand(a, false) ? updateResult(run(a)) : s.executeLargeUpdate(a);
  }

  @Override
  public long executeLargeUpdate(String a, int b) throws SQLException {
    return goesInBand(a, b != NO_GENERATED_KEYS)
        ? updateResult(run(a))
        : s.executeLargeUpdate(a, b);
  }

  @Override
  public long executeLargeUpdate(String a, int[] b) throws SQLException {
    return goesInBand(a, b != null) ? updateResult(run(a)) : s.executeLargeUpdate(a, b);
  }

  @Override
  public long executeLargeUpdate(String a, String[] b) throws SQLException {
    return goesInBand(a, b != null) ? updateResult(run(a)) : s.executeLargeUpdate(a, b);
  }

  @Override
  public ResultSet executeQuery(String a) throws SQLException {
    return goesInBand(a, false) ? queryResult(run(a)) : owner.resultSet(s.executeQuery(a), this);
  }

  @Override
  public int executeUpdate(String a) throws SQLException {
    return goesInBand(a, false) ? (int) updateResult(run(a)) : s.executeUpdate(a);
  }

  @Override
  public int executeUpdate(String a, int b) throws SQLException {
    return goesInBand(a, b != NO_GENERATED_KEYS)
        ? (int) updateResult(run(a))
        : s.executeUpdate(a, b);
  }

  @Override
  public int executeUpdate(String a, int[] b) throws SQLException {
    return goesInBand(a, b != null) ? (int) updateResult(run(a)) : s.executeUpdate(a, b);
  }

  @Override
  public int executeUpdate(String a, String[] b) throws SQLException {
    return goesInBand(a, b != null) ? (int) updateResult(run(a)) : s.executeUpdate(a, b);
  }

  @Override
  public Connection getConnection() throws SQLException {
    return owner;
  }

  @Override
  public ResultSet getGeneratedKeys() throws SQLException {
    return owner.resultSet(s.getGeneratedKeys(), this);
  }

  @Override
  public long getLargeUpdateCount() throws SQLException {
    return hidden ? -1 : s.getLargeUpdateCount();
  }

  @Override
  public boolean getMoreResults() throws SQLException {
    return getMoreResults(CLOSE_CURRENT_RESULT);
  }

  @Override
  public boolean getMoreResults(int a) throws SQLException {
    if (inBand == null) {
      return s.getMoreResults(a);
    }
    if (hidden) {
      return false;
    }
    boolean rs = s.getMoreResults(a);
    hidden = rs && InBand.isCheck(s.getResultSet());
    return rs && !hidden;
  }

  @Override
  public ResultSet getResultSet() throws SQLException {
    return hidden ? null : owner.resultSet(s.getResultSet(), this);
  }

  @Override
  public int getUpdateCount() throws SQLException {
    return hidden ? -1 : s.getUpdateCount();
  }
}
