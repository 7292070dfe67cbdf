package io.userbound.core.internal;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.Ref;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;

/** A callable statement of a Userbound connection; see {@link StatementView}. */
final class CallableStatementView extends PreparedStatementView implements CallableStatement {

  private final CallableStatement cs;

  CallableStatementView(PooledConnection owner, CallableStatement cs) {
    super(owner, cs);
    this.cs = cs;
  }

  @Override
  public Array getArray(String a) throws SQLException {
    return Views.of(owner, cs.getArray(a));
  }

  @Override
  public Array getArray(int a) throws SQLException {
    return Views.of(owner, cs.getArray(a));
  }

  @Override
  public BigDecimal getBigDecimal(String a) throws SQLException {
    return cs.getBigDecimal(a);
  }

  @Override
  @Deprecated
  public BigDecimal getBigDecimal(int a, int b) throws SQLException {
    return cs.getBigDecimal(a, b);
  }

  @Override
  public BigDecimal getBigDecimal(int a) throws SQLException {
    return cs.getBigDecimal(a);
  }

  @Override
  public Blob getBlob(String a) throws SQLException {
    return Views.of(owner, cs.getBlob(a));
  }

  @Override
  public Blob getBlob(int a) throws SQLException {
    return Views.of(owner, cs.getBlob(a));
  }

  @Override
  public boolean getBoolean(String a) throws SQLException {
    return cs.getBoolean(a);
  }

  @Override
  public boolean getBoolean(int a) throws SQLException {
    return cs.getBoolean(a);
  }

  @Override
  public byte getByte(String a) throws SQLException {
    return cs.getByte(a);
  }

  @Override
  public byte getByte(int a) throws SQLException {
    return cs.getByte(a);
  }

  @Override
  public byte[] getBytes(String a) throws SQLException {
    return cs.getBytes(a);
  }

  @Override
  public byte[] getBytes(int a) throws SQLException {
    return cs.getBytes(a);
  }

  @Override
  public Reader getCharacterStream(String a) throws SQLException {
    return cs.getCharacterStream(a);
  }

  @Override
  public Reader getCharacterStream(int a) throws SQLException {
    return cs.getCharacterStream(a);
  }

  @Override
  public Clob getClob(String a) throws SQLException {
    return Views.of(owner, cs.getClob(a));
  }

  @Override
  public Clob getClob(int a) throws SQLException {
    return Views.of(owner, cs.getClob(a));
  }

  @Override
  public Date getDate(String a, Calendar b) throws SQLException {
    return cs.getDate(a, b);
  }

  @Override
  public Date getDate(String a) throws SQLException {
    return cs.getDate(a);
  }

  @Override
  public Date getDate(int a, Calendar b) throws SQLException {
    return cs.getDate(a, b);
  }

  @Override
  public Date getDate(int a) throws SQLException {
    return cs.getDate(a);
  }

  @Override
  public double getDouble(String a) throws SQLException {
    return cs.getDouble(a);
  }

  @Override
  public double getDouble(int a) throws SQLException {
    return cs.getDouble(a);
  }

  @Override
  public float getFloat(String a) throws SQLException {
    return cs.getFloat(a);
  }

  @Override
  public float getFloat(int a) throws SQLException {
    return cs.getFloat(a);
  }

  @Override
  public int getInt(String a) throws SQLException {
    return cs.getInt(a);
  }

  @Override
  public int getInt(int a) throws SQLException {
    return cs.getInt(a);
  }

  @Override
  public long getLong(String a) throws SQLException {
    return cs.getLong(a);
  }

  @Override
  public long getLong(int a) throws SQLException {
    return cs.getLong(a);
  }

  @Override
  public Reader getNCharacterStream(String a) throws SQLException {
    return cs.getNCharacterStream(a);
  }

  @Override
  public Reader getNCharacterStream(int a) throws SQLException {
    return cs.getNCharacterStream(a);
  }

  @Override
  public NClob getNClob(String a) throws SQLException {
    return Views.of(owner, cs.getNClob(a));
  }

  @Override
  public NClob getNClob(int a) throws SQLException {
    return Views.of(owner, cs.getNClob(a));
  }

  @Override
  public String getNString(String a) throws SQLException {
    return cs.getNString(a);
  }

  @Override
  public String getNString(int a) throws SQLException {
    return cs.getNString(a);
  }

  @Override
  public <T> T getObject(String a, Class<T> b) throws SQLException {
    return Views.result(owner, cs.getObject(a, b), b);
  }

  @Override
  public Object getObject(String a, Map<String, Class<?>> b) throws SQLException {
    return Views.result(owner, cs.getObject(a, b));
  }

  @Override
  public Object getObject(String a) throws SQLException {
    return Views.result(owner, cs.getObject(a));
  }

  @Override
  public <T> T getObject(int a, Class<T> b) throws SQLException {
    return Views.result(owner, cs.getObject(a, b), b);
  }

  @Override
  public Object getObject(int a, Map<String, Class<?>> b) throws SQLException {
    return Views.result(owner, cs.getObject(a, b));
  }

