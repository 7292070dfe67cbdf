package io.userbound.core.internal;

import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.sql.Wrapper;
import java.util.Map;
import javax.xml.transform.Result;
import javax.xml.transform.Source;

/*
 * The JDBC objects a request reaches from its connection, statements and result sets other
 * than those three: DatabaseMetaData, ResultSetMetaData, ParameterMetaData, Array, Blob,
 * Clob, NClob, SQLXML, Struct, Ref and Savepoint. Each is a view of the driver's object over
 * forwarding generated at build time (ForwardingGenerator, Forwarding<Type>), like the hot
 * path's views; this class holds what they all decide:
 *   - target(), which every generated forward goes through, refuses once the connection is
 *     handed back (08003): even the metadata objects run SQL on the driver's connection
 *     (pgjdbc's ResultSetMetaData looks up base columns, its ParameterMetaData types), and
 *     the physical connection is somebody else's borrow by then;
 *   - Wrapper's methods: itself, a view of a pgjdbc interface (Views), or a refusal;
 *   - view(), the one place that turns whatever a getObject returns into what a request may
 *     hold;
 * and, in the nested classes, what each type decides beyond that (mostly nothing: the
 * compiler makes a class here write every method that returns a JDBC object, Object or
 * Object[]). A result set the driver makes for one of these (metadata queries,
 * Array.getResultSet) is a ResultSetView without a statement: JDBC lets getStatement()
 * answer null there, and the driver's statement behind it is not handed out.
 *
 * Not thread-safe beyond what the driver's object is; the liveness check may be called from
 * any thread.
 */
abstract class ObjectView<T> {

  final PooledConnection owner;
  private final T raw;

  ObjectView(PooledConnection owner, T raw) {
    this.owner = owner;
    this.raw = raw;
  }

  /** The driver's object, for a call now: refused once the borrow is handed back. */
  final T target() throws SQLException {
    if (!owner.isLive()) {
      throw new SQLException(
          "this "
              + getClass().getSimpleName().replace("View", "")
              + " belongs to a Userbound connection that was handed back (closed); borrow a"
              + " new connection",
          "08003");
    }
    return raw;
  }

  /** The driver's object, as an argument going back to the driver (Views.raw). */
  final T raw() {
    return raw;
  }

  public final <U> U unwrap(Class<U> type) throws SQLException {
    if (raw instanceof Wrapper w) {
      return Views.unwrap(this, w, type, owner);
    }
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw Views.refusal(type);
  }

  public final boolean isWrapperFor(Class<?> type) throws SQLException {
    return raw instanceof Wrapper w ? Views.isWrapperFor(this, w, type) : type.isInstance(this);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + owner + "]";
  }

  /**
   * What a getObject returns, made safe: the connection is ours, result sets, arrays, LOBs and
   * the like become views, values pass through. {@code statement} is what a result set
   * returned here answers to getStatement(); null where the driver made it.
   */
  static Object view(PooledConnection owner, Statement statement, Object value) {
    if (value == null
        || value instanceof String
        || value instanceof Number
        || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Connection) {
      return owner;
    }
    if (value instanceof ResultSet rs) {
      return owner.resultSet(rs, statement);
    }
    if (value instanceof Array a) {
      return new ArrayView(owner, a);
    }
    if (value instanceof NClob c) {
      return new NClobView(owner, c);
    }
    if (value instanceof Clob c) {
      return new ClobView(owner, c);
    }
    if (value instanceof Blob b) {
      return new BlobView(owner, b);
    }
    if (value instanceof SQLXML x) {
      return new SQLXMLView(owner, x);
    }
    if (value instanceof Struct s) {
      return new StructView(owner, s);
    }
    if (value instanceof Ref r) {
      return new RefView(owner, r);
    }
    // Any other Wrapper is the driver's: a view of its interfaces. The rest are values
    // (dates, byte[], PGobject, RowId's bytes).
    return value instanceof Wrapper ? Views.of(owner, value) : value;
  }

  /** The same for getObject(index, type): refuses a type that only the driver's object is. */
  static <V> V view(PooledConnection owner, Statement statement, V value, Class<V> type)
      throws SQLException {
    Object safe = view(owner, statement, value);
    if (safe != null && !type.isInstance(safe)) {
      throw Views.refusal(type);
    }
    return type.cast(safe);
  }

  static Array array(PooledConnection owner, Array raw) {
    return raw == null ? null : new ArrayView(owner, raw);
  }

  static Blob blob(PooledConnection owner, Blob raw) {
    return raw == null ? null : new BlobView(owner, raw);
  }

  static Clob clob(PooledConnection owner, Clob raw) {
    return raw == null ? null : new ClobView(owner, raw);
  }

  static NClob nclob(PooledConnection owner, NClob raw) {
    return raw == null ? null : new NClobView(owner, raw);
  }

