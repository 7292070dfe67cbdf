package io.userbound.core.internal;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLNonTransientException;
import java.sql.Statement;

/*
 * ROLE_SWITCHING's statements: the role travels with the work. One InBand per borrow of a
 * gateway connection; the statement views call it to run what the request sends.
 *
 * WHAT GOES OVER THE WIRE. Every statement a request runs goes out as one text, which
 * pgjdbc sends as one pipeline (one Parse/Bind/Execute per part, one Sync, so one round
 * trip and one implicit transaction, or part of the request's explicit one):
 *
 *   [RESET]   CLOSE ALL; RESET ALL; UNLISTEN *; DISCARD TEMP; DISCARD SEQUENCES;
 *             (only when the backend moves to another person, or may hold state)
 *   PREFIX    select [set_config('role', 'none', false), pg_advisory_unlock_all(),]
 *             set_config('role', p.r, true), set_config('userbound.role', p.r, true)
 *             from (select $1 as r) p
 *             [where <LOGIN, VALID UNTIL, CONNECT still hold, else an error>];
 *   <the request's statement(s), as sent>
 *   SUFFIX    select case when current_user = current_setting('userbound.role')
 *             then true else <an error> end as userbound_check
 *
 * The role is transaction-scoped (set_config(..., true), PostgREST's model): it ends with
 * the transaction whatever happens, so nothing is trusted across requests or after an
 * error, and a statement that escapes the wrappers runs as the gateway, which can do
 * nothing. Every statement sets it again, inside a transaction too: the cost is one
 * Bind/Execute in the same round trip, and no connection tag is ever believed.
 *
 * A failing prefix (the role may not be set, the person may no longer log in) stops the
 * pipeline before the request's statement runs. A failing suffix (the statement changed
 * the role) aborts the transaction the
 * statement ran in: nothing is committed, no row reaches the application (pgjdbc throws
 * for the whole pipeline), the physical connection is closed, and the event is audited.
 * What the suffix cannot see: a role changed and changed back within the batch, by code
 * that can run SQL as another role (a SECURITY INVOKER function that calls set_config and
 * runs dynamic SQL). The SQL guard refuses every spelling of such a change it can read, and
 * CREATE FUNCTION, DO and SQL-executing built-ins; see the README's threat model.
 *
 * THE RESET goes with the first statement of a borrow whose backend last served somebody
 * else (or whose last borrow may have left state: see HandBack), in the same round trip.
 * It is rolled back with the statement if that fails, so it stays pending until a
 * transaction carrying it commits: in autocommit at once, in an explicit transaction at
 * commit().
 *
 * The request's own parameters follow ours: the views shift every index by one (the role
 * is $1). Results: the reset's and the prefix's come first and are skipped; the suffix's
 * comes last and is hidden by its label.
 *
 * JDBC batches cannot carry a multi-statement text (pgjdbc refuses a composite query in a
 * batch), so a batch runs inside a transaction: the prefix in one round trip, the batch,
 * then the suffix (and the commit in autocommit). Not thread-safe, like the borrow.
 */
final class InBand {

  /** The label of the suffix's one column, by which its result is hidden. */
  static final String CHECK_LABEL = "userbound_check";

  private static final String VIOLATION = "userbound: session check failed; current_user is ";
  private static final String NOT_ALLOWED = "userbound: no longer allowed to log in: ";

  static final int RESET = 1;
  static final int CHECK = 2;

  private static final String[] RESET_STATEMENTS = {
    "CLOSE ALL", "RESET ALL", "UNLISTEN *", "DISCARD TEMP", "DISCARD SEQUENCES"
  };
  private static final String RESET_SQL = String.join(";\n", RESET_STATEMENTS) + ";\n";
  private static final int RESET_RESULTS = RESET_STATEMENTS.length;

  /** What a gateway connection's database needs to build the texts. */
  interface Owner {
    /** The person may still log in and connect: the next check is due later. */
    void rechecked(String role);

    /** The person may no longer log in: forget them (their next request logs in again). */
    void revoked(String role);

    /** A statement changed the role it ran as: audit it. */
    void violated(String role, String detail);

    /** The database's name, for messages. */
    String database();
  }

  final String role;
  private final Owner owner;
  private final PhysicalConnection physical;
  private String roleLiteral;
  boolean resetPending;
  boolean checkDue;
  private boolean resetInTransaction;
  private boolean failed;

