package io.userbound.hibernate.internal;

import io.userbound.core.LogText;
import io.userbound.core.Login;
import io.userbound.core.Userbound;
import io.userbound.hibernate.PermissionDeniedException;
import java.sql.SQLException;
import org.hibernate.dialect.DatabaseVersion;
import org.hibernate.dialect.PostgreSQLDialect;
import org.hibernate.exception.spi.SQLExceptionConversionDelegate;

/*
 * PostgreSQL's dialect plus one rule: SQLSTATE 42501 (insufficient privilege, including a
 * row that violates a row-level security policy) becomes PermissionDeniedException, a
 * binding-core AccessDeniedException.
 *
 * Why here: the dialect's conversion delegate is the hook Hibernate gives for vendor error
 * codes, and every SQLException Hibernate sees passes through it, whichever API the caller
 * used (find, queries, flush at commit, lazy loading). The delegate's contract is to return a
 * JDBCException, which AccessDeniedException cannot be (both are classes); so for 42501 it
 * throws instead of returning. Hibernate calls the converter where it is about to throw the
 * result anyway, and lets unchecked exceptions that are not its own through to the caller
 * unchanged (marking the transaction for rollback), so the caller sees our exception exactly
 * where it would have seen Hibernate's. Everything else goes to PostgreSQLDialect's rules.
 *
 * One instance per session factory, handed to Hibernate as an instance so that it knows its
 * database's name.
 */
final class UserboundDialect extends PostgreSQLDialect {

  private static final String INSUFFICIENT_PRIVILEGE = "42501";

  private final String database;
  private final Userbound userbound;

  /** @param version the server version to assume, or {@code null} for Hibernate's minimum */
  UserboundDialect(String database, Userbound userbound, DatabaseVersion version) {
    super(version == null ? MINIMUM_VERSION : version);
    this.database = database;
    this.userbound = userbound;
  }

  @Override
  public SQLExceptionConversionDelegate buildSQLExceptionConversionDelegate() {
    SQLExceptionConversionDelegate postgres = super.buildSQLExceptionConversionDelegate();
    return (e, message, sql) -> {
      if (INSUFFICIENT_PRIVILEGE.equals(sqlState(e))) {
        throw denied(e);
      }
      return postgres == null ? null : postgres.convert(e, message, sql);
    };
  }

  private PermissionDeniedException denied(SQLException e) {
    String role = userbound.current().map(Login::role).orElse(null);
    return new PermissionDeniedException(
        database,
        role,
        "database '"
            + database
            + "' refused "
            + (role == null ? "the bound role" : "role '" + LogText.escape(role, 64) + "'")
            + ": "
            + LogText.escape(serverMessage(e), 500)
            + " (SQLSTATE 42501)",
        e);
  }

  private static String sqlState(SQLException e) {
    for (SQLException s = e; s != null; s = s.getNextException()) {
      if (s.getSQLState() != null) {
        return s.getSQLState();
      }
    }
    return null;
  }

  /**
   * The server's one-line message ("permission denied for table invoice"), without position or
   * detail.
   */
  private static String serverMessage(SQLException e) {
    String m = e.getMessage() == null ? "permission denied" : e.getMessage();
    int nl = m.indexOf('\n');
    if (nl >= 0) {
      m = m.substring(0, nl);
    }
    return m.startsWith("ERROR: ") ? m.substring("ERROR: ".length()) : m;
  }
}
