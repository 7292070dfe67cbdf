package io.userbound.core;

import static io.userbound.core.Fixtures.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.pool.HikariProxyConnection;
import com.zaxxer.hikari.pool.HikariProxyResultSet;
import io.userbound.core.Fixtures.Person;
import io.userbound.testkit.Await;
import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import java.io.StringReader;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.lang.reflect.TypeVariable;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.sql.Types;
import java.sql.Wrapper;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;
import org.postgresql.PGResultSetMetaData;
import org.postgresql.PGStatement;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.BaseStatement;
import org.postgresql.jdbc.PgConnection;
import org.postgresql.jdbc.PgDatabaseMetaData;
import org.postgresql.jdbc.PgResultSet;
import org.postgresql.jdbc.PgResultSetMetaData;
import org.postgresql.jdbc.PgStatement;
import org.postgresql.largeobject.LargeObject;
import org.postgresql.largeobject.LargeObjectManager;

/** Every JDBC object leads back to the Userbound connection; nothing outlives its hand-back. */
@ExtendWith(PostgresExtension.class)
class WayBackTest {

  private Userbound ub;
  private Login login;

  private Connection borrow(PostgresServer server, TestNames names) {
    Person alice = person(names);
    ub =
        Fixtures.userbound(
            Fixtures.database("main", server, "postgres").maxConnectionsPerPerson(1).build());
    login = ub.login(alice.role(), alice.password());
    return ub.connection(login, "main");
  }

