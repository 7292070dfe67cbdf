package io.userbound.core.internal;

import io.userbound.core.AccessDeniedException;
import io.userbound.core.BudgetExhaustedException;
import io.userbound.core.DatabaseStats;
import io.userbound.core.DatabaseUnavailableException;
import io.userbound.core.LogText;
import io.userbound.core.LoginFailedException;
import io.userbound.core.UserboundException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/*
 * Turns driver and pool failures into Userbound's typed exceptions. Messages are built
 * here from what Userbound knows (database, role, SQLSTATE, budget figures); the
 * driver's own message is only kept in the cause, and a password never appears in
 * either (pgjdbc does not echo passwords; we never pass one into a message).
 *
 * The driver's message can repeat the role name as the client typed it (PostgreSQL's
 * 'password authentication failed for user "..."'), and applications log the cause along
 * with the exception. A cause whose chain holds a message LogText would change is kept as a
 * copy (SQLException, the same SQLSTATEs, error codes and stack traces, messages escaped);
 * any other cause is kept as it is.
 */
final class ErrorMapper {

  private static final int MAX_CAUSES = 8;
  private static final int MAX_MESSAGE = 2000;

  private final Database db;

  ErrorMapper(Database db) {
    this.db = db;
  }

  RuntimeException onLogin(String role, SQLException e) {
    if (e instanceof PhysicalConnector.IdentityMismatch) {
      return new LoginFailedException(
          db.name(), "database '" + db.name() + "': " + e.getMessage(), e.getSQLState(), e);
    }
    if (isUnpreparablePassword(e)) {
      // pgjdbc could not SASLprep the password (say, only characters that SASLprep maps
      // to nothing): no password like it can ever log in, so it is a refusal, not an outage.
      return refusedLogin(role, "28P01", e);
    }
    return map(role, e, e);
  }

  private static boolean isUnpreparablePassword(SQLException e) {
    String m = e.getMessage();
    return "08004".equals(e.getSQLState())
        && m != null
        && m.startsWith("Invalid SCRAM client initialization");
  }

  /** The one message for every refused login, so that it tells nothing about why. */
  LoginFailedException refusedLogin(String role, String state, Throwable cause) {
    return new LoginFailedException(
        db.name(),
        "database '"
            + db.name()
            + "' refused the login of "
            + Names.forMessage(role)
            + " (wrong password, unknown role, or a role that may not log in)",
        state,
        safe(cause));
  }

  /** A database that proved the password but refused CONNECT, remembered for a while. */
  AccessDeniedException noConnect(String role) {
    return new AccessDeniedException(
        db.name(),
        "role "
            + Names.forMessage(role)
            + " may not connect to database '"
            + db.name()
            + "' (permission denied, SQLSTATE 42501)",
        "42501",
        null);
  }

  /** Whether a borrow failed for lack of budget (not because of the database). */
  boolean isBudget(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof Budget.BudgetSQLException) {
        return true;
      }
    }
    return false;
  }

  RuntimeException onBorrow(String role, SQLException e) {
    if (isBudget(e)) {
      return budgetSpent(e);
    }
    // HikariCP's timeout carries the last failure to open a connection as its cause.
    if (e.getCause() instanceof SQLException cause) {
      return map(role, cause, e);
    }
    if (e instanceof SQLTransientConnectionException) {
      if (db.budget.used() >= db.budget.size) {
        return budgetSpent(e);
      }
      return new DatabaseUnavailableException(
          db.name(),
          "no connection to database '"
              + db.name()
              + "' for "
              + Names.forMessage(role)
              + " within "
              + db.config.connectionTimeout().toMillis()
              + " ms",
          e.getSQLState(),
          safe(e));
    }
    return map(role, e, e);
  }

  private RuntimeException map(String role, SQLException s, SQLException unsafe) {
    Throwable original = safe(unsafe);
    String state = s.getSQLState() == null ? "" : s.getSQLState();
    String who = Names.forMessage(role);
    if (s instanceof Budget.BudgetSQLException) {
      return budgetSpent(unsafe);
    }
    return switch (state) {
      case "28P01", "28000" -> refusedLogin(role, state, original);
      case "42501" ->
          new AccessDeniedException(
              db.name(),
              "role "
                  + who
                  + " may not connect to database '"
                  + db.name()
                  + "' (permission denied, SQLSTATE 42501)",
              state,
              original);
      case "3D000" ->
          new DatabaseUnavailableException(
              db.name(),
              "database '" + db.name() + "' does not exist on the server (check its JDBC URL)",
              state,
              original);
      case "53300" ->
          new DatabaseUnavailableException(
              db.name(),
              "the server of database '"
                  + db.name()
                  + "' has no free connection slots (max_connections); keep the budgets of all its"
                  + " databases below it",
              state,
              original);
      default ->
          new DatabaseUnavailableException(
              db.name(),
              "database '"
                  + db.name()
                  + "' is not available for "
                  + who
                  + " (SQLSTATE "
                  + (state.isEmpty() ? "none" : state)
                  + ")",
              s.getSQLState(),
              original);
    };
  }

  BudgetExhaustedException budgetSpent(Throwable cause) {
    DatabaseStats s = db.stats();
    return new BudgetExhaustedException(
        db.name(),
        "connection budget of database '"
            + db.name()
            + "' is spent: budget "
            + s.budget()
            + ", in use "
            + s.budgetUsed()
            + " (active "
            + s.activeConnections()
            + ", idle "
            + s.idleConnections()
            + "), waiting "
            + s.waiting()
            + "; no connection came free within "
            + db.config.connectionTimeout().toMillis()
            + " ms. Raise the budget (below the server's max_connections),"
            + " shorten requests, or lower maxConnectionsPerPerson",
        cause);
  }

  /** The cause to keep: as it is, or a copy with escaped messages (see the top). */
  static Throwable safe(Throwable cause) {
    int depth = 0;
    for (Throwable t = cause; t != null && depth < MAX_CAUSES; t = t.getCause(), depth++) {
      String m = t.getMessage();
      if (m != null && !m.equals(LogText.escape(m, MAX_MESSAGE))) {
        return copy(cause, 0);
      }
    }
    return cause;
  }

  private static SQLException copy(Throwable t, int depth) {
    Throwable next = t.getCause();
    SQLException c =
        new SQLException(
            t.getClass().getName() + ": " + LogText.escape(t.getMessage(), MAX_MESSAGE),
            t instanceof SQLException s ? s.getSQLState() : null,
            t instanceof SQLException s ? s.getErrorCode() : 0,
            next == null || depth + 1 >= MAX_CAUSES ? null : copy(next, depth + 1));
    c.setStackTrace(t.getStackTrace());
    return c;
  }

  /** The same failure again, for a thread that waited on another thread's login. */
  RuntimeException again(RuntimeException e) {
    if (e instanceof LoginFailedException l) {
      return new LoginFailedException(l.database(), l.getMessage(), l.sqlState(), l);
    }
    if (e instanceof AccessDeniedException a) {
      return new AccessDeniedException(a.database(), a.getMessage(), a.sqlState(), a);
    }
    if (e instanceof BudgetExhaustedException b) {
      return new BudgetExhaustedException(b.database(), b.getMessage(), b);
    }
    if (e instanceof DatabaseUnavailableException d) {
      return new DatabaseUnavailableException(d.database(), d.getMessage(), d.sqlState(), d);
    }
    if (e instanceof UserboundException) {
      return e;
    }
    return new DatabaseUnavailableException(
        db.name(), "login on database '" + db.name() + "' failed", null, e);
  }
}
