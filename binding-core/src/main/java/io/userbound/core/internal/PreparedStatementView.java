package io.userbound.core.internal;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.List;

/**
 * A prepared statement of a Userbound connection; see {@link StatementView}. Under
 * ROLE_SWITCHING it owns its parameters: they are bound to the pgjdbc statement of the text
 * variant InBand needs at execute time, one place to the right of the role.
 */
class PreparedStatementView extends StatementView implements PreparedStatement {

  /** A parameter as set by the request, to be bound at an index. */
  interface Binder {
    void bind(PreparedStatement target, int index) throws SQLException;
  }

  /** Prepares a text on the physical connection with the request's result-set options. */
  interface Preparer {
    PreparedStatement prepare(String sql) throws SQLException;
  }

  private PreparedStatement ps;

  // ROLE_SWITCHING only
  private final String sql;
  private final Preparer preparer;
  private int variant;
  private Binder[] params;
  private List<Binder[]> batch;
  private PreparedStatement plain; // the text alone: metadata and batches

  PreparedStatementView(PooledConnection owner, PreparedStatement ps) {
    super(owner, ps);
    this.ps = ps;
    this.sql = null;
    this.preparer = null;
  }

  /** ROLE_SWITCHING: the request's text, wrapped as InBand needs it now. */
  PreparedStatementView(PooledConnection owner, InBand inBand, String sql, Preparer preparer)
      throws SQLException {
    this(owner, inBand, sql, preparer, inBand.variant());
  }

  private PreparedStatementView(
      PooledConnection owner, InBand inBand, String sql, Preparer preparer, int variant)
      throws SQLException {
    super(owner, preparer.prepare(inBand.wrap(sql, variant, true)), inBand);
    this.ps = (PreparedStatement) s;
    this.sql = sql;
    this.preparer = preparer;
    this.variant = variant;
    this.params = new Binder[4];
  }

  private void bind(int index, Binder binder) throws SQLException {
    if (index < 1) {
      throw new SQLException("The parameter index is out of range: " + index, "22023");
    }
    if (index > params.length) {
      params = Arrays.copyOf(params, Math.max(index, params.length * 2));
    }
    params[index - 1] = binder;
  }

  private static void apply(PreparedStatement target, Binder[] values, int shift)
      throws SQLException {
    for (int i = 0; i < values.length; i++) {
      if (values[i] != null) {
        values[i].bind(target, i + 1 + shift);
      }
    }
  }

  /* The pgjdbc statement of the variant needed now, with the role and the parameters bound. */
  private PreparedStatement bound(int needed) throws SQLException {
    if (needed != variant) {
      PreparedStatement next = preparer.prepare(inBand.wrap(sql, needed, true));
      copySettings(ps, next);
      ps.close();
      ps = next;
      s = next;
      variant = needed;
    }
    ps.setString(1, inBand.role);
    apply(ps, params, 1);
    return ps;
  }

  private static void copySettings(Statement from, Statement to) throws SQLException {
    to.setFetchSize(from.getFetchSize());
    to.setMaxRows(from.getMaxRows());
    to.setQueryTimeout(from.getQueryTimeout());
    to.setMaxFieldSize(from.getMaxFieldSize());
    to.setFetchDirection(from.getFetchDirection());
    to.setPoolable(from.isPoolable());
  }

  private PreparedStatement plain() throws SQLException {
    if (plain == null) {
      plain = preparer.prepare(sql);
      copySettings(ps, plain);
    }
    return plain;
  }

  /* Runs the wrapped text; true if the request's first result is a result set. */
  private boolean run() throws SQLException {
    int needed = inBand.variant();
    PreparedStatement target = bound(needed);
    boolean first;
    try {
      first = target.execute();
    } catch (SQLException e) {
      throw inBand.failed(e);
    }
    inBand.succeeded(needed);
    return skip(first, InBand.leading(needed));
  }

  @Override
  public void addBatch() throws SQLException {
    if (inBand != null) {
      if (batch == null) {
        batch = new ArrayList<>();
      }
      batch.add(params.clone());
      return;
    }
    ps.addBatch();
  }

  @Override
  public void clearBatch() throws SQLException {
    if (inBand != null) {
      if (batch != null) {
        batch.clear();
      }
      return;
    }
    super.clearBatch();
  }

  @Override
  public int[] executeBatch() throws SQLException {
    if (inBand != null) {
      return inBand.batch(() -> loadBatch().executeBatch());
    }
    return ps.executeBatch();
  }

  @Override
  public long[] executeLargeBatch() throws SQLException {
    if (inBand != null) {
      return inBand.batch(() -> loadBatch().executeLargeBatch());
    }
    return ps.executeLargeBatch();
  }

