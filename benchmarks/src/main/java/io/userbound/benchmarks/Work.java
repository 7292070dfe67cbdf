package io.userbound.benchmarks;

import io.userbound.benchmarks.entities.Item;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.hibernate.Session;

/*
 * What one request does with its connection, the same code for every contender:
 *   select1  "select 1", a plain Statement: the least a request can do
 *   pk       a one-row primary-key select through a PreparedStatement. pgjdbc prepares it on
 *            the server from its 5th use on a connection and then sends only Bind/Execute;
 *            DISCARD ALL drops those server-side statements, so after it they are parsed again
 *   write    autocommit off, update one row by primary key, commit, autocommit back on (as a
 *            framework's transaction does; pgjdbc turns it back on without a round trip)
 * and, with a Hibernate Session, a unit of work of two queries (find by id, then a short list).
 *
 * The row is chosen by the caller (Cursor.row()): each thread has its own rows, so two
 * threads never wait on each other's row lock.
 */
final class Work {

  static final String PK_SELECT = "select id, name, qty from item where id = ?";
  static final String UPDATE = "update item set qty = qty + 1 where id = ?";

  private final int kind;

  private Work(int kind) {
    this.kind = kind;
  }

  /**
   * The work of a {@code work} parameter.
   *
   * @param name {@code select1}, {@code pk} or {@code write}
   */
  static Work of(String name) {
    return switch (name) {
      case "select1" -> new Work(0);
      case "pk" -> new Work(1);
      case "write" -> new Work(2);
      default ->
          throw new IllegalArgumentException("work = " + name + ": use select1, pk or write");
    };
  }

  /** Runs the work on a connection; {@code row} is the item id to read or update. */
  int run(Connection c, int row) throws SQLException {
    return switch (kind) {
      case 0 -> select1(c);
      case 1 -> pkSelect(c, row);
      default -> write(c, row);
    };
  }

  static int select1(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select 1")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  static int pkSelect(Connection c, int row) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(PK_SELECT)) {
      ps.setInt(1, row);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(3) + rs.getString(2).length();
      }
    }
  }

  static int write(Connection c, int row) throws SQLException {
    c.setAutoCommit(false);
    try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
      ps.setInt(1, row);
      int n = ps.executeUpdate();
      c.commit();
      return n;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  /** The Hibernate unit of work: the item by id, then the next three items by id. */
  static int hibernate(Session session, int row) {
    Item item = session.find(Item.class, row);
    List<Item> next =
        session
            .createSelectionQuery("from Item i where i.id > :id order by i.id", Item.class)
            .setParameter("id", row)
            .setMaxResults(3)
            .getResultList();
    return item.getQty() + next.size();
  }
}
