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
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;

/*
 * A result set of a Userbound connection: getStatement() gives Userbound's statement,
 * and objects that could reach the driver's connection (a nested result set, an Array,
 * a LOB) come out as views. Everything else forwards as is.
 */
final class ResultSetView implements ResultSet {

  private final PooledConnection owner;
  private final Statement statement;
  private final ResultSet rs;

  ResultSetView(PooledConnection owner, Statement statement, ResultSet rs) {
    this.owner = owner;
    this.statement = statement;
    this.rs = rs;
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    return Views.unwrap(this, rs, type, owner);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) throws SQLException {
    return Views.isWrapperFor(this, rs, type);
  }

  @Override
  public String toString() {
    return "ResultSetView[" + owner + "]";
  }

  @Override
  public boolean absolute(int a) throws SQLException {
    return rs.absolute(a);
  }

  @Override
  public void afterLast() throws SQLException {
    rs.afterLast();
  }

  @Override
  public void beforeFirst() throws SQLException {
    rs.beforeFirst();
  }

  @Override
  public void cancelRowUpdates() throws SQLException {
    rs.cancelRowUpdates();
  }

  @Override
  public void clearWarnings() throws SQLException {
    rs.clearWarnings();
  }

  @Override
  public void close() throws SQLException {
    rs.close();
  }

  @Override
  public void deleteRow() throws SQLException {
    rs.deleteRow();
  }

  @Override
  public int findColumn(String a) throws SQLException {
    return rs.findColumn(a);
  }

  @Override
  public boolean first() throws SQLException {
    return rs.first();
  }

  @Override
  public Array getArray(String a) throws SQLException {
    return Views.of(owner, rs.getArray(a));
  }

  @Override
  public Array getArray(int a) throws SQLException {
    return Views.of(owner, rs.getArray(a));
  }

  @Override
  public InputStream getAsciiStream(String a) throws SQLException {
    return rs.getAsciiStream(a);
  }

  @Override
  public InputStream getAsciiStream(int a) throws SQLException {
    return rs.getAsciiStream(a);
  }

  @Override
  @Deprecated
  public BigDecimal getBigDecimal(String a, int b) throws SQLException {
    return rs.getBigDecimal(a, b);
  }

  @Override
  public BigDecimal getBigDecimal(String a) throws SQLException {
    return rs.getBigDecimal(a);
  }

  @Override
  @Deprecated
  public BigDecimal getBigDecimal(int a, int b) throws SQLException {
    return rs.getBigDecimal(a, b);
  }

  @Override
  public BigDecimal getBigDecimal(int a) throws SQLException {
    return rs.getBigDecimal(a);
  }

  @Override
  public InputStream getBinaryStream(String a) throws SQLException {
    return rs.getBinaryStream(a);
  }

  @Override
  public InputStream getBinaryStream(int a) throws SQLException {
    return rs.getBinaryStream(a);
  }

  @Override
  public Blob getBlob(String a) throws SQLException {
    return Views.of(owner, rs.getBlob(a));
  }

  @Override
  public Blob getBlob(int a) throws SQLException {
    return Views.of(owner, rs.getBlob(a));
  }

  @Override
  public boolean getBoolean(String a) throws SQLException {
    return rs.getBoolean(a);
  }

  @Override
  public boolean getBoolean(int a) throws SQLException {
    return rs.getBoolean(a);
  }

  @Override
  public byte getByte(String a) throws SQLException {
    return rs.getByte(a);
  }

  @Override
  public byte getByte(int a) throws SQLException {
    return rs.getByte(a);
  }

  @Override
  public byte[] getBytes(String a) throws SQLException {
    return rs.getBytes(a);
  }

  @Override
  public byte[] getBytes(int a) throws SQLException {
    return rs.getBytes(a);
  }

  @Override
  public Reader getCharacterStream(String a) throws SQLException {
    return rs.getCharacterStream(a);
  }

