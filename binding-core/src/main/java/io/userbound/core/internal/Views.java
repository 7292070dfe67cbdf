package io.userbound.core.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
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
 * must stop working when that connection is handed back. Every java.sql object has a
 * wrapper class for that: hand-written decisions over forwarding generated at build time
 * (ForwardingGenerator; PooledConnection, StatementView and its subclasses, ResultSetView,
 * ObjectView for metadata, arrays, LOBs, SQLXML, Struct, Ref and Savepoint).
 *
 * What is left here is the driver's own interfaces, which a caller reaches only by
 * unwrap(): PGConnection, BaseConnection, PGStatement, PGResultSetMetaData, ... and what
 * their methods return. Each is a "view": a dynamic proxy over the driver's object that
 *   - checks on every call that the connection has not been handed back (afterwards each
 *     call throws SQLException, or IllegalStateException where the method declares none);
 *   - hands out Userbound's wrappers for every java.sql object it returns (ObjectView.view),
 *     Userbound's own connection wherever the driver would return its raw connection, and
 *     views again for any other object with an interface, so a chain of calls can never
 *     reach an object that outlives the hand-back;
 *   - on a connection view, sends java.sql.Connection methods to Userbound's connection
 *     (so statements made there are tracked like any other), and builds pgjdbc's
 *     CopyManager, LargeObjectManager and Fastpath over the view, not over the driver;
 *   - takes arguments that are views back to the driver's objects before passing them on.
 * A class (PgConnection, HikariCP's proxies) cannot be proxied, so unwrapping to one is
 * refused with a typed SQLException that names the interface to ask for instead. Under
 * ROLE_SWITCHING no view is handed out at all (switchingRefusal).
 *
 * WHY A PROXY HERE AND GENERATED FORWARDING EVERYWHERE ELSE. Which interfaces a view must
 * implement is known only at run time: it is whatever the driver's object implements, and
 * pgjdbc's interfaces (BaseConnection alone has some 60 methods) are its internal API, which
 * changes between pgjdbc versions. Generating forwarding for them would tie the build to one
 * pgjdbc's internals and still miss an interface added by the next. The one rule (check,
 * call, wrap what comes back) holds for any of them, and views are off the hot path: they
 * exist only where a caller unwraps.
 */
final class Views {

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
   * An argument for the driver: a view or an ObjectView is replaced by the object it stands
   * for (which implements every interface the view does).
   */
  @SuppressWarnings("unchecked")
  static <T> T raw(T value) {
    if (value instanceof ObjectView<?> v) {
      return (T) v.raw();
    }
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
      Object jdbc = ObjectView.view(owner, null, result);
      return jdbc != result ? jdbc : of(owner, result);
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