  InBand(Owner owner, PhysicalConnection physical, String role, boolean reset, boolean check) {
    this.owner = owner;
    this.physical = physical;
    this.role = role;
    this.resetPending = reset;
    this.checkDue = check;
  }

  // ---- texts --------------------------------------------------------------------------
  //
  // The prefix and the suffix run in a session whose search_path the person may have set
  // (their turn on a backend is theirs), possibly with a schema of their own before
  // pg_catalog. So every function, operator and type in them is schema-qualified: an
  // operator "=" of theirs cannot make the checks say yes.

  /*
   * The suffix. session_user is not asserted here: only a superuser can change it, and the
   * gateway is checked not to be one on every new connection (GatewayPool.checkGateway),
   * which also asserts session_user = current_user = gateway then (PhysicalConnector).
   */
  static final String SUFFIX =
      "select case when current_user::pg_catalog.text operator(pg_catalog.=)"
          + " pg_catalog.current_setting('userbound.role', true)"
          + " then true else pg_catalog.int4(pg_catalog.concat('"
          + VIOLATION
          + "', current_user))::pg_catalog.bool end as "
          + CHECK_LABEL;

  /** The variant the next statement needs: RESET and CHECK bits. */
  int variant() {
    return (resetPending ? RESET : 0) | (checkDue ? CHECK : 0);
  }

  /** The whole text for a statement, the role as a parameter ("?") or as a literal. */
  String wrap(String sql, int variant, boolean parameter) {
    StringBuilder b = new StringBuilder(sql.length() + SUFFIX.length() + 500);
    prefix(b, parameter ? "?" : literalRole(), variant);
    return b.append(sql).append("\n;\n").append(SUFFIX).toString();
  }

  /*
   * The prefix. On a move (RESET) the session-level role is set to none first and the
   * session's advisory locks released, in the same statement. SQL-level prepared statements
   * are not removed (DEALLOCATE ALL would drop pgjdbc's own, and reading
   * pg_prepared_statements on every move was measured to cost more than the rest of the
   * reset): the guard refuses PREPARE and DEALLOCATE. The role is one parameter (or
   * literal), read once in a subquery.
   */
  private static void prefix(StringBuilder b, String role, int variant) {
    if ((variant & RESET) != 0) {
      b.append(RESET_SQL);
    }
    b.append("select ");
    if ((variant & RESET) != 0) {
      b.append(
          "pg_catalog.set_config('role', 'none', false), pg_catalog.pg_advisory_unlock_all(), ");
    }
    b.append(
            "pg_catalog.set_config('role', p.r, true),"
                + " pg_catalog.set_config('userbound.role', p.r, true) from (select ")
        .append(role)
        .append("::pg_catalog.text as r) p");
    if ((variant & CHECK) != 0) {
      b.append(
          " where case when exists (select from pg_catalog.pg_roles a"
              + " where a.rolname operator(pg_catalog.=) p.r and a.rolcanlogin"
              + " and (a.rolvaliduntil is null"
              + " or a.rolvaliduntil operator(pg_catalog.>) pg_catalog.now())"
              + " and pg_catalog.has_database_privilege(p.r, pg_catalog.current_database(),"
              + " 'CONNECT')) then true else pg_catalog.int4(pg_catalog.concat('"
              + NOT_ALLOWED
              + "', p.r)) operator(pg_catalog.=) 0 end");
    }
    b.append(";\n");
  }

  /** How many results come before the request's own. */
  static int leading(int variant) {
    return ((variant & RESET) != 0 ? RESET_RESULTS : 0) + 1;
  }

  private String literalRole() {
    String l = roleLiteral;
    if (l == null) {
      l = literal(role);
      roleLiteral = l;
    }
    return l;
  }

  /*
   * A string as SQL that reads the same whatever standard_conforming_strings says: only hex
   * digits inside the quotes.
   */
  static String literal(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    StringBuilder b = new StringBuilder(bytes.length * 2 + 60);
    b.append("pg_catalog.convert_from(pg_catalog.decode('");
    for (byte x : bytes) {
      b.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
    }
    return b.append("', 'hex'), 'UTF8')").toString();
  }

  /** Whether a result is the suffix's. */
  static boolean isCheck(ResultSet rs) throws SQLException {
    if (rs == null) {
      return false;
    }
    ResultSetMetaData md = rs.getMetaData();
    return md.getColumnCount() == 1 && CHECK_LABEL.equals(md.getColumnLabel(1));
  }