  @Override
  public Reader getCharacterStream(int a) throws SQLException {
    return rs.getCharacterStream(a);
  }

  @Override
  public Clob getClob(String a) throws SQLException {
    return Views.of(owner, rs.getClob(a));
  }

  @Override
  public Clob getClob(int a) throws SQLException {
    return Views.of(owner, rs.getClob(a));
  }

  @Override
  public int getConcurrency() throws SQLException {
    return rs.getConcurrency();
  }

  @Override
  public String getCursorName() throws SQLException {
    return rs.getCursorName();
  }

  @Override
  public Date getDate(String a, Calendar b) throws SQLException {
    return rs.getDate(a, b);
  }

  @Override
  public Date getDate(String a) throws SQLException {
    return rs.getDate(a);
  }

  @Override
  public Date getDate(int a, Calendar b) throws SQLException {
    return rs.getDate(a, b);
  }

  @Override
  public Date getDate(int a) throws SQLException {
    return rs.getDate(a);
  }

  @Override
  public double getDouble(String a) throws SQLException {
    return rs.getDouble(a);
  }

  @Override
  public double getDouble(int a) throws SQLException {
    return rs.getDouble(a);
  }

  @Override
  public int getFetchDirection() throws SQLException {
    return rs.getFetchDirection();
  }

  @Override
  public int getFetchSize() throws SQLException {
    return rs.getFetchSize();
  }

  @Override
  public float getFloat(String a) throws SQLException {
    return rs.getFloat(a);
  }

  @Override
  public float getFloat(int a) throws SQLException {
    return rs.getFloat(a);
  }

  @Override
  public int getHoldability() throws SQLException {
    return rs.getHoldability();
  }

  @Override
  public int getInt(String a) throws SQLException {
    return rs.getInt(a);
  }

  @Override
  public int getInt(int a) throws SQLException {
    return rs.getInt(a);
  }

  @Override
  public long getLong(String a) throws SQLException {
    return rs.getLong(a);
  }

