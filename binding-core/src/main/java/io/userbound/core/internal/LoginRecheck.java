package io.userbound.core.internal;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/*
 * DEDICATED_POOLS' bound on password expiry (DatabaseConfig.loginRecheck). PostgreSQL
 * checks VALID UNTIL, LOGIN and CONNECT only when a connection is opened; a pool's open
 * connections would serve an expired person until they close. Once per interval, one
 * query on one idle connection of the database (any person's: pg_roles is readable by
 * every role) names the people with open pools that PostgreSQL would now refuse, and
 * Database retires their pools.
 *
 * The query runs in a person's session, which that person may have shaped (ALTER ROLE ...
 * SET search_path puts their own schema before pg_catalog). So every function, operator
 * and type is schema-qualified: no object of theirs is called, and none sees the names of
 * the other people the query asks about.
 */
final class LoginRecheck {

  static final String REFUSED =
      "select r.name from pg_catalog.unnest(?::pg_catalog.text[]) as r(name)"
          + " where not exists (select from pg_catalog.pg_roles a"
          + " where a.rolname operator(pg_catalog.=) r.name and a.rolcanlogin"
          + " and (a.rolvaliduntil is null"
          + " or a.rolvaliduntil operator(pg_catalog.>) pg_catalog.now())"
          + " and pg_catalog.has_database_privilege(a.oid, pg_catalog.current_database(),"
          + " 'CONNECT'))";

  private LoginRecheck() {}

  /** The roles among these that PostgreSQL would refuse a new connection now. */
  static List<String> refused(Connection c, Collection<String> roles, int timeoutSeconds)
      throws SQLException {
    List<String> refused = new ArrayList<>();
    Array names = c.createArrayOf("text", roles.toArray());
    try (PreparedStatement ps = c.prepareStatement(REFUSED)) {
      ps.setQueryTimeout(timeoutSeconds);
      ps.setArray(1, names);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          refused.add(rs.getString(1));
        }
      }
    } finally {
      names.free();
    }
    return refused;
  }
}
