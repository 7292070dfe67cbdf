import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.nio.file.Files;
import java.nio.file.Path;
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
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.sql.Wrapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/*
 * Writes binding-core's forwarding base classes from the java.sql interfaces; run by Maven in
 * generate-sources (`java ForwardingGenerator.java <output directory>`, no class path). The
 * hand-written wrappers extend these and keep only the methods that decide something.
 *
 * THE SAFETY RULE. In a base for what a request holds (a "view" base), a method is not
 * forwarded, and stays abstract so the hand-written view must write it, when it returns
 *   - an object of a java.sql interface (Connection, Statement, ResultSet, DatabaseMetaData,
 *     ResultSetMetaData, ParameterMetaData, Array, Blob, Clob, NClob, Ref, RowId, SQLXML,
 *     Struct, Savepoint, ...): the view leads it back to Userbound's connection, wraps it, or
 *     says why the driver's object is safe;
 *   - Object, Object[] or a type variable (getObject, getAttributes, unwrap): it can be or
 *     hold any of those;
 *   - or it is Wrapper's (unwrap, isWrapperFor), or declares no SQLException (the accessor
 *     may throw one).
 * The compiler then proves that no method of a view hands out a raw driver object: a new
 * JDBC method of that kind leaves the view abstract until someone decides it. WayBackTest
 * checks the same by reflection, and by walking every such method on a real connection.
 *
 * One exception, written out where it applies: a base for an object whose many methods
 * return result sets made by the driver (DatabaseMetaData's 26, Array's 4) sends each of
 * them through one hand-written decision, resultSet(ResultSet), instead of leaving 26
 * abstract methods that would all say the same.
 *
 * Every JDBC object a request can hold has a view base here: the connection, statements and
 * result sets (the hot path), and the objects reached from them (DatabaseMetaData, the
 * metadata objects, Array, the LOBs, SQLXML, Struct, Ref, Savepoint), whose bases extend the
 * hand-written ObjectView (the liveness check every call goes through, and Wrapper's
 * methods).
 *
 * What the forwards do besides forwarding, in a view base:
 *   - an argument that may be one of Userbound's views (Object, Array, Blob, Clob, NClob,
 *     Ref, RowId, SQLXML, Struct) goes to the driver as the object it stands for
 *     (Views.raw);
 *   - a PreparedStatement parameter setter (set*(int index, ...)) goes to bind() instead
 *     when bindsLater(): under ROLE_SWITCHING, PreparedStatementView binds parameters at
 *     execute time, one place to the right of the role.
 * The plain base (DelegatingConnection, under HikariCP) forwards everything but Wrapper's.
 */
public final class ForwardingGenerator {

  private static final String PACKAGE = "io.userbound.core.internal";

  private static final Set<Class<?>> MAY_BE_VIEWS =
      Set.of(
          Object.class,
          Array.class,
          Blob.class,
          Clob.class,
          NClob.class,
          Ref.class,
          RowId.class,
          SQLXML.class,
          Struct.class,
          Savepoint.class);

  /**
   * One generated class: the interface it forwards, the interface whose methods its
   * superclass already has (or null), its extends clause, its members besides the forwards,
   * the expression calls go to, whether it is a view base (see the class comment), and
   * whether its result sets go through resultSet(ResultSet).
   */
  record Base(
      String name,
      Class<?> type,
      Class<?> inherited,
      String extendsClause,
      String members,
      String target,
      boolean view,
      boolean wrapsResultSets) {}

  /** A view base over ObjectView, for an object reached from the connection or a statement. */
  static Base held(Class<?> type, boolean wrapsResultSets) {
    String name = "Forwarding" + type.getSimpleName();
    String members =
        "  %s(PooledConnection owner, %s raw) {\n    super(owner, raw);\n  }\n"
            .formatted(name, type.getSimpleName());
    if (wrapsResultSets) {
      members +=
          """

            /** A result set the driver made for this object, as the request may hold it. */
            abstract ResultSet resultSet(ResultSet raw) throws SQLException;
          """;
    }
    return new Base(
        name,
        type,
        null,
        "extends ObjectView<" + type.getSimpleName() + "> ",
        members,
        "target()",
        true,
        wrapsResultSets);
  }

