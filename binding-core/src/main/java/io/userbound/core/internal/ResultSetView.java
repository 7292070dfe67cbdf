package io.userbound.core.internal;

import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.NClob;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLXML;
import java.sql.Statement;
import java.util.Map;

/*
 * A result set of a Userbound connection: getStatement() gives Userbound's statement (null
 * for one the driver made for metadata or an Array, as JDBC allows), and every JDBC object
 * it returns (a nested result set, an Array, a LOB, its metadata) comes out as a view
 * (ObjectView). Everything else forwards as is (ForwardingResultSet, generated
 * at build time: it leaves abstract every method that returns a JDBC object, so each of
 * those is decided here).
 */
final class ResultSetView extends ForwardingResultSet {

  private final PooledConnection owner;
  private final Statement statement;
  private final ResultSet rs;

  ResultSetView(PooledConnection owner, Statement statement, ResultSet rs) {
    this.owner = owner;
    this.statement = statement;
    this.rs = rs;
  }

  @Override
  ResultSet resultSet() {
    return rs;
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
  public Array getArray(String a) throws SQLException {
    return ObjectView.array(owner, rs.getArray(a));
  }

  @Override
  public Array getArray(int a) throws SQLException {
    return ObjectView.array(owner, rs.getArray(a));
  }

  @Override
  public Blob getBlob(String a) throws SQLException {
    return ObjectView.blob(owner, rs.getBlob(a));
  }

  @Override
  public Blob getBlob(int a) throws SQLException {
    return ObjectView.blob(owner, rs.getBlob(a));
  }

  @Override
  public Clob getClob(String a) throws SQLException {
    return ObjectView.clob(owner, rs.getClob(a));
  }

  @Override
  public Clob getClob(int a) throws SQLException {
    return ObjectView.clob(owner, rs.getClob(a));
  }

  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    return ObjectView.metaData(owner, rs.getMetaData());
  }

  @Override
  public NClob getNClob(String a) throws SQLException {
    return ObjectView.nclob(owner, rs.getNClob(a));
  }

  @Override
  public NClob getNClob(int a) throws SQLException {
    return ObjectView.nclob(owner, rs.getNClob(a));
  }

  @Override
  public <T> T getObject(String a, Class<T> b) throws SQLException {
    return ObjectView.view(owner, statement, rs.getObject(a, b), b);
  }

  @Override
  public Object getObject(String a, Map<String, Class<?>> b) throws SQLException {
    return ObjectView.view(owner, statement, rs.getObject(a, b));
  }

  @Override
  public Object getObject(String a) throws SQLException {
    return ObjectView.view(owner, statement, rs.getObject(a));
  }

  @Override
  public <T> T getObject(int a, Class<T> b) throws SQLException {
    return ObjectView.view(owner, statement, rs.getObject(a, b), b);
  }

  @Override
  public Object getObject(int a, Map<String, Class<?>> b) throws SQLException {
    return ObjectView.view(owner, statement, rs.getObject(a, b));
  }

  @Override
  public Object getObject(int a) throws SQLException {
    return ObjectView.view(owner, statement, rs.getObject(a));
  }

  @Override
  public Ref getRef(String a) throws SQLException {
    return ObjectView.ref(owner, rs.getRef(a));
  }

  @Override
  public Ref getRef(int a) throws SQLException {
    return ObjectView.ref(owner, rs.getRef(a));
  }

  @Override
  public RowId getRowId(String a) throws SQLException {
    return rs.getRowId(a); // bytes: nothing that leads anywhere or does work
  }

  @Override
  public RowId getRowId(int a) throws SQLException {
    return rs.getRowId(a); // bytes: nothing that leads anywhere or does work
  }

  @Override
  public SQLXML getSQLXML(String a) throws SQLException {
    return ObjectView.sqlxml(owner, rs.getSQLXML(a));
  }

  @Override
  public SQLXML getSQLXML(int a) throws SQLException {
    return ObjectView.sqlxml(owner, rs.getSQLXML(a));
  }

  @Override
  public Statement getStatement() throws SQLException {
    return statement;
  }
}