  private PreparedStatement loadBatch() throws SQLException {
    PreparedStatement p = plain();
    if (batch != null) {
      for (Binder[] entry : batch) {
        apply(p, entry, 0);
        p.addBatch();
      }
      batch.clear();
    }
    return p;
  }

  @Override
  public void clearParameters() throws SQLException {
    if (inBand != null) {
      Arrays.fill(params, null);
      return;
    }
    ps.clearParameters();
  }

  @Override
  public boolean execute() throws SQLException {
    if (inBand != null) {
      return run();
    }
    return ps.execute();
  }

  @Override
  public long executeLargeUpdate() throws SQLException {
    if (inBand != null) {
      return updateResult(run());
    }
    return ps.executeLargeUpdate();
  }

  @Override
  public ResultSet executeQuery() throws SQLException {
    if (inBand != null) {
      return queryResult(run());
    }
    return owner.resultSet(ps.executeQuery(), this);
  }

  @Override
  public int executeUpdate() throws SQLException {
    if (inBand != null) {
      return (int) updateResult(run());
    }
    return ps.executeUpdate();
  }

  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    return inBand != null ? plain().getMetaData() : ps.getMetaData();
  }

  @Override
  public ParameterMetaData getParameterMetaData() throws SQLException {
    return inBand != null ? plain().getParameterMetaData() : ps.getParameterMetaData();
  }

  @Override
  public void close() throws SQLException {
    try {
      super.close();
    } finally {
      if (plain != null) {
        plain.close();
      }
    }
  }

  @Override
  public void setArray(int a, Array b) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setArray(i, Views.raw(b)));
      return;
    }
    ps.setArray(a, Views.raw(b));
  }

  @Override
  public void setAsciiStream(int a, InputStream b, int c) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setAsciiStream(i, b, c));
      return;
    }
    ps.setAsciiStream(a, b, c);
  }

  @Override
  public void setAsciiStream(int a, InputStream b, long c) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setAsciiStream(i, b, c));
      return;
    }
    ps.setAsciiStream(a, b, c);
  }

  @Override
  public void setAsciiStream(int a, InputStream b) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setAsciiStream(i, b));
      return;
    }
    ps.setAsciiStream(a, b);
  }

  @Override
  public void setBigDecimal(int a, BigDecimal b) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setBigDecimal(i, b));
      return;
    }
    ps.setBigDecimal(a, b);
  }

  @Override
  public void setBinaryStream(int a, InputStream b, int c) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setBinaryStream(i, b, c));
      return;
    }
    ps.setBinaryStream(a, b, c);
  }

  @Override
  public void setBinaryStream(int a, InputStream b, long c) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setBinaryStream(i, b, c));
      return;
    }
    ps.setBinaryStream(a, b, c);
  }

  @Override
  public void setBinaryStream(int a, InputStream b) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setBinaryStream(i, b));
      return;
    }
    ps.setBinaryStream(a, b);
  }

  @Override
  public void setBlob(int a, InputStream b, long c) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setBlob(i, b, c));
      return;
    }
    ps.setBlob(a, b, c);
  }

  @Override
  public void setBlob(int a, InputStream b) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setBlob(i, b));
      return;
    }
    ps.setBlob(a, b);
  }

  @Override
  public void setBlob(int a, Blob b) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setBlob(i, Views.raw(b)));
      return;
    }
    ps.setBlob(a, Views.raw(b));
  }

  @Override
  public void setBoolean(int a, boolean b) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setBoolean(i, b));
      return;
    }
    ps.setBoolean(a, b);
  }

  @Override
  public void setByte(int a, byte b) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setByte(i, b));
      return;
    }
    ps.setByte(a, b);
  }

  @Override
  public void setBytes(int a, byte[] b) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setBytes(i, b));
      return;
    }
    ps.setBytes(a, b);
  }

  @Override
  public void setCharacterStream(int a, Reader b, int c) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setCharacterStream(i, b, c));
      return;
    }
    ps.setCharacterStream(a, b, c);
  }

  @Override
  public void setCharacterStream(int a, Reader b, long c) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setCharacterStream(i, b, c));
      return;
    }
    ps.setCharacterStream(a, b, c);
  }

  @Override
  public void setCharacterStream(int a, Reader b) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setCharacterStream(i, b));
      return;
    }
    ps.setCharacterStream(a, b);
  }

  @Override
  public void setClob(int a, Reader b, long c) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setClob(i, b, c));
      return;
    }
    ps.setClob(a, b, c);
  }

  @Override
  public void setClob(int a, Reader b) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setClob(i, b));
      return;
    }
    ps.setClob(a, b);
  }

  @Override
  public void setClob(int a, Clob b) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setClob(i, Views.raw(b)));
      return;
    }
    ps.setClob(a, Views.raw(b));
  }

  @Override
  public void setDate(int a, Date b, Calendar c) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setDate(i, b, c));
      return;
    }
    ps.setDate(a, b, c);
  }

  @Override
  public void setDate(int a, Date b) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setDate(i, b));
      return;
    }
    ps.setDate(a, b);
  }

  @Override
  public void setDouble(int a, double b) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setDouble(i, b));
      return;
    }
    ps.setDouble(a, b);
  }

  @Override
  public void setFloat(int a, float b) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setFloat(i, b));
      return;
    }
    ps.setFloat(a, b);
  }

  @Override
  public void setInt(int a, int b) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setInt(i, b));
      return;
    }
    ps.setInt(a, b);
  }

  @Override
  public void setLong(int a, long b) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setLong(i, b));
      return;
    }
    ps.setLong(a, b);
  }

  @Override
  public void setNCharacterStream(int a, Reader b, long c) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setNCharacterStream(i, b, c));
      return;
    }
    ps.setNCharacterStream(a, b, c);
  }

  @Override
  public void setNCharacterStream(int a, Reader b) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setNCharacterStream(i, b));
      return;
    }
    ps.setNCharacterStream(a, b);
  }

  @Override
  public void setNClob(int a, Reader b, long c) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setNClob(i, b, c));
      return;
    }
    ps.setNClob(a, b, c);
  }

  @Override
  public void setNClob(int a, Reader b) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setNClob(i, b));
      return;
    }
    ps.setNClob(a, b);
  }

  @Override
  public void setNClob(int a, NClob b) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setNClob(i, Views.raw(b)));
      return;
    }
    ps.setNClob(a, Views.raw(b));
  }

  @Override
  public void setNString(int a, String b) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setNString(i, b));
      return;
    }
    ps.setNString(a, b);
  }

  @Override
  public void setNull(int a, int b, String c) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setNull(i, b, c));
      return;
    }
    ps.setNull(a, b, c);
  }

  @Override
  public void setNull(int a, int b) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setNull(i, b));
      return;
    }
    ps.setNull(a, b);
  }

  @Override
  public void setObject(int a, Object b, int c, int d) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setObject(i, Views.raw(b), c, d));
      return;
    }
    ps.setObject(a, Views.raw(b), c, d);
  }

  @Override
  public void setObject(int a, Object b, int c) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setObject(i, Views.raw(b), c));
      return;
    }
    ps.setObject(a, Views.raw(b), c);
  }

  @Override
  public void setObject(int a, Object b, SQLType c, int d) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setObject(i, Views.raw(b), c, d));
      return;
    }
    ps.setObject(a, Views.raw(b), c, d);
  }

  @Override
  public void setObject(int a, Object b, SQLType c) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setObject(i, Views.raw(b), c));
      return;
    }
    ps.setObject(a, Views.raw(b), c);
  }

  @Override
  public void setObject(int a, Object b) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setObject(i, Views.raw(b)));
      return;
    }
    ps.setObject(a, Views.raw(b));
  }

  @Override
  public void setRef(int a, Ref b) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setRef(i, Views.raw(b)));
      return;
    }
    ps.setRef(a, Views.raw(b));
  }

  @Override
  public void setRowId(int a, RowId b) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setRowId(i, Views.raw(b)));
      return;
    }
    ps.setRowId(a, Views.raw(b));
  }

  @Override
  public void setSQLXML(int a, SQLXML b) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setSQLXML(i, Views.raw(b)));
      return;
    }
    ps.setSQLXML(a, Views.raw(b));
  }

  @Override
  public void setShort(int a, short b) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setShort(i, b));
      return;
    }
    ps.setShort(a, b);
  }

  @Override
  public void setString(int a, String b) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setString(i, b));
      return;
    }
    ps.setString(a, b);
  }

  @Override
  public void setTime(int a, Time b, Calendar c) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setTime(i, b, c));
      return;
    }
    ps.setTime(a, b, c);
  }

  @Override
  public void setTime(int a, Time b) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setTime(i, b));
      return;
    }
    ps.setTime(a, b);
  }

  @Override
  public void setTimestamp(int a, Timestamp b, Calendar c) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setTimestamp(i, b, c));
      return;
    }
    ps.setTimestamp(a, b, c);
  }

  @Override
  public void setTimestamp(int a, Timestamp b) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setTimestamp(i, b));
      return;
    }
    ps.setTimestamp(a, b);
  }

  @Override
  public void setURL(int a, URL b) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setURL(i, b));
      return;
    }
    ps.setURL(a, b);
  }

  @Override
  @Deprecated
  public void setUnicodeStream(int a, InputStream b, int c) throws SQLException {
    if (inBand != null) {
      bind(a, (t, i) -> t.setUnicodeStream(i, b, c));
      return;
    }
    ps.setUnicodeStream(a, b, c);
  }
}