  @Test
  void everyStatementKind_leadsBackToTheUserboundConnection(PostgresServer server, TestNames names)
      throws Exception {
    try (Connection c = borrow(server, names)) {
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("select 1")) {
        assertThat(st.getConnection()).isSameAs(c);
        assertThat(rs.getStatement()).isSameAs(st);
        assertThat(rs.getStatement().getConnection()).isSameAs(c);
      }
      try (Statement st = c.createStatement()) {
        assertThat(st.execute("select 2")).isTrue();
        try (ResultSet rs = st.getResultSet()) {
          assertThat(rs.getStatement().getConnection()).isSameAs(c);
        }
      }
      try (PreparedStatement ps = c.prepareStatement("select ?::int"); ) {
        ps.setInt(1, 3);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(ps.getConnection()).isSameAs(c);
          assertThat(rs.getStatement()).isSameAs(ps);
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement("select 1 as id", Statement.RETURN_GENERATED_KEYS)) {
        ps.execute();
        try (ResultSet keys = ps.getGeneratedKeys()) {
          assertThat(keys.getStatement().getConnection()).isSameAs(c);
        }
      }
      try (CallableStatement cs = c.prepareCall("{? = call upper(?)}")) {
        cs.registerOutParameter(1, Types.VARCHAR);
        cs.setString(2, "x");
        cs.execute();
        assertThat(cs.getString(1)).isEqualTo("X");
        assertThat(cs.getConnection()).isSameAs(c);
      }
      DatabaseMetaData md = c.getMetaData();
      assertThat(md.getConnection()).isSameAs(c);
      try (ResultSet tables = md.getTables(null, "pg_catalog", "pg_class", null)) {
        assertThat(tables.next()).isTrue();
        Statement owner = tables.getStatement();
        if (owner != null) {
          assertThat(owner.getConnection()).isSameAs(c);
        }
      }
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("select array[1,2,3]")) {
        rs.next();
        Array array = rs.getArray(1);
        try (ResultSet elements = array.getResultSet()) {
          assertThat(elements.next()).isTrue();
          Statement behind = elements.getStatement();
          if (behind != null) {
            assertThat(behind.getConnection()).isSameAs(c);
          }
        }
        Object asObject = rs.getObject(1);
        assertThat(asObject).isInstanceOf(Array.class);
      }
    }
  }

  @Test
  void closingTheStatementsConnection_isTheHandBack(PostgresServer server, TestNames names)
      throws Exception {
    Connection c = borrow(server, names);
    int pid = c.unwrap(PGConnection.class).getBackendPID();
    Statement st = c.createStatement();
    st.execute("SELECT set_config('app.leftover', 'yes', false), pg_advisory_lock(42)");
    st.getConnection().close(); // what Spring's queryForStream does
    assertThat(c.isClosed()).isTrue();
    assertThat(ub.stats("main").activeConnections()).isZero();
    try (Connection again = ub.connection(login, "main");
        Statement s2 = again.createStatement();
        ResultSet rs =
            s2.executeQuery(
                "select coalesce(current_setting('app.leftover', true), ''), (select count(*) from"
                    + " pg_locks where locktype = 'advisory' and pid = pg_backend_pid()),"
                    + " pg_backend_pid()")) {
      rs.next();
      assertThat(rs.getString(1)).as("setting reset").isEmpty();
      assertThat(rs.getInt(2)).as("advisory lock released").isZero();
      assertThat(rs.getInt(3)).as("same physical connection, reset").isEqualTo(pid);
    }
    ub.logout(login);
    Await.until(
        "pool closed after logout, permit back",
        Duration.ofSeconds(10),
        () -> ub.stats("main").pools() == 0 && ub.stats("main").budgetUsed() == 0);
  }

  @Test
  void resultSetAndMetadataPaths_handBackToo(PostgresServer server, TestNames names)
      throws Exception {
    Connection c = borrow(server, names);
    Statement st = c.createStatement();
    ResultSet rs = st.executeQuery("select 1");
    rs.getStatement().getConnection().close();
    assertThat(ub.stats("main").activeConnections()).isZero();
    Connection c2 = ub.connection(login, "main");
    c2.getMetaData().getConnection().close();
    assertThat(c2.isClosed()).isTrue();
    assertThat(ub.stats("main").activeConnections()).isZero();
  }

  @Test
  void unwrapToTheDriverClass_isRefused_andTheInterfaceIsAView(
      PostgresServer server, TestNames names) throws Exception {
    Connection c = borrow(server, names);
    assertThatThrownBy(() -> c.unwrap(PgConnection.class))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("org.postgresql.PGConnection")
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0A000"));
    assertThat(c.isWrapperFor(PgConnection.class)).isFalse();
    PGConnection pg = c.unwrap(PGConnection.class);
    assertThat(pg.getBackendPID()).isPositive();
    assertThat(c.unwrap(PGConnection.class)).isSameAs(pg);
    assertThat(((Connection) pg).createStatement().getConnection())
        .as("Connection methods of the view")
        .isSameAs(c);
    Statement st = c.createStatement();
    PGStatement pgs = st.unwrap(PGStatement.class);
    assertThat(pgs.getPrepareThreshold()).isPositive();
    c.close();
    assertThatThrownBy(pg::getBackendPID)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("handed back");
    assertThatThrownBy(() -> pg.getNotifications()).isInstanceOf(SQLException.class);
    assertThatThrownBy(c::createStatement)
        .isInstanceOf(SQLException.class)
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08003"));
  }

  @Test
  void copyAndLargeObjects_workThroughTheView_untilHandBack(PostgresServer server, TestNames names)
      throws Exception {
    Connection c = borrow(server, names);
    CopyManager copy = c.unwrap(BaseConnection.class).getCopyAPI();
    StringWriter out = new StringWriter();
    long rows = copy.copyOut("COPY (select g from generate_series(1, 3) g) TO STDOUT", out);
    assertThat(rows).isEqualTo(3);
    assertThat(out.toString()).isEqualTo("1\n2\n3\n");
    try (Statement st = c.createStatement()) {
      st.execute("create temp table sink (x int)");
    }
    assertThat(copy.copyIn("COPY sink FROM STDIN", new StringReader("7\n8\n"))).isEqualTo(2);
    c.setAutoCommit(false);
    LargeObjectManager lobs = c.unwrap(PGConnection.class).getLargeObjectAPI();
    long oid = lobs.createLO();
    try (LargeObject lo = lobs.open(oid, LargeObjectManager.READWRITE)) {
      lo.write(new byte[] {1, 2, 3});
    }
    c.rollback();
    c.close();
    assertThatThrownBy(() -> copy.copyOut("COPY (select 1) TO STDOUT", new StringWriter()))
        .isInstanceOf(SQLException.class);
    assertThatThrownBy(lobs::createLO).isInstanceOf(SQLException.class);
    try (Connection again = ub.connection(login, "main");
        Statement st = again.createStatement();
        ResultSet rs = st.executeQuery("select count(*) from pg_tables where tablename = 'sink'")) {
      rs.next();
      assertThat(rs.getInt(1)).as("the temp table made through COPY's connection is gone").isZero();
    }
  }

  @Test
  void abort_endsTheLeaseAndTheConnection(PostgresServer server, TestNames names) throws Exception {
    Connection c = borrow(server, names);
    int pid = c.unwrap(PGConnection.class).getBackendPID();
    c.abort(Runnable::run);
    assertThat(c.isClosed()).isTrue();
    assertThat(ub.stats("main").activeConnections()).isZero();
    Await.until(
        "the aborted backend is gone and its permit back",
        Duration.ofSeconds(10),
        () ->
            server.backends().stream().noneMatch(b -> b.pid() == pid)
                && ub.stats("main").budgetUsed() == 0);
    try (Connection again = ub.connection(login, "main")) {
      assertThat(again.unwrap(PGConnection.class).getBackendPID()).isNotEqualTo(pid);
    }
  }

  // ---- the method walk: no method hands out the driver's object ------------------------
  //
  // Every wrapper extends forwarding generated at build time (ForwardingGenerator), which
  // leaves every method that returns a JDBC object to the hand-written class. These tests
  // hold that from both sides: by reflection over the classes, and by calling every such
  // method (and unwrap) on the objects of a real borrowed connection.

  private static final String INTERNAL = "io.userbound.core.internal.";

  /** The hand-written classes a request's JDBC objects are, by interface. */
  private static final Map<Class<?>, String> VIEWS =
      Map.ofEntries(
          Map.entry(Connection.class, "PooledConnection"),
          Map.entry(Statement.class, "StatementView"),
          Map.entry(PreparedStatement.class, "PreparedStatementView"),
          Map.entry(CallableStatement.class, "CallableStatementView"),
          Map.entry(ResultSet.class, "ResultSetView"),
          Map.entry(DatabaseMetaData.class, "ObjectView$DatabaseMetaDataView"),
          Map.entry(ResultSetMetaData.class, "ObjectView$ResultSetMetaDataView"),
          Map.entry(ParameterMetaData.class, "ObjectView$ParameterMetaDataView"),
          Map.entry(Array.class, "ObjectView$ArrayView"),
          Map.entry(Blob.class, "ObjectView$BlobView"),
          Map.entry(Clob.class, "ObjectView$ClobView"),
          Map.entry(NClob.class, "ObjectView$NClobView"),
          Map.entry(SQLXML.class, "ObjectView$SQLXMLView"),
          Map.entry(Struct.class, "ObjectView$StructView"),
          Map.entry(Ref.class, "ObjectView$RefView"),
          Map.entry(Savepoint.class, "ObjectView$SavepointView"));

  /** The kinds of object the walk must reach (pgjdbc makes no NClob, Struct or Ref). */
  private static final List<Class<?>> KINDS =
      List.of(
          Connection.class,
          Statement.class,
          PreparedStatement.class,
          CallableStatement.class,
          ResultSet.class,
          DatabaseMetaData.class,
          ResultSetMetaData.class,
          ParameterMetaData.class,
          Array.class,
          Blob.class,
          Clob.class,
          SQLXML.class,
          Savepoint.class);

  /** What a caller may try to unwrap to: the driver's and HikariCP's classes and interfaces. */
  private static final List<Class<?>> UNWRAP_TO =
      List.of(
          Connection.class,
          Statement.class,
          ResultSet.class,
          PgConnection.class,
          PGConnection.class,
          BaseConnection.class,
          PGStatement.class,
          BaseStatement.class,
          PgStatement.class,
          PgResultSet.class,
          PGResultSetMetaData.class,
          PgResultSetMetaData.class,
          PgDatabaseMetaData.class,
          HikariProxyConnection.class,
          HikariProxyResultSet.class);

  /** What only a decision may return: a JDBC object, or anything (Object, Object[], T). */
  private static boolean returnsJdbcObject(Method m) {
    Class<?> r = m.getReturnType();
    return !Modifier.isStatic(m.getModifiers())
        && (m.getDeclaringClass() == Wrapper.class
            || r == Object.class
            || r == Object[].class
            || m.getGenericReturnType() instanceof TypeVariable
            || (r.isInterface() && r.getPackageName().equals("java.sql")));
  }

  private static boolean handWritten(Class<?> declaring) {
    return !declaring.getSimpleName().startsWith("Forwarding")
        && !declaring.getSimpleName().startsWith("Delegating");
  }

  @Test
  void everyMethodReturningAJdbcObject_isWrittenByHand_notForwarded() throws Exception {
    int checked = 0;
    for (Map.Entry<Class<?>, String> e : VIEWS.entrySet()) {
      Class<?> view = Class.forName(INTERNAL + e.getValue());
      assertThat(e.getKey()).as(view.getName()).matches(k -> k.isAssignableFrom(view));
      for (Method m : e.getKey().getMethods()) {
        if (!returnsJdbcObject(m)) {
          continue;
        }
        Method by = view.getMethod(m.getName(), m.getParameterTypes());
        if (!handWritten(by.getDeclaringClass()) && m.getReturnType() == ResultSet.class) {
          // DatabaseMetaData's and Array's result sets: generated, through one decision
          by = view.getDeclaredMethod("resultSet", ResultSet.class);
        }
        assertThat(handWritten(by.getDeclaringClass()))
            .as(
                "%s.%s%s is decided by hand, not forwarded by %s",
                e.getValue(),
                m.getName(),
                List.of(m.getParameterTypes()),
                by.getDeclaringClass().getName())
            .isTrue();
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(130);
    Class<?> resultSet = Class.forName(INTERNAL + "ResultSetView");
    assertThat(resultSet.getMethod("getInt", int.class).getDeclaringClass().getSimpleName())
        .as("plain values are forwarded by the generated base")
        .isEqualTo("ForwardingResultSet");
  }

  @Test
  void walkingEveryMethodThatReturnsAJdbcObject_leadsBackToTheUserboundConnection(
      PostgresServer server, TestNames names) throws Exception {
    IdentityHashMap<Object, String> seen = new IdentityHashMap<>();
    Connection c = borrow(server, names);
    c.setAutoCommit(false); // for setSavepoint
    walk(c, Connection.class, c, 0, seen);
    c.rollback();
    c.setAutoCommit(true); // a failed call (a metadata query, say) spoils only itself
    try (Statement st = c.createStatement()) {
      st.execute("select 1 as x");
      walk(st, Statement.class, c, 0, seen);
    }
    try (PreparedStatement ps = c.prepareStatement("select ?::int as x")) {
      ps.setInt(1, 7);
      walk(ps, PreparedStatement.class, c, 0, seen);
    }
    try (CallableStatement cs = c.prepareCall("{? = call upper(?)}")) {
      cs.registerOutParameter(1, Types.VARCHAR);
      cs.setString(2, "x");
      cs.execute();
      walk(cs, CallableStatement.class, c, 1, seen);
    }
    c.setAutoCommit(false); // for large objects and a savepoint
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "select 1 as x, array[1,2] as arr, '<a/>'::xml as doc, 'ab'::text as t,"
                    + " lo_from_bytea(0, 'lob'::bytea) as lob")) {
      rs.next();
      for (int column = 1; column <= 5; column++) {
        walk(rs, ResultSet.class, c, column, seen);
      }
      Array array = rs.getArray(2);
      walk(array, Array.class, c, 1, seen);
      try (ResultSet elements = array.getResultSet()) {
        elements.next();
        walk(elements, ResultSet.class, c, 1, seen);
      }
      walk(rs.getSQLXML(3), SQLXML.class, c, 1, seen);
      walk(rs.getBlob(5), Blob.class, c, 1, seen);
      walk(rs.getClob(5), Clob.class, c, 1, seen);
      walk(rs.getMetaData(), ResultSetMetaData.class, c, 1, seen);
    }
    try (PreparedStatement ps = c.prepareStatement("select ?::int as x")) {
      walk(ps.getParameterMetaData(), ParameterMetaData.class, c, 1, seen);
    }
    walk(c.setSavepoint("walk"), Savepoint.class, c, 1, seen);
    c.rollback();
    c.setAutoCommit(true);
    DatabaseMetaData md = c.getMetaData();
    walk(md, DatabaseMetaData.class, c, 0, seen);
    try (ResultSet tables = md.getTables(null, "pg_catalog", "pg_class", null)) {
      tables.next();
      walk(tables, ResultSet.class, c, 1, seen);
    }

    Set<Class<?>> kinds = new LinkedHashSet<>();
    for (Object o : seen.keySet()) {
      for (Class<?> k : KINDS) {
        if (k.isInstance(o)) {
          kinds.add(k);
        }
      }
    }
    assertThat(kinds).as("the walk reached every kind of object").containsAll(KINDS);

    c.close();
    for (Map.Entry<Object, String> e : seen.entrySet()) {
      Object o = e.getKey();
      if (o instanceof Connection || o instanceof Statement || o instanceof ResultSet) {
        continue; // closed with the connection, covered by the tests above
      }
      assertThatThrownBy(() -> anyCall(o))
          .as("%s after the hand-back", e.getValue())
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("handed back");
    }
  }

  /** A plain call on an object the walk found. */
  private static void anyCall(Object o) throws SQLException {
    if (o instanceof DatabaseMetaData md) {
      md.getURL();
    } else if (o instanceof ResultSetMetaData md) {
      md.getColumnCount();
    } else if (o instanceof ParameterMetaData md) {
      md.getParameterCount();
    } else if (o instanceof Array a) {
      a.getBaseTypeName();
    } else if (o instanceof Blob b) {
      b.length();
    } else if (o instanceof Clob cl) {
      cl.length();
    } else if (o instanceof SQLXML x) {
      x.getString();
    } else if (o instanceof Savepoint sp) {
      sp.getSavepointName();
    } else {
      ((Wrapper) o).isWrapperFor(Connection.class);
      ((Wrapper) o).unwrap(Connection.class); // a pgjdbc view: the connection would be ours
    }
  }

  /**
   * Calls every method of {@code type} that returns a JDBC object where it can be called,
   * and unwrap to each of UNWRAP_TO; checks every result.
   */
  private static void walk(
      Object target, Class<?> type, Connection c, int column, IdentityHashMap<Object, String> seen)
      throws Exception {
    String where = type.getSimpleName();
    leadsBack(target, c, where);
    seen.putIfAbsent(target, where);
    for (Method m : type.getMethods()) {
      if (!returnsJdbcObject(m) || notInPgjdbc(type, m) || m.getName().equals("unwrap")) {
        continue;
      }
      Class<?>[] params = m.getParameterTypes();
      Object[] args = new Object[params.length];
      int ints = 0;
      for (int i = 0; i < params.length; i++) {
        args[i] = sample(type, m, params[i], column, ints);
        ints += params[i] == int.class ? 1 : 0;
      }
      Object result;
      try {
        result = m.invoke(target, args);
      } catch (InvocationTargetException e) {
        if (e.getCause() instanceof SQLException || e.getCause() instanceof RuntimeException) {
          continue; // not callable like this (unsupported, wrong type for the column, ...)
        }
        throw e;
      }
      String what = where + "." + m.getName() + List.of(params);
      leadsBack(result, c, what);
      if (result instanceof Object[] values) {
        for (Object v : values) {
          leadsBack(v, c, what + "[]");
        }
      }
      if (result instanceof Wrapper || (result != null && isJdbc(result.getClass()))) {
        seen.putIfAbsent(result, what);
      }
    }
    if (target instanceof Wrapper w) {
      for (Class<?> to : UNWRAP_TO) {
        Object result;
        try {
          result = w.unwrap(to);
        } catch (SQLException e) {
          continue; // refused, or not a wrapper for it
        }
        leadsBack(result, c, where + ".unwrap(" + to.getSimpleName() + ")");
      }
    }
  }

  /** pgjdbc does not implement these (0A000), and HikariCP closes a connection on a 0A000. */
  private static boolean notInPgjdbc(Class<?> type, Method m) {
    List<Class<?>> params = List.of(m.getParameterTypes());
    return Set.of(
                "createBlob",
                "createClob",
                "createNClob",
                "createStruct",
                "getRef",
                "getRowId",
                "getNClob",
                "getAttributes",
                "getPseudoColumns",
                "getSuperTables",
                "getSuperTypes")
            .contains(m.getName())
        || (type == CallableStatement.class
            && (params.contains(String.class)
                || params.contains(Map.class)
                || m.getName().equals("getBlob")
                || m.getName().equals("getClob")));
  }

  private static Object sample(Class<?> type, Method m, Class<?> param, int column, int ints) {
    boolean columns = type == ResultSet.class || type == CallableStatement.class;
    if (param == int.class) {
      if (type == Connection.class) {
        return new int[] {
              ResultSet.TYPE_FORWARD_ONLY,
              ResultSet.CONCUR_READ_ONLY,
              ResultSet.CLOSE_CURSORS_AT_COMMIT
            }
            [ints];
      }
      return columns ? column : 1;
    }
    if (param == long.class) {
      return 1L;
    }
    if (param == boolean.class) {
      return false;
    }
    if (param == String.class) {
      if (columns) {
        return new String[] {"", "x", "arr", "doc", "t", "lob"}[column];
      }
      if (type == Connection.class) {
        return m.getName().startsWith("create")
            ? "int4"
            : m.getName().equals("setSavepoint") ? "walk" : "select 1 as x";
      }
      return type == DatabaseMetaData.class ? null : "select 1 as x";
    }
    if (param == Class.class) {
      return String.class;
    }
    if (param == Map.class) {
      return Map.of();
    }
    if (param == Object[].class) {
      return new Object[] {1};
    }
    if (param == int[].class) {
      return new int[0]; // pgjdbc returns no keys by column index (0A000)
    }
    if (param == String[].class) {
      return type == DatabaseMetaData.class ? null : new String[] {"x"};
    }
    return null;
  }

  /**
   * A JDBC object is Userbound's, and where it has a way back, the way leads to {@code c}:
   * the connection itself, a statement's connection, a result set's statement's.
   */
  private static void leadsBack(Object result, Connection c, String what) throws SQLException {
    if (result == null) {
      return;
    }
    if (!(result instanceof Wrapper) && !isJdbc(result.getClass())) {
      return; // a value
    }
    assertThat(isUserbounds(result))
        .as("%s handed out the driver's %s", what, result.getClass().getName())
        .isTrue();
    if (result instanceof Connection view && view != c) {
      // a view of the driver's connection (PGConnection): its JDBC methods are c's
      try (Statement s = view.createStatement()) {
        assertThat(s.getConnection()).as(what + ".createStatement().getConnection()").isSameAs(c);
      }
    }
    if (result instanceof Statement s) {
      assertThat(s.getConnection()).as(what + ".getConnection()").isSameAs(c);
    }
    if (result instanceof ResultSet rs) {
      Statement st = rs.getStatement();
      if (st != null) {
        assertThat(isUserbounds(st)).as(what + ".getStatement()").isTrue();
        assertThat(st.getConnection()).as(what + ".getStatement().getConnection()").isSameAs(c);
      }
    }
    if (result instanceof DatabaseMetaData md) {
      assertThat(md.getConnection()).as(what + ".getConnection()").isSameAs(c);
    }
  }

  private static boolean isUserbounds(Object o) {
    Class<?> k = o.getClass();
    return k.getName().startsWith("io.userbound.")
        || (Proxy.isProxyClass(k)
            && Proxy.getInvocationHandler(o).getClass().getName().startsWith("io.userbound."));
  }

  private static boolean isJdbc(Class<?> k) {
    for (Class<?> i : interfaces(k)) {
      if (i.getPackageName().equals("java.sql")) {
        return true;
      }
    }
    return false;
  }

  private static Set<Class<?>> interfaces(Class<?> k) {
    Set<Class<?>> all = new LinkedHashSet<>();
    for (Class<?> c = k; c != null; c = c.getSuperclass()) {
      for (Class<?> i : c.getInterfaces()) {
        if (all.add(i)) {
          all.addAll(interfaces(i));
        }
      }
    }
    return all;
  }
}
