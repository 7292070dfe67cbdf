package io.userbound.hibernate.internal;

import io.userbound.core.AccessDeniedException;
import io.userbound.core.LogText;
import io.userbound.core.Login;
import io.userbound.hibernate.UnitOfWork;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.hibernate.Session;
import org.hibernate.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Sessions are opened with the unit of work's role as explicit tenant; the connection
 * provider checks again, at each connection, that this role is the one bound to the thread.
 * of() also checks the thread and the binding up front, so misuse fails at the call that
 * misuses, not later inside Hibernate.
 */
final class DefaultUnitOfWork implements UnitOfWork {

  private static final Logger log = LoggerFactory.getLogger(UnitOfWork.class);

  private final DefaultUserboundHibernate owner;
  private final Login login;
  private final DefaultUnitOfWork previous;
  private final Thread thread;
  private final Map<String, Session> sessions = new LinkedHashMap<>();
  private volatile boolean closed;

  DefaultUnitOfWork(DefaultUserboundHibernate owner, Login login, DefaultUnitOfWork previous) {
    this.owner = owner;
    this.login = login;
    this.previous = previous;
    this.thread = Thread.currentThread();
  }

  DefaultUnitOfWork previous() {
    return previous;
  }

  @Override
  public Session of(Class<?> entityClass) {
    return of(owner.database(entityClass));
  }

  @Override
  public Session of(String database) {
    checkUsable();
    Session s = sessions.get(database);
    if (s != null && s.isOpen()) {
      return s;
    }
    s =
        owner
            .sessionFactory(database)
            .withOptions()
            .tenantIdentifier((Object) login.role())
            .openSession();
    sessions.put(database, s);
    return s;
  }

  private void checkUsable() {
    if (closed) {
      throw new IllegalStateException("this unit of work of role '" + who() + "' is closed");
    }
    if (Thread.currentThread() != thread) {
      throw new IllegalStateException(
          "a unit of work belongs to the thread that opened it ("
              + thread.getName()
              + "), not "
              + Thread.currentThread().getName());
    }
    if (owner.isClosedInstance()) {
      throw new IllegalStateException("the UserboundHibernate of this unit of work is closed");
    }
    Login bound = owner.userbound().current().orElse(null);
    if (bound == null || !bound.role().equals(login.role())) {
      throw new IllegalStateException(
          "this unit of work runs as role '"
              + who()
              + "', but "
              + (bound == null ? "no login" : "role '" + LogText.escape(bound.role(), 64) + "'")
              + " is bound to this thread now");
    }
  }

  @Override
  public void inTransaction(Class<?> entityClass, Consumer<Session> work) {
    inTransaction(owner.database(entityClass), work);
  }

  @Override
  public void inTransaction(String database, Consumer<Session> work) {
    fromTransaction(
        database,
        s -> {
          work.accept(s);
          return null;
        });
  }

  @Override
  public <R> R fromTransaction(Class<?> entityClass, Function<Session, R> work) {
    return fromTransaction(owner.database(entityClass), work);
  }

  @Override
  public <R> R fromTransaction(String database, Function<Session, R> work) {
    Session s = of(database);
    if (s.getTransaction().isActive()) {
      throw new IllegalStateException(
          "a transaction is already active on database '"
              + database
              + "' in this unit of work; transactions do not nest");
    }
    Transaction tx = s.beginTransaction();
    try {
      R result = work.apply(s);
      s.flush();
      tx.commit();
      return result;
    } catch (RuntimeException | Error e) {
      rollbackQuietly(database, tx, e);
      discard(database, s, e);
      throw unwrapDenied(e);
    }
  }

  private static void rollbackQuietly(String database, Transaction tx, Throwable cause) {
    try {
      if (tx.isActive()) {
        tx.rollback();
      }
    } catch (RuntimeException r) {
      cause.addSuppressed(r);
      log.debug("rollback on database '{}' failed after an error", database, r);
    }
  }

  private void discard(String database, Session s, Throwable cause) {
    sessions.remove(database);
    try {
      s.close();
    } catch (RuntimeException c) {
      cause.addSuppressed(c);
    }
  }

  /**
   * "Not allowed" that Hibernate wrapped on the way (a RollbackException at commit, say)
   * surfaces as itself; anything else is rethrown as it came.
   */
  private static RuntimeException unwrapDenied(Throwable e) {
    Throwable t = e;
    for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
      if (t instanceof AccessDeniedException denied) {
        return denied;
      }
    }
    if (e instanceof Error error) {
      throw error;
    }
    return (RuntimeException) e;
  }

  @Override
  public Login login() {
    return login;
  }

  @Override
  public Set<String> openDatabases() {
    Set<String> open = new LinkedHashSet<>();
    sessions.forEach(
        (db, s) -> {
          if (s.isOpen()) {
            open.add(db);
          }
        });
    return Collections.unmodifiableSet(open);
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (Thread.currentThread() != thread) {
      log.warn(
          "a unit of work of role '{}' was closed on thread {} but opened on {}",
          who(),
          Thread.currentThread().getName(),
          thread.getName());
    }
    for (Map.Entry<String, Session> e : sessions.entrySet()) {
      Session s = e.getValue();
      try {
        if (s.isOpen() && s.getTransaction().isActive()) {
          log.warn(
              "a transaction on database '{}' was still active when the unit of work of role '{}'"
                  + " closed; rolled back",
              e.getKey(),
              who());
          s.getTransaction().rollback();
        }
      } catch (RuntimeException ex) {
        log.warn(
            "rolling back the session on database '{}' of role '{}' failed", e.getKey(), who(), ex);
      } finally {
        try {
          if (s.isOpen()) {
            s.close();
          }
        } catch (RuntimeException ex) {
          log.warn(
              "closing the session on database '{}' of role '{}' failed", e.getKey(), who(), ex);
        }
      }
    }
    sessions.clear();
    if (Thread.currentThread() == thread) {
      owner.closed(this);
    }
  }

  /** The role for a log line or message: whatever PostgreSQL allowed as a name, escaped. */
  private String who() {
    return LogText.escape(login.role(), 64);
  }

  @Override
  public String toString() {
    return "UnitOfWork[" + who() + ", open: " + openDatabases() + (closed ? ", closed" : "") + "]";
  }
}
