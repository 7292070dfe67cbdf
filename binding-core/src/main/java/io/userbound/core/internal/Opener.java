package io.userbound.core.internal;

import java.sql.SQLException;

/*
 * How a person's pool opens a physical connection: under the database's budget, with
 * the reclaim rule (see Database's header). A narrow callback, so that the pool's data
 * source needs nothing else of the database.
 */
@FunctionalInterface
interface Opener {

  /**
   * Opens a connection as the role, counted against the budget.
   *
   * @param role the role
   * @param password the password (not wiped here)
   * @param further whether the person has a connection already: then only free budget
   *     is taken, never reclaimed
   */
  PhysicalConnection open(String role, char[] password, boolean further) throws SQLException;
}
