package io.userbound.core.internal;

import io.userbound.core.internal.sql.SqlClassifier;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLNonTransientException;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.ShardingKey;
import java.sql.Statement;
import java.sql.Struct;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * The connection a request gets: HikariCP's proxy of one physical connection, for one
 * borrow. It is the only way back: every statement, result set, metadata object and
 * unwrapped view made from it leads back here, and close() here is the hand-back. The
 * plain calls are forwarded by ForwardingPooledConnection (generated at build time, through
 * connection()); what is written here decides something.
 *
 * Hand-back (close): the session is reset as the database's SessionReset says (see
 * HandBack), HikariCP takes the connection back, and the pool lease ends. If the reset
 * fails or misses its deadline, the physical connection is evicted instead: a session in
 * an unknown state is never reused. close() never throws for a failed hand-back.
 *
 * What the request did is tracked in `flags`, for the TRACKED reset: USED once it made a
 * statement, metadata or a view (then the transaction state and the server's reported
 * parameters are checked at hand-back); SESSION and PREPARED from the SQL classifier
 * and from JDBC setters that change session state on the server (setSchema,
 * setClientInfo); TAINTED for driver-side state no SQL resets (setTypeMap,
 * setHoldability, pgjdbc setters on an unwrapped view): the physical connection is then
 * closed instead of reused; HIKARI_RESET when HikariCP will itself run a round trip at
 * its close (isolation, read-only), so that the deadline covers it too.
 *
 * Before the first use of a borrow, a physical connection that sat idle is checked
 * locally (PhysicalConnection.aliveForUse, no round trip unless the server sent something
 * unasked; one system call, none if HikariCP's alive check of this borrow just answered;
 * after a long idle also for an end of stream); one that died (terminated backend, server
 * restart) is evicted and replaced before the request has done anything on it, so the
 * request never sees it.
 *
 * After close (or after Userbound itself was closed) every method throws a typed
 * SQLException (SQLSTATE 08003). Not thread-safe, like any JDBC connection, except that
 * close() and abort() may come from any thread and take effect once.
 */
final class PooledConnection extends ForwardingPooledConnection {

  private static final Logger log = LoggerFactory.getLogger(PooledConnection.class);
  private static final AtomicIntegerFieldUpdater<PooledConnection> CLOSED =
      AtomicIntegerFieldUpdater.newUpdater(PooledConnection.class, "closed");

  static final int USED = 1;
  static final int SESSION = 2;
  static final int PREPARED = 4;
  static final int TAINTED = 8;
  static final int HIKARI_RESET = 16;

  private final Lender pool;
  private final HandBack handBack;
  private Connection hikari;
  private PhysicalConnection physical;
  private int flags;
  private boolean checked;
  private Object view;
  private volatile int closed;
  private final long lentAt; // for the usage timing; 0 when nobody listens

  PooledConnection(Connection hikari, Lender pool) {
    this.hikari = hikari;
    this.pool = pool;
    this.handBack = pool.handBack();
    this.lentAt = handBack.signals.timed() ? System.nanoTime() : 0;
  }

  // ---- the checks every method goes through (ForwardingPooledConnection, generated at build
  // time, forwards to connection(); it leaves abstract every method that returns a JDBC
  // object, so each of those is decided here) ---------------------------------------------

  @Override
  Connection connection() throws SQLException {
    if (closed != 0 || pool.isShutDown()) {
      throw handedBack();
    }
    if (!checked) {
      firstUse();
    }
    Connection h = hikari;
    if (h == null) {
      throw new SQLNonTransientConnectionException(
          "no connection: replacing a dead one failed; borrow again", "08006");
    }
    return h;
  }

  private SQLException handedBack() {
    return new SQLNonTransientConnectionException(
        pool.isShutDown() && closed == 0
            ? "this connection was closed because Userbound was closed"
            : "this connection was handed back (closed); borrow a new one",
        "08003");
  }

  /** ROLE_SWITCHING: how this borrow's statements carry the role; null otherwise. */
  private InBand inBand() {
    return hikari instanceof GatewayConnection g ? g.inBand : null;
  }

  private static SQLException switchingRefuses(String what, String instead) {
    return new SQLFeatureNotSupportedException(
        "under ROLE_SWITCHING " + what + " is not supported: " + instead, "0A000");
  }

  private static SQLException noKeysUnderSwitching() {
    return switchingRefuses(
        "returning generated keys", "write INSERT ... RETURNING and use executeQuery");
  }

  /** Whether the driver's interfaces are refused (ROLE_SWITCHING), see Views. */
  boolean refusesDriverViews() {
    return handBack.refusesRoleChanges;
  }