  @Override
  public Object getObject(int a) throws SQLException {
    return Views.result(owner, cs.getObject(a));
  }

  @Override
  public Ref getRef(String a) throws SQLException {
    return Views.of(owner, cs.getRef(a));
  }

  @Override
  public Ref getRef(int a) throws SQLException {
    return Views.of(owner, cs.getRef(a));
  }

  @Override
  public RowId getRowId(String a) throws SQLException {
    return Views.of(owner, cs.getRowId(a));
  }

  @Override
  public RowId getRowId(int a) throws SQLException {
    return Views.of(owner, cs.getRowId(a));
  }

  @Override
  public SQLXML getSQLXML(String a) throws SQLException {
    return Views.of(owner, cs.getSQLXML(a));
  }

  @Override
  public SQLXML getSQLXML(int a) throws SQLException {
    return Views.of(owner, cs.getSQLXML(a));
  }

  @Override
  public short getShort(String a) throws SQLException {
    return cs.getShort(a);
  }

  @Override
  public short getShort(int a) throws SQLException {
    return cs.getShort(a);
  }

  @Override
  public String getString(String a) throws SQLException {
    return cs.getString(a);
  }

  @Override
  public String getString(int a) throws SQLException {
    return cs.getString(a);
  }

  @Override
  public Time getTime(String a, Calendar b) throws SQLException {
    return cs.getTime(a, b);
  }

  @Override
  public Time getTime(String a) throws SQLException {
    return cs.getTime(a);
  }

  @Override
  public Time getTime(int a, Calendar b) throws SQLException {
    return cs.getTime(a, b);
  }

  @Override
  public Time getTime(int a) throws SQLException {
    return cs.getTime(a);
  }

  @Override
  public Timestamp getTimestamp(String a, Calendar b) throws SQLException {
    return cs.getTimestamp(a, b);
  }

  @Override
  public Timestamp getTimestamp(String a) throws SQLException {
    return cs.getTimestamp(a);
  }

  @Override
  public Timestamp getTimestamp(int a, Calendar b) throws SQLException {
    return cs.getTimestamp(a, b);
  }

  @Override
  public Timestamp getTimestamp(int a) throws SQLException {
    return cs.getTimestamp(a);
  }

  @Override
  public URL getURL(String a) throws SQLException {
    return cs.getURL(a);
  }

  @Override
  public URL getURL(int a) throws SQLException {
    return cs.getURL(a);
  }

  @Override
  public void registerOutParameter(String a, int b, String c) throws SQLException {
    cs.registerOutParameter(a, b, c);
  }

  @Override
  public void registerOutParameter(String a, int b, int c) throws SQLException {
    cs.registerOutParameter(a, b, c);
  }

  @Override
  public void registerOutParameter(String a, int b) throws SQLException {
    cs.registerOutParameter(a, b);
  }

  @Override
  public void registerOutParameter(String a, SQLType b, String c) throws SQLException {
    cs.registerOutParameter(a, b, c);
  }

  @Override
  public void registerOutParameter(String a, SQLType b, int c) throws SQLException {
    cs.registerOutParameter(a, b, c);
  }

  @Override
  public void registerOutParameter(String a, SQLType b) throws SQLException {
    cs.registerOutParameter(a, b);
  }

  @Override
  public void registerOutParameter(int a, int b, String c) throws SQLException {
    cs.registerOutParameter(a, b, c);
  }

  @Override
  public void registerOutParameter(int a, int b, int c) throws SQLException {
    cs.registerOutParameter(a, b, c);
  }

  @Override
  public void registerOutParameter(int a, int b) throws SQLException {
    cs.registerOutParameter(a, b);
  }

  @Override
  public void registerOutParameter(int a, SQLType b, String c) throws SQLException {
    cs.registerOutParameter(a, b, c);
  }

  @Override
  public void registerOutParameter(int a, SQLType b, int c) throws SQLException {
    cs.registerOutParameter(a, b, c);
  }

  @Override
  public void registerOutParameter(int a, SQLType b) throws SQLException {
    cs.registerOutParameter(a, b);
  }

  @Override
  public void setAsciiStream(String a, InputStream b, int c) throws SQLException {
    cs.setAsciiStream(a, b, c);
  }

  @Override
  public void setAsciiStream(String a, InputStream b, long c) throws SQLException {
    cs.setAsciiStream(a, b, c);
  }

  @Override
  public void setAsciiStream(String a, InputStream b) throws SQLException {
    cs.setAsciiStream(a, b);
  }

  @Override
  public void setBigDecimal(String a, BigDecimal b) throws SQLException {
    cs.setBigDecimal(a, b);
  }

  @Override
  public void setBinaryStream(String a, InputStream b, int c) throws SQLException {
    cs.setBinaryStream(a, b, c);
  }

  @Override
  public void setBinaryStream(String a, InputStream b, long c) throws SQLException {
    cs.setBinaryStream(a, b, c);
  }

  @Override
  public void setBinaryStream(String a, InputStream b) throws SQLException {
    cs.setBinaryStream(a, b);
  }

