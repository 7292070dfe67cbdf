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
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;

/** A prepared statement of a Userbound connection; see {@link StatementView}. */
class PreparedStatementView extends StatementView implements PreparedStatement {

  private final PreparedStatement ps;

  PreparedStatementView(PooledConnection owner, PreparedStatement ps) {
    super(owner, ps);
    this.ps = ps;
  }

  @Override
  public void addBatch() throws SQLException {
    ps.addBatch();
  }

  @Override
  public void clearParameters() throws SQLException {
    ps.clearParameters();
  }

  @Override
  public boolean execute() throws SQLException {
    return ps.execute();
  }

  @Override
  public long executeLargeUpdate() throws SQLException {
    return ps.executeLargeUpdate();
  }

  @Override
  public ResultSet executeQuery() throws SQLException {
    return owner.resultSet(ps.executeQuery(), this);
  }

  @Override
  public int executeUpdate() throws SQLException {
    return ps.executeUpdate();
  }

  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    return ps.getMetaData();
  }

  @Override
  public ParameterMetaData getParameterMetaData() throws SQLException {
    return ps.getParameterMetaData();
  }

  @Override
  public void setArray(int a, Array b) throws SQLException {
    ps.setArray(a, Views.raw(b));
  }

  @Override
  public void setAsciiStream(int a, InputStream b, int c) throws SQLException {
    ps.setAsciiStream(a, b, c);
  }

  @Override
  public void setAsciiStream(int a, InputStream b, long c) throws SQLException {
    ps.setAsciiStream(a, b, c);
  }

  @Override
  public void setAsciiStream(int a, InputStream b) throws SQLException {
    ps.setAsciiStream(a, b);
  }

  @Override
  public void setBigDecimal(int a, BigDecimal b) throws SQLException {
    ps.setBigDecimal(a, b);
  }

  @Override
  public void setBinaryStream(int a, InputStream b, int c) throws SQLException {
    ps.setBinaryStream(a, b, c);
  }

  @Override
  public void setBinaryStream(int a, InputStream b, long c) throws SQLException {
    ps.setBinaryStream(a, b, c);
  }

  @Override
  public void setBinaryStream(int a, InputStream b) throws SQLException {
    ps.setBinaryStream(a, b);
  }

  @Override
  public void setBlob(int a, InputStream b, long c) throws SQLException {
    ps.setBlob(a, b, c);
  }

  @Override
  public void setBlob(int a, InputStream b) throws SQLException {
    ps.setBlob(a, b);
  }

  @Override
  public void setBlob(int a, Blob b) throws SQLException {
    ps.setBlob(a, Views.raw(b));
  }

  @Override
  public void setBoolean(int a, boolean b) throws SQLException {
    ps.setBoolean(a, b);
  }

  @Override
  public void setByte(int a, byte b) throws SQLException {
    ps.setByte(a, b);
  }

  @Override
  public void setBytes(int a, byte[] b) throws SQLException {
    ps.setBytes(a, b);
  }

  @Override
  public void setCharacterStream(int a, Reader b, int c) throws SQLException {
    ps.setCharacterStream(a, b, c);
  }

  @Override
  public void setCharacterStream(int a, Reader b, long c) throws SQLException {
    ps.setCharacterStream(a, b, c);
  }

  @Override
  public void setCharacterStream(int a, Reader b) throws SQLException {
    ps.setCharacterStream(a, b);
  }

  @Override
  public void setClob(int a, Reader b, long c) throws SQLException {
    ps.setClob(a, b, c);
  }

  @Override
  public void setClob(int a, Reader b) throws SQLException {
    ps.setClob(a, b);
  }

  @Override
  public void setClob(int a, Clob b) throws SQLException {
    ps.setClob(a, Views.raw(b));
  }

  @Override
  public void setDate(int a, Date b, Calendar c) throws SQLException {
    ps.setDate(a, b, c);
  }

  @Override
  public void setDate(int a, Date b) throws SQLException {
    ps.setDate(a, b);
  }

  @Override
  public void setDouble(int a, double b) throws SQLException {
    ps.setDouble(a, b);
  }

  @Override
  public void setFloat(int a, float b) throws SQLException {
    ps.setFloat(a, b);
  }

  @Override
  public void setInt(int a, int b) throws SQLException {
    ps.setInt(a, b);
  }

  @Override
  public void setLong(int a, long b) throws SQLException {
    ps.setLong(a, b);
  }

  @Override
  public void setNCharacterStream(int a, Reader b, long c) throws SQLException {
    ps.setNCharacterStream(a, b, c);
  }

  @Override
  public void setNCharacterStream(int a, Reader b) throws SQLException {
    ps.setNCharacterStream(a, b);
  }

  @Override
  public void setNClob(int a, Reader b, long c) throws SQLException {
    ps.setNClob(a, b, c);
  }

  @Override
  public void setNClob(int a, Reader b) throws SQLException {
    ps.setNClob(a, b);
  }

  @Override
  public void setNClob(int a, NClob b) throws SQLException {
    ps.setNClob(a, Views.raw(b));
  }

  @Override
  public void setNString(int a, String b) throws SQLException {
    ps.setNString(a, b);
  }

  @Override
  public void setNull(int a, int b, String c) throws SQLException {
    ps.setNull(a, b, c);
  }

  @Override
  public void setNull(int a, int b) throws SQLException {
    ps.setNull(a, b);
  }

  @Override
  public void setObject(int a, Object b, int c, int d) throws SQLException {
    ps.setObject(a, Views.raw(b), c, d);
  }

  @Override
  public void setObject(int a, Object b, int c) throws SQLException {
    ps.setObject(a, Views.raw(b), c);
  }

  @Override
  public void setObject(int a, Object b, SQLType c, int d) throws SQLException {
    ps.setObject(a, Views.raw(b), c, d);
  }

  @Override
  public void setObject(int a, Object b, SQLType c) throws SQLException {
    ps.setObject(a, Views.raw(b), c);
  }

  @Override
  public void setObject(int a, Object b) throws SQLException {
    ps.setObject(a, Views.raw(b));
  }

  @Override
  public void setRef(int a, Ref b) throws SQLException {
    ps.setRef(a, Views.raw(b));
  }

  @Override
  public void setRowId(int a, RowId b) throws SQLException {
    ps.setRowId(a, Views.raw(b));
  }

  @Override
  public void setSQLXML(int a, SQLXML b) throws SQLException {
    ps.setSQLXML(a, Views.raw(b));
  }

  @Override
  public void setShort(int a, short b) throws SQLException {
    ps.setShort(a, b);
  }

  @Override
  public void setString(int a, String b) throws SQLException {
    ps.setString(a, b);
  }

  @Override
  public void setTime(int a, Time b, Calendar c) throws SQLException {
    ps.setTime(a, b, c);
  }

  @Override
  public void setTime(int a, Time b) throws SQLException {
    ps.setTime(a, b);
  }

  @Override
  public void setTimestamp(int a, Timestamp b, Calendar c) throws SQLException {
    ps.setTimestamp(a, b, c);
  }

  @Override
  public void setTimestamp(int a, Timestamp b) throws SQLException {
    ps.setTimestamp(a, b);
  }

  @Override
  public void setURL(int a, URL b) throws SQLException {
    ps.setURL(a, b);
  }

  @Override
  @Deprecated
  public void setUnicodeStream(int a, InputStream b, int c) throws SQLException {
    ps.setUnicodeStream(a, b, c);
  }
}