  /** Whether views made from this borrow still work. */
  boolean isLive() {
    return closed == 0 && !pool.isShutDown();
  }

  private void firstUse() throws SQLException {
    checked = true;
    long now = System.nanoTime();
    pool.touch();
    PhysicalConnection p = physical();
    for (int attempt = 0; !p.aliveForUse(now); attempt++) {
      // It died while idle (terminated, server restarted): nothing has run on it yet, so
      // take another from the pool; the request never sees this one.
      log.debug("{}: an idle connection was found dead before use; replacing it", pool);
      Connection dead = hikari;
      hikari = null;
      physical = null;
      pool.evict(dead);
      if (attempt > pool.maxConnections()) {
        throw new SQLNonTransientConnectionException("no live connection for " + pool, "08006");
      }
      hikari = pool.another();
      p = physical();
    }
    p.lastUsed = now;
    p.borrowed();
  }

  private PhysicalConnection physical() throws SQLException {
    PhysicalConnection p = physical;
    if (p == null) {
      p = hikari.unwrap(PhysicalConnection.class);
      physical = p;
    }
    return p;
  }

  /**
   * Statement text on its way to the driver: for the TRACKED reset, and under ROLE_SWITCHING
   * to refuse what could change the role the connection runs as (SqlClassifier's ROLE, which
   * comes with every text the classifier cannot read as the server will).
   */
  void sawSql(String sql) throws SQLException {
    if (!handBack.classifies) {
      flags |= USED;
      return;
    }
    int kind = SqlClassifier.classify(sql);
    if ((kind & SqlClassifier.ROLE) != 0 && handBack.refusesRoleChanges) {
      throw roleChangeRefused();
    }
    flags |= handBack.tracksSql ? USED | (kind & SqlClassifier.SESSION_OR_PREPARED) << 1 : USED;
  }

  private static SQLException roleChangeRefused() {
    return new SQLNonTransientException(
        "refused: under ROLE_SWITCHING a request may not run SQL that could change the role it"
            + " runs as or that Userbound cannot read as the server will (SET/RESET ROLE, SET"
            + " SESSION AUTHORIZATION, RESET ALL, DISCARD ALL, set_config of role,"
            + " standard_conforming_strings, transaction control in SQL text, CREATE/ALTER"
            + " FUNCTION, DO, LOAD, PREPARE, DEALLOCATE, functions that run SQL text such as"
            + " dblink, unterminated literals or comments); use the JDBC API for transactions;"
            + " the statement was not sent",
        "42501");
  }

  /** An unwrapped view was handed out: what runs through it is not seen, so reset. */
  void viewed() {
    flags |= USED | SESSION;
  }

  /** Driver-side state changed that no reset takes back. */
  void taint() {
    flags |= TAINTED;
  }

  ResultSet resultSet(ResultSet rs, Statement statement) {
    return rs == null ? null : new ResultSetView(this, statement, rs);
  }

  // ---- hand-back ----------------------------------------------------------------------

  @Override
  public void close() {
    if (!CLOSED.compareAndSet(this, 0, 1)) {
      return;
    }
    Connection h = hikari;
    try {
      if (h == null) {
        return; // a replacement could not be had; nothing is held
      }
      if (pool.isShutDown() || !handBack.run(h, physical, flags)) {
        pool.evict(h);
        return;
      }
      h.close();
    } catch (SQLException | RuntimeException e) {
      log.debug(
          "{}: hand-back failed, the connection is closed instead of reused: {}",
          pool,
          e.toString());
      pool.evict(h);
    } finally {
      pool.endLease();
      if (lentAt != 0) {
        handBack.signals.used(handBack.database, System.nanoTime() - lentAt);
      }
    }
  }

  @Override
  public void abort(Executor executor) throws SQLException {
    if (executor == null) {
      throw new SQLException("abort(executor): the executor is null", "22023");
    }
    if (!CLOSED.compareAndSet(this, 0, 1)) {
      return;
    }
    Connection h = hikari;
    try {
      if (h != null) {
        h.unwrap(PhysicalConnection.class).abort(executor);
        pool.evict(h);
      }
    } finally {
      pool.endLease();
    }
  }

  @Override
  public boolean isClosed() throws SQLException {
    return closed != 0 || pool.isShutDown() || hikari == null || hikari.isClosed();
  }

  @Override
  public boolean isValid(int timeout) throws SQLException {
    if (timeout < 0) {
      throw new SQLException("isValid(timeout): the timeout is negative: " + timeout, "22023");
    }
    if (!isLive()) {
      return false;
    }
    connection();
    return physical().isValidRemote(timeout);
  }

  // ---- statements and other objects: views that lead back here -------------------------

