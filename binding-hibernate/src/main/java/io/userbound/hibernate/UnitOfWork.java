package io.userbound.hibernate;

import io.userbound.core.Login;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.hibernate.Session;

/**
 * One request's Hibernate sessions, all running as one person: at most one {@link Session}
 * per database, each opened on first use and all closed by {@link #close()}.
 *
 * <pre>{@code
 * try (UnitOfWork work = hibernate.openUnitOfWork()) {      // the person is bound already
 *   Invoice inv = work.of(Invoice.class).find(Invoice.class, 42L);
 *   List<Hour> hours = work.of("staff").createSelectionQuery("from Hour", Hour.class).getResultList();
 *   work.inTransaction(Invoice.class, session -> session.persist(newInvoice));
 * }
 * }</pre>
 *
 * <p>A request that touches only {@code finance} opens nothing on {@code staff}; a session
 * takes a connection from the person's pool only when it first runs SQL, and gives it back
 * when it is closed.
 *
 * <p><b>Transactions are per database.</b> {@link #inTransaction(String, Consumer)} commits or
 * rolls back one database's session. A change spanning two databases is <em>not atomic</em>:
 * if the second commit fails, the first stays committed. Two-phase commit is future work.
 *
 * <p><b>Not thread-safe.</b> A unit of work belongs to the thread that opened it, and to the
 * login bound there; use it on that thread, while that person is bound, and close it there,
 * as a request does. Sessions are never shared between units of work.
 */
public interface UnitOfWork extends AutoCloseable {

  /**
   * Returns this request's session on the database that holds an entity class, opening it
   * on first use.
   *
   * @param entityClass a mapped entity class, or a subclass of one (such as a Hibernate proxy)
   * @return the open session; do not close it, {@link #close()} does
   * @throws IllegalArgumentException if the class is not a mapped entity
   * @throws IllegalStateException if this unit of work is closed, is used on another thread,
   *     or another person is bound to the thread now
   */
  Session of(Class<?> entityClass);

  /**
   * Returns this request's session on a database, opening it on first use.
   *
   * @param database the name of a database that has mapped entities
   * @return the open session; do not close it, {@link #close()} does
   * @throws io.userbound.core.UnknownDatabaseException if the Userbound configuration does not
   *     declare the database
   * @throws IllegalArgumentException if the database is declared but no entity is mapped to it
   * @throws IllegalStateException as for {@link #of(Class)}
   */
  Session of(String database);

  /**
   * Runs work in a transaction on the database that holds an entity class; see
   * {@link #fromTransaction(String, Function)}.
   *
   * @param entityClass a mapped entity class
   * @param work what to do with that database's session
   */
  void inTransaction(Class<?> entityClass, Consumer<Session> work);

  /**
   * Runs work in a transaction on one database; see {@link #fromTransaction(String, Function)}.
   *
   * @param database the name of a database that has mapped entities
   * @param work what to do with that database's session
   */
  void inTransaction(String database, Consumer<Session> work);

  /**
   * Runs work in a transaction on the database that holds an entity class and returns its
   * result; see {@link #fromTransaction(String, Function)}.
   *
   * @param <R> the result type
   * @param entityClass a mapped entity class
   * @param work what to do with that database's session
   * @return what the work returned
   */
  <R> R fromTransaction(Class<?> entityClass, Function<Session, R> work);

  /**
   * Runs work in a transaction on one database and returns its result: begins a transaction
   * on this request's session there, runs the work, flushes and commits. If anything throws,
   * the transaction is rolled back, the session is closed and dropped from this unit of work
   * (entities loaded through it become detached; the next {@link #of(String)} opens a fresh
   * one), and the exception is rethrown. A {@link PermissionDeniedException} that Hibernate
   * wrapped on the way (for example in a {@code RollbackException} at commit) is unwrapped,
   * so "not allowed" always surfaces as an {@link io.userbound.core.AccessDeniedException}.
   *
   * <p>Only this database is in the transaction: see the note on atomicity above.
   *
   * @param <R> the result type
   * @param database the name of a database that has mapped entities
   * @param work what to do with that database's session
   * @return what the work returned
   * @throws IllegalStateException if a transaction is already active on that session
   *     (transactions do not nest), or for the reasons of {@link #of(String)}
   * @throws PermissionDeniedException if PostgreSQL refused a statement with SQLSTATE 42501
   */
  <R> R fromTransaction(String database, Function<Session, R> work);

  /**
   * Returns the login this unit of work runs as: the one bound when it was opened.
   *
   * @return the login
   */
  Login login();

  /**
   * Returns the databases whose session this unit of work has opened and not yet closed.
   *
   * @return database names, in the order the sessions were opened; a copy
   */
  Set<String> openDatabases();

  /**
   * Tells whether {@link #close()} was called.
   *
   * @return {@code true} once closed
   */
  boolean isClosed();

  /**
   * Closes every session this unit of work opened, so that their connections go back to the
   * person's pools, and makes the unit of work that was current before it current again.
   * A transaction still active on a session is rolled back (and a warning logged): commit
   * with {@link #inTransaction(String, Consumer)} or explicitly before closing. Never throws;
   * a failure to close one session is logged and does not stop the others. Idempotent.
   */
  @Override
  void close();
}