  static SQLXML sqlxml(PooledConnection owner, SQLXML raw) {
    return raw == null ? null : new SQLXMLView(owner, raw);
  }

  static Struct struct(PooledConnection owner, Struct raw) {
    return raw == null ? null : new StructView(owner, raw);
  }

  static Ref ref(PooledConnection owner, Ref raw) {
    return raw == null ? null : new RefView(owner, raw);
  }

  static ResultSetMetaData metaData(PooledConnection owner, ResultSetMetaData raw) {
    return raw == null ? null : new ResultSetMetaDataView(owner, raw);
  }

  // ---- the views, and what each decides --------------------------------------------------

  static final class DatabaseMetaDataView extends ForwardingDatabaseMetaData {
    DatabaseMetaDataView(PooledConnection owner, DatabaseMetaData raw) {
      super(owner, raw);
    }

    @Override
    public Connection getConnection() throws SQLException {
      target();
      return owner;
    }

    @Override
    ResultSet resultSet(ResultSet rs) {
      return owner.resultSet(rs, null);
    }

    @Override
    public int getDriverMajorVersion() {
      return raw().getDriverMajorVersion(); // a constant: no liveness check (it cannot throw)
    }

    @Override
    public int getDriverMinorVersion() {
      return raw().getDriverMinorVersion();
    }
  }

  static final class ResultSetMetaDataView extends ForwardingResultSetMetaData {
    ResultSetMetaDataView(PooledConnection owner, ResultSetMetaData raw) {
      super(owner, raw);
    }
  }

  static final class ParameterMetaDataView extends ForwardingParameterMetaData {
    ParameterMetaDataView(PooledConnection owner, ParameterMetaData raw) {
      super(owner, raw);
    }
  }

  static final class ArrayView extends ForwardingArray {
    ArrayView(PooledConnection owner, Array raw) {
      super(owner, raw);
    }

    @Override
    ResultSet resultSet(ResultSet rs) {
      return owner.resultSet(rs, null);
    }

    // The elements as a Java array: pgjdbc builds them from the value's text (numbers,
    // strings, dates, PGobject, nested Java arrays), nothing that leads to the connection.

    @Override
    public Object getArray() throws SQLException {
      return target().getArray();
    }

    @Override
    public Object getArray(Map<String, Class<?>> map) throws SQLException {
      return target().getArray(map);
    }

    @Override
    public Object getArray(long index, int count) throws SQLException {
      return target().getArray(index, count);
    }

    @Override
    public Object getArray(long index, int count, Map<String, Class<?>> map) throws SQLException {
      return target().getArray(index, count, map);
    }
  }

  static final class BlobView extends ForwardingBlob {
    BlobView(PooledConnection owner, Blob raw) {
      super(owner, raw);
    }
  }

  static class ClobView extends ForwardingClob {
    ClobView(PooledConnection owner, Clob raw) {
      super(owner, raw);
    }
  }

  static final class NClobView extends ClobView implements NClob {
    NClobView(PooledConnection owner, NClob raw) {
      super(owner, raw);
    }
  }

  static final class SQLXMLView extends ForwardingSQLXML {
    SQLXMLView(PooledConnection owner, SQLXML raw) {
      super(owner, raw);
    }

    // javax.xml sources and results over the value's text, held by the driver's SQLXML
    // object: nothing in them leads to the connection.

    @Override
    public <S extends Source> S getSource(Class<S> type) throws SQLException {
      return target().getSource(type);
    }

    @Override
    public <R extends Result> R setResult(Class<R> type) throws SQLException {
      return target().setResult(type);
    }
  }

  static final class StructView extends ForwardingStruct {
    StructView(PooledConnection owner, Struct raw) {
      super(owner, raw);
    }

    @Override
    public Object[] getAttributes() throws SQLException {
      return views(target().getAttributes());
    }

    @Override
    public Object[] getAttributes(Map<String, Class<?>> map) throws SQLException {
      return views(target().getAttributes(map));
    }

    private Object[] views(Object[] attributes) {
      if (attributes != null) {
        for (int i = 0; i < attributes.length; i++) {
          attributes[i] = view(owner, null, attributes[i]);
        }
      }
      return attributes;
    }
  }

  static final class RefView extends ForwardingRef {
    RefView(PooledConnection owner, Ref raw) {
      super(owner, raw);
    }

    @Override
    public Object getObject() throws SQLException {
      return view(owner, null, target().getObject());
    }

    @Override
    public Object getObject(Map<String, Class<?>> map) throws SQLException {
      return view(owner, null, target().getObject(map));
    }
  }

  static final class SavepointView extends ForwardingSavepoint {
    SavepointView(PooledConnection owner, Savepoint raw) {
      super(owner, raw);
    }
  }
}