  @Override
  public Statement createStatement() throws SQLException {
    Connection h = connection();
    flags |= USED;
    return new StatementView(this, h.createStatement(), inBand());
  }

  @Override
  public Statement createStatement(int a, int b) throws SQLException {
    Connection h = connection();
    flags |= USED;
    return new StatementView(this, h.createStatement(a, b), inBand());
  }

  @Override
  public Statement createStatement(int a, int b, int c) throws SQLException {
    Connection h = connection();
    flags |= USED;
    return new StatementView(this, h.createStatement(a, b, c), inBand());
  }

  @Override
  public PreparedStatement prepareStatement(String a) throws SQLException {
    Connection h = connection();
    sawSql(a);
    InBand ib = inBand();
    if (ib != null) {
      return new PreparedStatementView(this, ib, a, h::prepareStatement);
    }
    return new PreparedStatementView(this, h.prepareStatement(a));
  }

  @Override
  public PreparedStatement prepareStatement(String a, int b) throws SQLException {
    Connection h = connection();
    sawSql(a);
    InBand ib = inBand();
    if (ib != null) {
      if (b != Statement.NO_GENERATED_KEYS) {
        throw noKeysUnderSwitching();
      }
      return new PreparedStatementView(this, ib, a, h::prepareStatement);
    }
    return new PreparedStatementView(this, h.prepareStatement(a, b));
  }

  @Override
  public PreparedStatement prepareStatement(String a, int[] b) throws SQLException {
    Connection h = connection();
    sawSql(a);
    if (inBand() != null) {
      throw noKeysUnderSwitching();
    }
    return new PreparedStatementView(this, h.prepareStatement(a, b));
  }

  @Override
  public PreparedStatement prepareStatement(String a, String[] b) throws SQLException {
    Connection h = connection();
    sawSql(a);
    if (inBand() != null) {
      throw noKeysUnderSwitching();
    }
    return new PreparedStatementView(this, h.prepareStatement(a, b));
  }

  @Override
  public PreparedStatement prepareStatement(String a, int b, int c) throws SQLException {
    Connection h = connection();
    sawSql(a);
    InBand ib = inBand();
    if (ib != null) {
      return new PreparedStatementView(this, ib, a, text -> h.prepareStatement(text, b, c));
    }
    return new PreparedStatementView(this, h.prepareStatement(a, b, c));
  }

  @Override
  public PreparedStatement prepareStatement(String a, int b, int c, int d) throws SQLException {
    Connection h = connection();
    sawSql(a);
    InBand ib = inBand();
    if (ib != null) {
      return new PreparedStatementView(this, ib, a, text -> h.prepareStatement(text, b, c, d));
    }
    return new PreparedStatementView(this, h.prepareStatement(a, b, c, d));
  }

  @Override
  public CallableStatement prepareCall(String a) throws SQLException {
    Connection h = connection();
    sawSql(a);
    if (inBand() != null) {
      throw switchingRefuses(
          "CallableStatement", "call a function with a PreparedStatement (select * from f(?))");
    }
    return new CallableStatementView(this, h.prepareCall(a));
  }

  @Override
  public CallableStatement prepareCall(String a, int b, int c) throws SQLException {
    Connection h = connection();
    sawSql(a);
    if (inBand() != null) {
      throw switchingRefuses(
          "CallableStatement", "call a function with a PreparedStatement (select * from f(?))");
    }
    return new CallableStatementView(this, h.prepareCall(a, b, c));
  }

  @Override
  public CallableStatement prepareCall(String a, int b, int c, int d) throws SQLException {
    Connection h = connection();
    sawSql(a);
    if (inBand() != null) {
      throw switchingRefuses(
          "CallableStatement", "call a function with a PreparedStatement (select * from f(?))");
    }
    return new CallableStatementView(this, h.prepareCall(a, b, c, d));
  }

  @Override
  public DatabaseMetaData getMetaData() throws SQLException {
    Connection h = connection();
    flags |= USED;
    return new ObjectView.DatabaseMetaDataView(this, h.getMetaData());
  }

  @Override
  public Array createArrayOf(String a, Object[] b) throws SQLException {
    Connection h = connection();
    flags |= USED;
    return ObjectView.array(this, h.createArrayOf(a, b));
  }

  @Override
  public Blob createBlob() throws SQLException {
    Connection h = connection();
    flags |= USED;
    return ObjectView.blob(this, h.createBlob());
  }

  @Override
  public Clob createClob() throws SQLException {
    Connection h = connection();
    flags |= USED;
    return ObjectView.clob(this, h.createClob());
  }