  static final List<Base> BASES =
      List.of(
          new Base(
              "ForwardingResultSet",
              ResultSet.class,
              null,
              "",
              """
                /** The driver's result set. */
                abstract ResultSet resultSet();
              """,
              "resultSet()",
              true,
              false),
          new Base(
              "ForwardingStatement",
              Statement.class,
              null,
              "",
              """
                /** The driver's statement, as it is now. */
                abstract Statement statement();
              """,
              "statement()",
              true,
              false),
          new Base(
              "ForwardingPreparedStatement",
              PreparedStatement.class,
              Statement.class,
              "extends StatementView ",
              """
                /** A parameter as set by the request, to be bound at an index. */
                interface Binder {
                  void bind(PreparedStatement target, int index) throws SQLException;
                }

                ForwardingPreparedStatement(PooledConnection owner, Statement s, InBand inBand) {
                  super(owner, s, inBand);
                }

                /** The driver's prepared statement, as it is now. */
                abstract PreparedStatement prepared();

                /** Whether parameters are kept, to be bound later, instead of set now. */
                abstract boolean bindsLater();

                /** Keeps a parameter, to be bound later. */
                abstract void bind(int index, Binder binder) throws SQLException;
              """,
              "prepared()",
              true,
              false),
          new Base(
              "ForwardingCallableStatement",
              CallableStatement.class,
              PreparedStatement.class,
              "extends PreparedStatementView ",
              """
                ForwardingCallableStatement(PooledConnection owner, PreparedStatement ps) {
                  super(owner, ps);
                }

                /** The driver's callable statement. */
                abstract CallableStatement callable();
              """,
              "callable()",
              true,
              false),
          new Base(
              "ForwardingPooledConnection",
              Connection.class,
              null,
              "",
              """
                /** The borrowed connection, checked: it throws once the borrow is handed back. */
                abstract Connection connection() throws SQLException;
              """,
              "connection()",
              true,
              false),
          new Base(
              "DelegatingConnection",
              Connection.class,
              null,
              "",
              """
                final Connection delegate;

                DelegatingConnection(Connection delegate) {
                  this.delegate = delegate;
                }
              """,
              "delegate",
              false,
              false),
          held(DatabaseMetaData.class, true),
          held(ResultSetMetaData.class, false),
          held(ParameterMetaData.class, false),
          held(Array.class, true),
          held(Blob.class, false),
          held(Clob.class, false), // NClob adds no method: NClobView extends ForwardingClob
          held(SQLXML.class, false),
          held(Struct.class, false),
          held(Ref.class, false),
          held(Savepoint.class, false));

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0], PACKAGE.split("\\."));
    Files.createDirectories(dir);
    for (Base base : BASES) {
      Files.writeString(dir.resolve(base.name() + ".java"), source(base));
    }
  }

  /** Whether a view must write this method itself (see the class comment). */
  static boolean decides(Method m) {
    Class<?> r = m.getReturnType();
    return m.getDeclaringClass() == Wrapper.class
        || r == Object.class
        || r == Object[].class
        || m.getGenericReturnType() instanceof TypeVariable
        || (r.isInterface() && r.getPackageName().equals("java.sql"))
        || !Arrays.asList(m.getExceptionTypes()).contains(SQLException.class);
  }

  static String source(Base base) {
    Set<String> imports = new TreeSet<>();
    imports.add(base.type().getName());
    if (base.wrapsResultSets()) {
      imports.add(ResultSet.class.getName());
    }
    if (base.inherited() != null) {
      imports.add(base.inherited().getName()); // the constructor's
    }
    List<Method> methods = new ArrayList<>();
    Set<String> inherited =
        base.inherited() == null
            ? Set.of()
            : Arrays.stream(base.inherited().getMethods())
                .map(ForwardingGenerator::signature)
                .collect(Collectors.toSet());
    for (Method m : base.type().getMethods()) {
      if (!Modifier.isStatic(m.getModifiers()) && !inherited.contains(signature(m))) {
        methods.add(m);
      }
    }
    methods.sort(Comparator.comparing(ForwardingGenerator::signature));

    StringBuilder body = new StringBuilder();
    List<String> decided = new ArrayList<>();
    List<String> wrapped = new ArrayList<>();
    for (Method m : methods) {
      boolean forwarded = base.view() ? !decides(m) : m.getDeclaringClass() != Wrapper.class;
      if (base.wrapsResultSets()
          && m.getReturnType() == ResultSet.class
          && Arrays.asList(m.getExceptionTypes()).contains(SQLException.class)) {
        wrapped.add(m.getName());
        body.append("\n  @Override\n  public ")
            .append(declaration(m, imports))
            .append(" {\n    return resultSet(")
            .append(base.target())
            .append('.')
            .append(call(base, m, "a", false))
            .append(");\n  }\n");
        continue;
      }
      if (!forwarded) {
        decided.add(m.getName());
        if (m.isDefault()) { // not inherited: the view must still write it
          body.append("\n  @Override\n  public abstract ")
              .append(declaration(m, imports))
              .append(";\n");
        }
        continue;
      }
      body.append('\n').append("  @Override\n");
      if (m.isAnnotationPresent(Deprecated.class)) {
        body.append("  @Deprecated\n");
      }
      body.append("  public ").append(declaration(m, imports)).append(" {\n");
      String call = call(base, m, "a", false);
      if (base.view() && isParameterSetter(m)) {
        body.append("    if (bindsLater()) {\n")
            .append("      bind(a, (t, i) -> t.")
            .append(call(base, m, "i", true))
            .append(");\n      return;\n    }\n");
      }
      body.append("    ")
          .append(m.getReturnType() == void.class ? "" : "return ")
          .append(base.target())
          .append('.')
          .append(call)
          .append(";\n  }\n");
    }

    StringBuilder out = new StringBuilder();
    out.append("package ").append(PACKAGE).append(";\n\n");
    imports.add(SQLException.class.getName());
    for (String i : imports) {
      if (!i.startsWith("java.lang.") || i.lastIndexOf('.') != "java.lang".length()) {
        out.append("import ").append(i).append(";\n");
      }
    }
    out.append("\n/*\n * Generated by binding-core/src/build/java/ForwardingGenerator.java from ")
        .append(base.type().getName())
        .append(": do not edit.\n");
    if (base.view()) {
      out.append(" * Decided by the view, not forwarded: ")
          .append(decided.isEmpty() ? "none" : String.join(", ", new TreeSet<>(decided)))
          .append(".\n");
    }
    if (!wrapped.isEmpty()) {
      out.append(" * Sent through the view's resultSet(ResultSet): ")
          .append(String.join(", ", new TreeSet<>(wrapped)))
          .append(".\n");
    }
    out.append(" */\n")
        .append("abstract class ")
        .append(base.name())
        .append(' ')
        .append(base.extendsClause())
        .append("implements ")
        .append(base.type().getSimpleName())
        .append(" {\n\n")
        .append(base.members().stripTrailing())
        .append('\n')
        .append(body)
        .append("}\n");
    return out.toString();
  }

  /** PreparedStatement's own set*(int index, ...): the parameter setters. */
  static boolean isParameterSetter(Method m) {
    return m.getDeclaringClass() == PreparedStatement.class
        && m.getName().startsWith("set")
        && m.getParameterCount() > 0
        && m.getParameterTypes()[0] == int.class;
  }

  static String declaration(Method m, Set<String> imports) {
    StringBuilder d = new StringBuilder();
    if (m.getTypeParameters().length > 0) {
      d.append('<')
          .append(
              Arrays.stream(m.getTypeParameters())
                  .map(TypeVariable::getName)
                  .collect(Collectors.joining(", ")))
          .append("> ");
    }
    d.append(type(m.getGenericReturnType(), imports)).append(' ').append(m.getName()).append('(');
    Type[] params = m.getGenericParameterTypes();
    for (int i = 0; i < params.length; i++) {
      d.append(i == 0 ? "" : ", ").append(type(params[i], imports)).append(' ').append(name(i));
    }
    d.append(") throws ");
    d.append(
        Arrays.stream(m.getExceptionTypes())
            .map(e -> type(e, imports))
            .collect(Collectors.joining(", ")));
    return d.toString();
  }

  /** m(a, b, ...), or with the first argument named `first`. */
  static String call(Base base, Method m, String first, boolean lambda) {
    StringBuilder c = new StringBuilder(m.getName()).append('(');
    Class<?>[] params = m.getParameterTypes();
    for (int i = 0; i < params.length; i++) {
      String arg = i == 0 ? first : name(i);
      if (base.view() && MAY_BE_VIEWS.contains(params[i])) {
        arg = "Views.raw(" + arg + ")";
      }
      c.append(i == 0 ? "" : ", ").append(arg);
    }
    return c.append(')').toString();
  }

  static String name(int i) {
    return String.valueOf((char) ('a' + i));
  }

  static String signature(Method m) {
    return m.getName() + Arrays.toString(m.getParameterTypes());
  }

  static String type(Type t, Set<String> imports) {
    if (t instanceof Class<?> c) {
      if (c.isArray()) {
        return type(c.getComponentType(), imports) + "[]";
      }
      if (!c.isPrimitive()) {
        imports.add(c.getName());
      }
      return c.getSimpleName();
    }
    if (t instanceof ParameterizedType p) {
      return type(p.getRawType(), imports)
          + Arrays.stream(p.getActualTypeArguments())
              .map(a -> type(a, imports))
              .collect(Collectors.joining(", ", "<", ">"));
    }
    if (t instanceof WildcardType w) {
      Type[] upper = w.getUpperBounds();
      return upper.length == 1 && upper[0] == Object.class
          ? "?"
          : "? extends " + type(upper[0], imports);
    }
    return t.getTypeName(); // a type variable
  }

  private ForwardingGenerator() {}
}
