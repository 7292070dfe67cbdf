package io.userbound.core.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLXML;
import java.sql.Struct;
import java.sql.Wrapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;
import org.postgresql.fastpath.Fastpath;
import org.postgresql.largeobject.LargeObjectManager;

/*
 * Every JDBC object a request can reach must lead back to its Userbound connection and
 * must stop working when that connection is handed back. The everyday objects
 * (statements, result sets) have hand-written wrappers on the hot path. Everything else
 * — DatabaseMetaData, Array, Blob, Clob, SQLXML, Struct, Ref, and whatever a caller
 * unwraps to (PGConnection, PGStatement, ...) — is reached through a "view": a dynamic
 * proxy over the driver's object that
 *   - checks on every call that the connection has not been handed back (afterwards each
 *     call throws SQLException, or IllegalStateException where the method declares none);
 *   - hands out views again for every object it returns that has an interface, and
 *     Userbound's own connection wherever the driver would return its raw connection, so
 *     a chain of calls can never reach an object that outlives the hand-back;
 *   - on a connection view, sends java.sql.Connection methods to Userbound's connection
 *     (so statements made there are tracked like any other), and builds pgjdbc's
 *     CopyManager, LargeObjectManager and Fastpath over the view, not over the driver;
 *   - takes arguments that are views back to the driver's objects before passing them on.
 * A class (PgConnection, HikariCP's proxies) cannot be proxied, so unwrapping to one is
 * refused with a typed SQLException that names the interface to ask for instead.
 *
 * Views are off the hot path: they exist only where a caller asks for them.
 */
final class Views {

  private static final Set<Class<?>> VIEWED_RESULTS =
      Set.of(
          Array.class,
          Blob.class,
          Clob.class,
          Ref.class,
          RowId.class,
          SQLXML.class,
          Struct.class,
          ResultSet.class);
  private static final ConcurrentHashMap<Class<?>, Class<?>[]> INTERFACES =
      new ConcurrentHashMap<>();
  private static final Set<String> CONNECTION_METHODS = signatures(Connection.class);

  private Views() {}

  /** A view of a driver object that belongs to this connection's current borrow. */
  @SuppressWarnings("unchecked")
  static <T> T of(PooledConnection owner, T target) {
    if (target == null
        || (target instanceof Proxy && Proxy.getInvocationHandler(target) instanceof Handler)) {
      return target;
    }
    Class<?>[] interfaces = INTERFACES.computeIfAbsent(target.getClass(), Views::publicInterfaces);
    if (interfaces.length == 0) {
      return target; // a plain value object (no interface, so nothing to reach through it)
    }
    return (T)
        Proxy.newProxyInstance(
            Views.class.getClassLoader(), interfaces, new Handler(owner, target));
  }

  /**
   * What a getObject returns, made safe: result sets, arrays, LOBs and the like become
   * views; values pass through.
   */
  static Object result(PooledConnection owner, Object value) {
    if (value == null || !(value instanceof Wrapper || isViewed(value))) {
      return value;
    }
    if (value instanceof Connection) {
      return owner;
    }
    return of(owner, value);
  }

  /** The same for getObject(index, type): refuses a type that only the driver's object is. */
  static <T> T result(PooledConnection owner, T value, Class<T> type) throws SQLException {
    Object safe = result(owner, value);
    if (safe != null && !type.isInstance(safe)) {
      throw refusal(type);
    }
    return type.cast(safe);
  }

  /**
   * An argument for the driver: a view is replaced by the object it stands for (which
   * implements every interface the view does).
   */
  @SuppressWarnings("unchecked")
  static <T> T raw(T value) {
    if (value instanceof Proxy && Proxy.getInvocationHandler(value) instanceof Handler h) {
      return (T) h.target;
    }
    return value;
  }

  /** Wrapper.unwrap for Userbound's own wrappers: itself, a view of an interface, or a refusal. */
  static <T> T unwrap(Object self, Wrapper delegate, Class<T> type, PooledConnection owner)
      throws SQLException {
    if (type.isInstance(self)) {
      return type.cast(self);
    }
    if (type.isInterface() && delegate.isWrapperFor(type)) {
      if (owner.refusesDriverViews()) {
        throw switchingRefusal(type);
      }
      owner.viewed();
      return type.cast(of(owner, delegate.unwrap(type)));
    }
    throw refusal(type);
  }

  static boolean isWrapperFor(Object self, Wrapper delegate, Class<?> type) throws SQLException {
    return type.isInstance(self) || (type.isInterface() && delegate.isWrapperFor(type));
  }

  /*
   * Under ROLE_SWITCHING the driver's own interfaces are not handed out at all: several
   * (BaseConnection, BaseStatement, CopyManager) run SQL text that Userbound's wrappers never
   * see, so a change of role could not be refused.
   */
  static SQLException switchingRefusal(Class<?> type) {
    return new SQLFeatureNotSupportedException(
        "Userbound does not hand out "
            + type.getName()
            + " under ROLE_SWITCHING: the driver's interfaces can run SQL that Userbound does not"
            + " see, so a change of role could not be refused. Use DEDICATED_POOLS for COPY,"
            + " LISTEN, large objects and other pgjdbc extensions",
        "0A000");
  }