  @Override
  public NClob createNClob() throws SQLException {
    Connection h = connection();
    flags |= USED;
    return ObjectView.nclob(this, h.createNClob());
  }

  @Override
  public SQLXML createSQLXML() throws SQLException {
    Connection h = connection();
    flags |= USED;
    return ObjectView.sqlxml(this, h.createSQLXML());
  }

  @Override
  public Struct createStruct(String a, Object[] b) throws SQLException {
    Connection h = connection();
    flags |= USED;
    return ObjectView.struct(this, h.createStruct(a, b));
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    Connection h = connection();
    if (type.isInterface() && h.isWrapperFor(type)) {
      if (handBack.refusesRoleChanges) {
        throw Views.switchingRefusal(type);
      }
      if (view == null) {
        view = Views.of(this, h.unwrap(PhysicalConnection.class).delegate);
      }
      viewed();
      if (type.isInstance(view)) {
        return type.cast(view);
      }
      return type.cast(Views.of(this, h.unwrap(type)));
    }
    throw Views.refusal(type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) throws SQLException {
    return type.isInstance(this) || (type.isInterface() && connection().isWrapperFor(type));
  }

  // ---- setters that change session state ----------------------------------------------

  @Override
  public void setSchema(String a) throws SQLException {
    connection().setSchema(a);
    flags |= USED | SESSION; // SET search_path on the server; HikariCP does not reset it
  }

  @Override
  public void setClientInfo(String a, String b) throws SQLClientInfoException {
    try {
      connection().setClientInfo(a, b);
    } catch (SQLClientInfoException e) {
      throw e;
    } catch (SQLException e) {
      throw new SQLClientInfoException(e.getMessage(), e.getSQLState(), Map.of(), e);
    }
    flags |= USED | SESSION; // pgjdbc sends SET application_name
  }

  @Override
  public void setClientInfo(Properties a) throws SQLClientInfoException {
    try {
      connection().setClientInfo(a);
    } catch (SQLClientInfoException e) {
      throw e;
    } catch (SQLException e) {
      throw new SQLClientInfoException(e.getMessage(), e.getSQLState(), Map.of(), e);
    }
    flags |= USED | SESSION;
  }

  @Override
  public void setTransactionIsolation(int a) throws SQLException {
    connection().setTransactionIsolation(a);
    flags |= USED | HIKARI_RESET;
  }

  @Override
  public void setReadOnly(boolean a) throws SQLException {
    connection().setReadOnly(a);
    flags |= USED | HIKARI_RESET;
  }

  @Override
  public void setTypeMap(Map<String, Class<?>> a) throws SQLException {
    connection().setTypeMap(a);
    flags |= TAINTED;
  }

  @Override
  public void setHoldability(int a) throws SQLException {
    connection().setHoldability(a);
    flags |= TAINTED;
  }

  @Override
  public void setShardingKey(ShardingKey a) throws SQLException {
    connection().setShardingKey(a);
    flags |= TAINTED;
  }

  @Override
  public void setShardingKey(ShardingKey a, ShardingKey b) throws SQLException {
    connection().setShardingKey(a, b);
    flags |= TAINTED;
  }

  @Override
  public boolean setShardingKeyIfValid(ShardingKey a, int b) throws SQLException {
    flags |= TAINTED;
    return connection().setShardingKeyIfValid(a, b);
  }

  @Override
  public boolean setShardingKeyIfValid(ShardingKey a, ShardingKey b, int c) throws SQLException {
    flags |= TAINTED;
    return connection().setShardingKeyIfValid(a, b, c);
  }

  // ---- transactions: ROLE_SWITCHING's InBand follows them --------------------------------

  @Override
  public void setAutoCommit(boolean a) throws SQLException {
    Connection h = connection();
    boolean committing = a && !h.getAutoCommit();
    h.setAutoCommit(a);
    InBand ib = inBand();
    if (committing && ib != null) {
      ib.committed();
    }
  }

  @Override
  public void commit() throws SQLException {
    connection().commit();
    InBand ib = inBand();
    if (ib != null) {
      ib.committed();
    }
  }

  @Override
  public void rollback() throws SQLException {
    Connection h = connection();
    InBand ib = inBand();
    if (ib != null) {
      ib.rolledBack();
    }
    h.rollback();
  }

  @Override
  public Savepoint setSavepoint() throws SQLException {
    return new ObjectView.SavepointView(this, connection().setSavepoint());
  }

  @Override
  public Savepoint setSavepoint(String a) throws SQLException {
    return new ObjectView.SavepointView(this, connection().setSavepoint(a));
  }

  @Override
  public String toString() {
    return "PooledConnection[" + pool + (closed != 0 ? ", handed back" : "") + "]";
  }
}