  // ---- outcomes ----------------------------------------------------------------------

  /** A statement of this variant ran through. */
  void succeeded(int variant) throws SQLException {
    if ((variant & CHECK) != 0 && checkDue) {
      checkDue = false;
      owner.rechecked(role);
    }
    if ((variant & RESET) != 0) {
      if (physical.getAutoCommit()) {
        resetDone();
      } else {
        resetInTransaction = true;
      }
    }
  }

  private void resetDone() throws SQLException {
    resetPending = false;
    resetInTransaction = false;
    physical.afterReset(); // the reported parameters after RESET ALL are the new baseline
  }

  /** The request's transaction committed (commit(), or auto-commit turned back on). */
  void committed() throws SQLException {
    if (resetInTransaction) {
      resetDone();
    }
  }

  /** The request's transaction rolled back: a reset it carried is undone. */
  void rolledBack() {
    resetInTransaction = false;
  }

  /** Whether the session may hold state of another borrow (a reset never committed, an error). */
  boolean leavesState() {
    return resetPending || failed;
  }

  /**
   * A statement failed: our own checks become typed errors (and a violation closes the
   * connection); anything else is the request's own error, passed on.
   */
  SQLException failed(SQLException e) {
    failed = true;
    resetInTransaction = false;
    String message = e.getMessage() == null ? "" : e.getMessage();
    if (message.contains(VIOLATION)) {
      try {
        physical.abort(Runnable::run); // never reused: its session is not what it should be
      } catch (SQLException | RuntimeException ignored) {
        // it is closed either way
      }
      owner.violated(role, "a statement changed the role it ran as");
      return new SQLNonTransientConnectionException(
          "refused: a statement of "
              + Names.forMessage(role)
              + " on database '"
              + owner.database()
              + "' changed the role it runs as;"
              + " its transaction was rolled back, no row was returned, and the connection"
              + " was closed",
          "42501");
    }
    if (message.contains(NOT_ALLOWED)) {
      owner.revoked(role);
      return new SQLInvalidAuthorizationSpecException(
          "database '"
              + owner.database()
              + "' no longer lets "
              + Names.forMessage(role)
              + " log in or connect (LOGIN, VALID UNTIL or CONNECT was revoked); log in again",
          "28000",
          e);
    }
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (message.contains("set role") || message.contains("\"role\"")) {
      if (state.equals("42501")) {
        return new SQLNonTransientException(
            "the gateway role of database '"
                + owner.database()
                + "' may not SET ROLE "
                + Names.forMessage(role)
                + ": make it a member (GRANT <person> TO <gateway>; on PostgreSQL 16+ WITH"
                + " INHERIT FALSE, SET TRUE)",
            state,
            e);
      }
      if (state.equals("22023") || state.equals("42704")) {
        owner.revoked(role);
        return new SQLInvalidAuthorizationSpecException(
            "database '"
                + owner.database()
                + "' has no role "
                + Names.forMessage(role)
                + " any more; log in again",
            "28000",
            e);
      }
    }
    return e;
  }

  // ---- batches -----------------------------------------------------------------------

  /** A JDBC batch: see the class comment. */
  <T> T batch(Batch<T> run) throws SQLException {
    boolean auto = physical.getAutoCommit();
    if (auto) {
      physical.setAutoCommit(false); // idle: no round trip
    }
    boolean ok = false;
    try {
      int variant = variant();
      StringBuilder b = new StringBuilder(600);
      prefix(b, literalRole(), variant);
      try (Statement st = physical.delegate.createStatement()) {
        st.execute(b.toString());
      } catch (SQLException e) {
        throw failed(e);
      }
      succeeded(variant);
      T result = run.run();
      try (Statement st = physical.delegate.createStatement()) {
        st.execute(SUFFIX);
      } catch (SQLException e) {
        throw failed(e);
      }
      if (auto) {
        physical.commit();
        committed();
      }
      ok = true;
      return result;
    } finally {
      if (auto) {
        if (!ok && !physical.isBroken()) {
          try {
            physical.rollback();
          } catch (SQLException ignored) {
            // the hand-back finds the transaction state and deals with it
          }
          rolledBack();
        }
        if (!physical.isBroken()) {
          physical.setAutoCommit(true);
        }
      }
    }
  }

  /** The batch itself. */
  interface Batch<T> {
    T run() throws SQLException;
  }
}
