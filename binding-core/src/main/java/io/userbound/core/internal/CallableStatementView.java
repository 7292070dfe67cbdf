package io.userbound.core.internal;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.NClob;
import java.sql.Ref;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLXML;
import java.util.Map;

/** A callable statement of a Userbound connection; see {@link StatementView}. */
final class CallableStatementView extends ForwardingCallableStatement {

  private final CallableStatement cs;

  CallableStatementView(PooledConnection owner, CallableStatement cs) {
    super(owner, cs);
    this.cs = cs;
  }

  @Override
  CallableStatement callable() {
    return cs;
  }

  @Override
  public Array getArray(String a) throws SQLException {
    return ObjectView.array(owner, cs.getArray(a));
  }

  @Override
  public Array getArray(int a) throws SQLException {
    return ObjectView.array(owner, cs.getArray(a));
  }

  @Override
  public Blob getBlob(String a) throws SQLException {
    return ObjectView.blob(owner, cs.getBlob(a));
  }

  @Override
  public Blob getBlob(int a) throws SQLException {
    return ObjectView.blob(owner, cs.getBlob(a));
  }

  @Override
  public Clob getClob(String a) throws SQLException {
    return ObjectView.clob(owner, cs.getClob(a));
  }

  @Override
  public Clob getClob(int a) throws SQLException {
    return ObjectView.clob(owner, cs.getClob(a));
  }

  @Override
  public NClob getNClob(String a) throws SQLException {
    return ObjectView.nclob(owner, cs.getNClob(a));
  }

  @Override
  public NClob getNClob(int a) throws SQLException {
    return ObjectView.nclob(owner, cs.getNClob(a));
  }

  @Override
  public <T> T getObject(String a, Class<T> b) throws SQLException {
    return ObjectView.view(owner, this, cs.getObject(a, b), b);
  }

  @Override
  public Object getObject(String a, Map<String, Class<?>> b) throws SQLException {
    return ObjectView.view(owner, this, cs.getObject(a, b));
  }

  @Override
  public Object getObject(String a) throws SQLException {
    return ObjectView.view(owner, this, cs.getObject(a));
  }

  @Override
  public <T> T getObject(int a, Class<T> b) throws SQLException {
    return ObjectView.view(owner, this, cs.getObject(a, b), b);
  }

  @Override
  public Object getObject(int a, Map<String, Class<?>> b) throws SQLException {
    return ObjectView.view(owner, this, cs.getObject(a, b));
  }

  @Override
  public Object getObject(int a) throws SQLException {
    return ObjectView.view(owner, this, cs.getObject(a));
  }

  @Override
  public Ref getRef(String a) throws SQLException {
    return ObjectView.ref(owner, cs.getRef(a));
  }

  @Override
  public Ref getRef(int a) throws SQLException {
    return ObjectView.ref(owner, cs.getRef(a));
  }

  @Override
  public RowId getRowId(String a) throws SQLException {
    return cs.getRowId(a); // bytes: nothing that leads anywhere or does work
  }

  @Override
  public RowId getRowId(int a) throws SQLException {
    return cs.getRowId(a); // bytes: nothing that leads anywhere or does work
  }

  @Override
  public SQLXML getSQLXML(String a) throws SQLException {
    return ObjectView.sqlxml(owner, cs.getSQLXML(a));
  }

  @Override
  public SQLXML getSQLXML(int a) throws SQLException {
    return ObjectView.sqlxml(owner, cs.getSQLXML(a));
  }
}