  static SQLException refusal(Class<?> type) {
    return new SQLException(
        "Userbound does not hand out "
            + type.getName()
            + ": a driver object would outlive the connection's hand-back. Unwrap to an interface"
            + " instead (org.postgresql.PGConnection for COPY, LISTEN/NOTIFY and large objects,"
            + " org.postgresql.core.BaseConnection for libraries that need it): you get a view that"
            + " works until the connection is closed",
        "0A000");
  }

  private static boolean isViewed(Object value) {
    for (Class<?> c : VIEWED_RESULTS) {
      if (c.isInstance(value)) {
        return true;
      }
    }
    return false;
  }

  private static Set<String> signatures(Class<?> type) {
    Set<String> all = new HashSet<>();
    for (Method m : type.getMethods()) {
      all.add(signature(m));
    }
    return all;
  }

  private static String signature(Method m) {
    return m.getName() + Arrays.toString(m.getParameterTypes());
  }

  private static Class<?>[] publicInterfaces(Class<?> type) {
    Set<Class<?>> all = new LinkedHashSet<>();
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      collect(c, all);
    }
    List<Class<?>> visible = new ArrayList<>();
    for (Class<?> i : all) {
      if (Modifier.isPublic(i.getModifiers())) {
        visible.add(i);
      }
    }
    return visible.toArray(new Class<?>[0]);
  }

  private static void collect(Class<?> c, Set<Class<?>> into) {
    for (Class<?> i : c.getInterfaces()) {
      if (into.add(i)) {
        collect(i, into);
      }
    }
  }

  private static final class Handler implements InvocationHandler {

    final PooledConnection owner;
    final Object target;
    private final boolean connection;

    Handler(PooledConnection owner, Object target) {
      this.owner = owner;
      this.target = target;
      this.connection = target instanceof Connection;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      if (method.getDeclaringClass() == Object.class) {
        return switch (name) {
          case "equals" -> proxy == args[0];
          case "hashCode" -> System.identityHashCode(proxy);
          default -> "Userbound view of " + target.getClass().getSimpleName() + " (" + owner + ")";
        };
      }
      if (method.getDeclaringClass() == Wrapper.class) {
        Class<?> type = (Class<?>) args[0];
        return name.equals("unwrap")
            ? unwrap(proxy, type)
            : isWrapperFor(proxy, (Wrapper) target, type);
      }
      if (connection && CONNECTION_METHODS.contains(signature(method))) {
        return call(
            owner, method, args); // createStatement, commit, close, ...: Userbound's connection
      }
      if (!owner.isLive()) {
        throw handedBack(method);
      }
      if (connection && (name.startsWith("set") || name.startsWith("add"))) {
        // pgjdbc-side state (prepare threshold, autosave, type mappings, ...) that no
        // reset can take back: the physical connection is closed at hand-back.
        owner.taint();
      }
      if (connection && method.getParameterCount() == 0) {
        switch (name) {
          case "getCopyAPI" -> {
            return new CopyManager((BaseConnection) proxy);
          }
          case "getLargeObjectAPI" -> {
            return new LargeObjectManager((BaseConnection) proxy);
          }
          case "getFastpathAPI" -> {
            return new Fastpath((BaseConnection) proxy);
          }
          default -> {}
        }
      }
      Object result = call(target, method, args);
      if (result == null || result == target) {
        return result == null ? null : proxy;
      }
      if (result instanceof Connection) {
        return owner;
      }
      if (method.getReturnType().isPrimitive()
          || result instanceof String
          || result instanceof Number
          || result instanceof Boolean
          || result instanceof Enum
          || result.getClass().isArray()) {
        return result;
      }
      return of(owner, result);
    }

    private Object unwrap(Object proxy, Class<?> type) throws SQLException {
      if (type.isInstance(proxy)) {
        return proxy;
      }
      if (!owner.isLive()) {
        throw new SQLException("the connection was handed back", "08003");
      }
      if (type.isInterface() && ((Wrapper) target).isWrapperFor(type)) {
        return of(owner, ((Wrapper) target).unwrap(type));
      }
      throw refusal(type);
    }

    private static Object call(Object on, Method method, Object[] args) throws Throwable {
      if (args != null) {
        for (int i = 0; i < args.length; i++) {
          args[i] = raw(args[i]);
        }
      }
      try {
        return method.invoke(on, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }

    private static Exception handedBack(Method method) {
      String message =
          "this "
              + method.getDeclaringClass().getSimpleName()
              + " belongs to a Userbound connection that was handed back (closed); borrow a new"
              + " connection";
      for (Class<?> e : method.getExceptionTypes()) {
        if (e.isAssignableFrom(SQLException.class)) {
          return new SQLException(message, "08003");
        }
      }
      return new IllegalStateException(message);
    }
  }
}