  @Override
  public void setBlob(String a, InputStream b, long c) throws SQLException {
    cs.setBlob(a, b, c);
  }

  @Override
  public void setBlob(String a, InputStream b) throws SQLException {
    cs.setBlob(a, b);
  }

  @Override
  public void setBlob(String a, Blob b) throws SQLException {
    cs.setBlob(a, Views.raw(b));
  }

  @Override
  public void setBoolean(String a, boolean b) throws SQLException {
    cs.setBoolean(a, b);
  }

  @Override
  public void setByte(String a, byte b) throws SQLException {
    cs.setByte(a, b);
  }

  @Override
  public void setBytes(String a, byte[] b) throws SQLException {
    cs.setBytes(a, b);
  }

  @Override
  public void setCharacterStream(String a, Reader b, int c) throws SQLException {
    cs.setCharacterStream(a, b, c);
  }

  @Override
  public void setCharacterStream(String a, Reader b, long c) throws SQLException {
    cs.setCharacterStream(a, b, c);
  }

  @Override
  public void setCharacterStream(String a, Reader b) throws SQLException {
    cs.setCharacterStream(a, b);
  }

  @Override
  public void setClob(String a, Reader b, long c) throws SQLException {
    cs.setClob(a, b, c);
  }

  @Override
  public void setClob(String a, Reader b) throws SQLException {
    cs.setClob(a, b);
  }

  @Override
  public void setClob(String a, Clob b) throws SQLException {
    cs.setClob(a, Views.raw(b));
  }

  @Override
  public void setDate(String a, Date b, Calendar c) throws SQLException {
    cs.setDate(a, b, c);
  }

  @Override
  public void setDate(String a, Date b) throws SQLException {
    cs.setDate(a, b);
  }

  @Override
  public void setDouble(String a, double b) throws SQLException {
    cs.setDouble(a, b);
  }

  @Override
  public void setFloat(String a, float b) throws SQLException {
    cs.setFloat(a, b);
  }

  @Override
  public void setInt(String a, int b) throws SQLException {
    cs.setInt(a, b);
  }

  @Override
  public void setLong(String a, long b) throws SQLException {
    cs.setLong(a, b);
  }

  @Override
  public void setNCharacterStream(String a, Reader b, long c) throws SQLException {
    cs.setNCharacterStream(a, b, c);
  }

  @Override
  public void setNCharacterStream(String a, Reader b) throws SQLException {
    cs.setNCharacterStream(a, b);
  }

  @Override
  public void setNClob(String a, Reader b, long c) throws SQLException {
    cs.setNClob(a, b, c);
  }

  @Override
  public void setNClob(String a, Reader b) throws SQLException {
    cs.setNClob(a, b);
  }

  @Override
  public void setNClob(String a, NClob b) throws SQLException {
    cs.setNClob(a, Views.raw(b));
  }

  @Override
  public void setNString(String a, String b) throws SQLException {
    cs.setNString(a, b);
  }

  @Override
  public void setNull(String a, int b, String c) throws SQLException {
    cs.setNull(a, b, c);
  }

  @Override
  public void setNull(String a, int b) throws SQLException {
    cs.setNull(a, b);
  }

  @Override
  public void setObject(String a, Object b, int c, int d) throws SQLException {
    cs.setObject(a, Views.raw(b), c, d);
  }

  @Override
  public void setObject(String a, Object b, int c) throws SQLException {
    cs.setObject(a, Views.raw(b), c);
  }

  @Override
  public void setObject(String a, Object b, SQLType c, int d) throws SQLException {
    cs.setObject(a, Views.raw(b), c, d);
  }

  @Override
  public void setObject(String a, Object b, SQLType c) throws SQLException {
    cs.setObject(a, Views.raw(b), c);
  }

  @Override
  public void setObject(String a, Object b) throws SQLException {
    cs.setObject(a, Views.raw(b));
  }

  @Override
  public void setRowId(String a, RowId b) throws SQLException {
    cs.setRowId(a, Views.raw(b));
  }

  @Override
  public void setSQLXML(String a, SQLXML b) throws SQLException {
    cs.setSQLXML(a, Views.raw(b));
  }

  @Override
  public void setShort(String a, short b) throws SQLException {
    cs.setShort(a, b);
  }

  @Override
  public void setString(String a, String b) throws SQLException {
    cs.setString(a, b);
  }

  @Override
  public void setTime(String a, Time b, Calendar c) throws SQLException {
    cs.setTime(a, b, c);
  }

  @Override
  public void setTime(String a, Time b) throws SQLException {
    cs.setTime(a, b);
  }

  @Override
  public void setTimestamp(String a, Timestamp b, Calendar c) throws SQLException {
    cs.setTimestamp(a, b, c);
  }

  @Override
  public void setTimestamp(String a, Timestamp b) throws SQLException {
    cs.setTimestamp(a, b);
  }

  @Override
  public void setURL(String a, URL b) throws SQLException {
    cs.setURL(a, b);
  }

  @Override
  public boolean wasNull() throws SQLException {
    return cs.wasNull();
  }
}