  @Override
  public long getLong(int a) throws SQLException {
    return rs.getLong(a);
  }

  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    return rs.getMetaData();
  }

  @Override
  public Reader getNCharacterStream(String a) throws SQLException {
    return rs.getNCharacterStream(a);
  }

  @Override
  public Reader getNCharacterStream(int a) throws SQLException {
    return rs.getNCharacterStream(a);
  }

  @Override
  public NClob getNClob(String a) throws SQLException {
    return Views.of(owner, rs.getNClob(a));
  }

  @Override
  public NClob getNClob(int a) throws SQLException {
    return Views.of(owner, rs.getNClob(a));
  }

  @Override
  public String getNString(String a) throws SQLException {
    return rs.getNString(a);
  }

  @Override
  public String getNString(int a) throws SQLException {
    return rs.getNString(a);
  }

  @Override
  public <T> T getObject(String a, Class<T> b) throws SQLException {
    return Views.result(owner, rs.getObject(a, b), b);
  }

  @Override
  public Object getObject(String a, Map<String, Class<?>> b) throws SQLException {
    return Views.result(owner, rs.getObject(a, b));
  }

  @Override
  public Object getObject(String a) throws SQLException {
    return Views.result(owner, rs.getObject(a));
  }

  @Override
  public <T> T getObject(int a, Class<T> b) throws SQLException {
    return Views.result(owner, rs.getObject(a, b), b);
  }

  @Override
  public Object getObject(int a, Map<String, Class<?>> b) throws SQLException {
    return Views.result(owner, rs.getObject(a, b));
  }

  @Override
  public Object getObject(int a) throws SQLException {
    return Views.result(owner, rs.getObject(a));
  }

  @Override
  public Ref getRef(String a) throws SQLException {
    return Views.of(owner, rs.getRef(a));
  }

  @Override
  public Ref getRef(int a) throws SQLException {
    return Views.of(owner, rs.getRef(a));
  }

  @Override
  public int getRow() throws SQLException {
    return rs.getRow();
  }

  @Override
  public RowId getRowId(String a) throws SQLException {
    return Views.of(owner, rs.getRowId(a));
  }

  @Override
  public RowId getRowId(int a) throws SQLException {
    return Views.of(owner, rs.getRowId(a));
  }

  @Override
  public SQLXML getSQLXML(String a) throws SQLException {
    return Views.of(owner, rs.getSQLXML(a));
  }

  @Override
  public SQLXML getSQLXML(int a) throws SQLException {
    return Views.of(owner, rs.getSQLXML(a));
  }

  @Override
  public short getShort(String a) throws SQLException {
    return rs.getShort(a);
  }

  @Override
  public short getShort(int a) throws SQLException {
    return rs.getShort(a);
  }

  @Override
  public Statement getStatement() throws SQLException {
    return statement;
  }

  @Override
  public String getString(String a) throws SQLException {
    return rs.getString(a);
  }

  @Override
  public String getString(int a) throws SQLException {
    return rs.getString(a);
  }

  @Override
  public Time getTime(String a, Calendar b) throws SQLException {
    return rs.getTime(a, b);
  }

  @Override
  public Time getTime(String a) throws SQLException {
    return rs.getTime(a);
  }

  @Override
  public Time getTime(int a, Calendar b) throws SQLException {
    return rs.getTime(a, b);
  }

  @Override
  public Time getTime(int a) throws SQLException {
    return rs.getTime(a);
  }

  @Override
  public Timestamp getTimestamp(String a, Calendar b) throws SQLException {
    return rs.getTimestamp(a, b);
  }

  @Override
  public Timestamp getTimestamp(String a) throws SQLException {
    return rs.getTimestamp(a);
  }

  @Override
  public Timestamp getTimestamp(int a, Calendar b) throws SQLException {
    return rs.getTimestamp(a, b);
  }

  @Override
  public Timestamp getTimestamp(int a) throws SQLException {
    return rs.getTimestamp(a);
  }

  @Override
  public int getType() throws SQLException {
    return rs.getType();
  }

  @Override
  public URL getURL(String a) throws SQLException {
    return rs.getURL(a);
  }

  @Override
  public URL getURL(int a) throws SQLException {
    return rs.getURL(a);
  }

  @Override
  @Deprecated
  public InputStream getUnicodeStream(String a) throws SQLException {
    return rs.getUnicodeStream(a);
  }

  @Override
  @Deprecated
  public InputStream getUnicodeStream(int a) throws SQLException {
    return rs.getUnicodeStream(a);
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    return rs.getWarnings();
  }

  @Override
  public void insertRow() throws SQLException {
    rs.insertRow();
  }

  @Override
  public boolean isAfterLast() throws SQLException {
    return rs.isAfterLast();
  }

  @Override
  public boolean isBeforeFirst() throws SQLException {
    return rs.isBeforeFirst();
  }

  @Override
  public boolean isClosed() throws SQLException {
    return rs.isClosed();
  }

  @Override
  public boolean isFirst() throws SQLException {
    return rs.isFirst();
  }

  @Override
  public boolean isLast() throws SQLException {
    return rs.isLast();
  }

  @Override
  public boolean last() throws SQLException {
    return rs.last();
  }

  @Override
  public void moveToCurrentRow() throws SQLException {
    rs.moveToCurrentRow();
  }

  @Override
  public void moveToInsertRow() throws SQLException {
    rs.moveToInsertRow();
  }

  @Override
  public boolean next() throws SQLException {
    return rs.next();
  }

  @Override
  public boolean previous() throws SQLException {
    return rs.previous();
  }

  @Override
  public void refreshRow() throws SQLException {
    rs.refreshRow();
  }

  @Override
  public boolean relative(int a) throws SQLException {
    return rs.relative(a);
  }

  @Override
  public boolean rowDeleted() throws SQLException {
    return rs.rowDeleted();
  }

  @Override
  public boolean rowInserted() throws SQLException {
    return rs.rowInserted();
  }

  @Override
  public boolean rowUpdated() throws SQLException {
    return rs.rowUpdated();
  }

  @Override
  public void setFetchDirection(int a) throws SQLException {
    rs.setFetchDirection(a);
  }

  @Override
  public void setFetchSize(int a) throws SQLException {
    rs.setFetchSize(a);
  }

  @Override
  public void updateArray(String a, Array b) throws SQLException {
    rs.updateArray(a, Views.raw(b));
  }

  @Override
  public void updateArray(int a, Array b) throws SQLException {
    rs.updateArray(a, Views.raw(b));
  }

  @Override
  public void updateAsciiStream(String a, InputStream b, int c) throws SQLException {
    rs.updateAsciiStream(a, b, c);
  }

  @Override
  public void updateAsciiStream(String a, InputStream b, long c) throws SQLException {
    rs.updateAsciiStream(a, b, c);
  }

  @Override
  public void updateAsciiStream(String a, InputStream b) throws SQLException {
    rs.updateAsciiStream(a, b);
  }

  @Override
  public void updateAsciiStream(int a, InputStream b, int c) throws SQLException {
    rs.updateAsciiStream(a, b, c);
  }

  @Override
  public void updateAsciiStream(int a, InputStream b, long c) throws SQLException {
    rs.updateAsciiStream(a, b, c);
  }

  @Override
  public void updateAsciiStream(int a, InputStream b) throws SQLException {
    rs.updateAsciiStream(a, b);
  }

  @Override
  public void updateBigDecimal(String a, BigDecimal b) throws SQLException {
    rs.updateBigDecimal(a, b);
  }

  @Override
  public void updateBigDecimal(int a, BigDecimal b) throws SQLException {
    rs.updateBigDecimal(a, b);
  }

  @Override
  public void updateBinaryStream(String a, InputStream b, int c) throws SQLException {
    rs.updateBinaryStream(a, b, c);
  }

  @Override
  public void updateBinaryStream(String a, InputStream b, long c) throws SQLException {
    rs.updateBinaryStream(a, b, c);
  }

  @Override
  public void updateBinaryStream(String a, InputStream b) throws SQLException {
    rs.updateBinaryStream(a, b);
  }

  @Override
  public void updateBinaryStream(int a, InputStream b, int c) throws SQLException {
    rs.updateBinaryStream(a, b, c);
  }

  @Override
  public void updateBinaryStream(int a, InputStream b, long c) throws SQLException {
    rs.updateBinaryStream(a, b, c);
  }

  @Override
  public void updateBinaryStream(int a, InputStream b) throws SQLException {
    rs.updateBinaryStream(a, b);
  }

  @Override
  public void updateBlob(String a, InputStream b, long c) throws SQLException {
    rs.updateBlob(a, b, c);
  }

  @Override
  public void updateBlob(String a, InputStream b) throws SQLException {
    rs.updateBlob(a, b);
  }

  @Override
  public void updateBlob(String a, Blob b) throws SQLException {
    rs.updateBlob(a, Views.raw(b));
  }

  @Override
  public void updateBlob(int a, InputStream b, long c) throws SQLException {
    rs.updateBlob(a, b, c);
  }

  @Override
  public void updateBlob(int a, InputStream b) throws SQLException {
    rs.updateBlob(a, b);
  }

  @Override
  public void updateBlob(int a, Blob b) throws SQLException {
    rs.updateBlob(a, Views.raw(b));
  }

  @Override
  public void updateBoolean(String a, boolean b) throws SQLException {
    rs.updateBoolean(a, b);
  }

  @Override
  public void updateBoolean(int a, boolean b) throws SQLException {
    rs.updateBoolean(a, b);
  }

  @Override
  public void updateByte(String a, byte b) throws SQLException {
    rs.updateByte(a, b);
  }

  @Override
  public void updateByte(int a, byte b) throws SQLException {
    rs.updateByte(a, b);
  }

  @Override
  public void updateBytes(String a, byte[] b) throws SQLException {
    rs.updateBytes(a, b);
  }

  @Override
  public void updateBytes(int a, byte[] b) throws SQLException {
    rs.updateBytes(a, b);
  }

  @Override
  public void updateCharacterStream(String a, Reader b, int c) throws SQLException {
    rs.updateCharacterStream(a, b, c);
  }

  @Override
  public void updateCharacterStream(String a, Reader b, long c) throws SQLException {
    rs.updateCharacterStream(a, b, c);
  }

  @Override
  public void updateCharacterStream(String a, Reader b) throws SQLException {
    rs.updateCharacterStream(a, b);
  }

  @Override
  public void updateCharacterStream(int a, Reader b, int c) throws SQLException {
    rs.updateCharacterStream(a, b, c);
  }

  @Override
  public void updateCharacterStream(int a, Reader b, long c) throws SQLException {
    rs.updateCharacterStream(a, b, c);
  }

  @Override
  public void updateCharacterStream(int a, Reader b) throws SQLException {
    rs.updateCharacterStream(a, b);
  }

  @Override
  public void updateClob(String a, Reader b, long c) throws SQLException {
    rs.updateClob(a, b, c);
  }

  @Override
  public void updateClob(String a, Reader b) throws SQLException {
    rs.updateClob(a, b);
  }

  @Override
  public void updateClob(String a, Clob b) throws SQLException {
    rs.updateClob(a, Views.raw(b));
  }

  @Override
  public void updateClob(int a, Reader b, long c) throws SQLException {
    rs.updateClob(a, b, c);
  }

  @Override
  public void updateClob(int a, Reader b) throws SQLException {
    rs.updateClob(a, b);
  }

  @Override
  public void updateClob(int a, Clob b) throws SQLException {
    rs.updateClob(a, Views.raw(b));
  }

  @Override
  public void updateDate(String a, Date b) throws SQLException {
    rs.updateDate(a, b);
  }

  @Override
  public void updateDate(int a, Date b) throws SQLException {
    rs.updateDate(a, b);
  }

  @Override
  public void updateDouble(String a, double b) throws SQLException {
    rs.updateDouble(a, b);
  }

  @Override
  public void updateDouble(int a, double b) throws SQLException {
    rs.updateDouble(a, b);
  }

  @Override
  public void updateFloat(String a, float b) throws SQLException {
    rs.updateFloat(a, b);
  }

  @Override
  public void updateFloat(int a, float b) throws SQLException {
    rs.updateFloat(a, b);
  }

  @Override
  public void updateInt(String a, int b) throws SQLException {
    rs.updateInt(a, b);
  }

  @Override
  public void updateInt(int a, int b) throws SQLException {
    rs.updateInt(a, b);
  }

  @Override
  public void updateLong(String a, long b) throws SQLException {
    rs.updateLong(a, b);
  }

  @Override
  public void updateLong(int a, long b) throws SQLException {
    rs.updateLong(a, b);
  }

  @Override
  public void updateNCharacterStream(String a, Reader b, long c) throws SQLException {
    rs.updateNCharacterStream(a, b, c);
  }

  @Override
  public void updateNCharacterStream(String a, Reader b) throws SQLException {
    rs.updateNCharacterStream(a, b);
  }

  @Override
  public void updateNCharacterStream(int a, Reader b, long c) throws SQLException {
    rs.updateNCharacterStream(a, b, c);
  }

  @Override
  public void updateNCharacterStream(int a, Reader b) throws SQLException {
    rs.updateNCharacterStream(a, b);
  }

  @Override
  public void updateNClob(String a, Reader b, long c) throws SQLException {
    rs.updateNClob(a, b, c);
  }

  @Override
  public void updateNClob(String a, Reader b) throws SQLException {
    rs.updateNClob(a, b);
  }

  @Override
  public void updateNClob(String a, NClob b) throws SQLException {
    rs.updateNClob(a, Views.raw(b));
  }

  @Override
  public void updateNClob(int a, Reader b, long c) throws SQLException {
    rs.updateNClob(a, b, c);
  }

  @Override
  public void updateNClob(int a, Reader b) throws SQLException {
    rs.updateNClob(a, b);
  }

  @Override
  public void updateNClob(int a, NClob b) throws SQLException {
    rs.updateNClob(a, Views.raw(b));
  }

  @Override
  public void updateNString(String a, String b) throws SQLException {
    rs.updateNString(a, b);
  }

  @Override
  public void updateNString(int a, String b) throws SQLException {
    rs.updateNString(a, b);
  }

  @Override
  public void updateNull(String a) throws SQLException {
    rs.updateNull(a);
  }

  @Override
  public void updateNull(int a) throws SQLException {
    rs.updateNull(a);
  }

  @Override
  public void updateObject(String a, Object b, int c) throws SQLException {
    rs.updateObject(a, Views.raw(b), c);
  }

  @Override
  public void updateObject(String a, Object b, SQLType c, int d) throws SQLException {
    rs.updateObject(a, Views.raw(b), c, d);
  }

  @Override
  public void updateObject(String a, Object b, SQLType c) throws SQLException {
    rs.updateObject(a, Views.raw(b), c);
  }

  @Override
  public void updateObject(String a, Object b) throws SQLException {
    rs.updateObject(a, Views.raw(b));
  }

  @Override
  public void updateObject(int a, Object b, int c) throws SQLException {
    rs.updateObject(a, Views.raw(b), c);
  }

  @Override
  public void updateObject(int a, Object b, SQLType c, int d) throws SQLException {
    rs.updateObject(a, Views.raw(b), c, d);
  }

  @Override
  public void updateObject(int a, Object b, SQLType c) throws SQLException {
    rs.updateObject(a, Views.raw(b), c);
  }

  @Override
  public void updateObject(int a, Object b) throws SQLException {
    rs.updateObject(a, Views.raw(b));
  }

  @Override
  public void updateRef(String a, Ref b) throws SQLException {
    rs.updateRef(a, Views.raw(b));
  }

  @Override
  public void updateRef(int a, Ref b) throws SQLException {
    rs.updateRef(a, Views.raw(b));
  }

  @Override
  public void updateRow() throws SQLException {
    rs.updateRow();
  }

  @Override
  public void updateRowId(String a, RowId b) throws SQLException {
    rs.updateRowId(a, Views.raw(b));
  }

  @Override
  public void updateRowId(int a, RowId b) throws SQLException {
    rs.updateRowId(a, Views.raw(b));
  }

  @Override
  public void updateSQLXML(String a, SQLXML b) throws SQLException {
    rs.updateSQLXML(a, Views.raw(b));
  }

  @Override
  public void updateSQLXML(int a, SQLXML b) throws SQLException {
    rs.updateSQLXML(a, Views.raw(b));
  }

  @Override
  public void updateShort(String a, short b) throws SQLException {
    rs.updateShort(a, b);
  }

  @Override
  public void updateShort(int a, short b) throws SQLException {
    rs.updateShort(a, b);
  }

  @Override
  public void updateString(String a, String b) throws SQLException {
    rs.updateString(a, b);
  }

  @Override
  public void updateString(int a, String b) throws SQLException {
    rs.updateString(a, b);
  }

  @Override
  public void updateTime(String a, Time b) throws SQLException {
    rs.updateTime(a, b);
  }

  @Override
  public void updateTime(int a, Time b) throws SQLException {
    rs.updateTime(a, b);
  }

  @Override
  public void updateTimestamp(String a, Timestamp b) throws SQLException {
    rs.updateTimestamp(a, b);
  }

  @Override
  public void updateTimestamp(int a, Timestamp b) throws SQLException {
    rs.updateTimestamp(a, b);
  }

  @Override
  public boolean wasNull() throws SQLException {
    return rs.wasNull();
  }
}
