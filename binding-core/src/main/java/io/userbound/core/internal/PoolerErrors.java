package io.userbound.core.internal;

import java.sql.SQLException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/*
 * PgBouncer (1.18 at least) answers every login it refuses with SQLSTATE 08P01 ("protocol
 * violation"), whatever the reason, and forwards the server's refusal of a login it made for
 * the client under 08P01 too, keeping only the server's message. Userbound decides on
 * SQLSTATEs: a refused password is no outage, and a refused CONNECT (42501) proves the
 * password. So a login error under 08P01 gets the SQLSTATE PostgreSQL itself would have
 * sent, recognised by PgBouncer's fixed messages and by PostgreSQL's (English) message
 * texts; the original stays the cause. Anything else stays 08P01, which means unavailable.
 */
final class PoolerErrors {
  static final String PROTOCOL_VIOLATION = "08P01";

  private PoolerErrors() {}

  /** The error with PostgreSQL's SQLSTATE if it is a pooler's login refusal, else itself. */
  static SQLException normalise(SQLException e) {
    if (!PROTOCOL_VIOLATION.equals(e.getSQLState())) {
      return e;
    }
    String message = message(e);
    String state = stateOf(message);
    if (state == null) {
      return e;
    }
    return new SQLException("the pooler in front refused the login: " + message, state, e);
  }

  /** PostgreSQL's SQLSTATE for a pooler's login message, or null if it is not one. */
  static String stateOf(String message) {
    if (message.equals("SASL authentication failed")
        || message.equals("password authentication failed")
        || message.equals("auth failed")
        || message.equals("no such user")
        || message.startsWith("password authentication failed for user ")) {
      return "28P01";
    }
    if (message.startsWith("permission denied for database ")) {
      return "42501";
    }
    if (message.startsWith("role \"") && message.endsWith("\" is not permitted to log in")) {
      return "28000";
    }
    if (message.startsWith("no such database")
        || (message.startsWith("database \"") && message.endsWith("\" does not exist"))) {
      return "3D000";
    }
    if (message.startsWith("no more connections allowed")
        || message.equals("sorry, too many clients already")
        || message.startsWith("remaining connection slots are reserved")
        || message.startsWith("too many connections for role ")) {
      return "53300";
    }
    return null;
  }

  /**
   * PgBouncer's answer to the first client of a pool whose last server login failed, sent
   * even when that failure is long past (the flag is cleared only by the next server login
   * that succeeds, which PgBouncer starts as it sends this). Worth one more try.
   */
  static boolean isStaleLoginFailure(SQLException e) {
    return PROTOCOL_VIOLATION.equals(e.getSQLState())
        && message(e).startsWith("server login has been failing");
  }

  /** Whether a pooler's answer says that the server behind it cannot be reached. */
  static boolean isOutage(String state, String message) {
    if (!PROTOCOL_VIOLATION.equals(state) || message == null) {
      return false;
    }
    return message.startsWith("pgbouncer cannot connect to server")
        || message.startsWith("server login has been failing")
        || message.startsWith("query_wait_timeout")
        || message.startsWith("server conn crashed")
        || message.startsWith("database shutting down")
        || message.startsWith("pooler is shutting down");
  }

  private static String message(SQLException e) {
    if (e instanceof PSQLException p) {
      ServerErrorMessage server = p.getServerErrorMessage();
      if (server != null && server.getMessage() != null) {
        return server.getMessage();
      }
    }
    String m = e.getMessage() == null ? "" : e.getMessage();
    return m.startsWith("FATAL: ") ? m.substring("FATAL: ".length()) : m;
  }
}
