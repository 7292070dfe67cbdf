package io.userbound.core.internal;

import io.userbound.core.DatabaseConfig;
import io.userbound.core.Ticker;
import io.userbound.core.UnsafeGatewayException;
import io.userbound.core.UserboundEvent;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.postgresql.core.BaseConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * The one pool of a ROLE_SWITCHING database: physical connections logged in as the gateway
 * role, each tagged with the person it last served. A request of alice takes, in this
 * order: an idle connection that last served alice (no session reset needed: the common
 * case for people who come back), the least recently returned idle connection (its first
 * statement then carries the session reset, in the same round trip), a new gateway
 * connection under the budget, or it waits for one to come back, up to the connection
 * timeout.
 *
 * Why not HikariCP, as for DEDICATED_POOLS: HikariCP hands out whichever idle connection
 * its bag finds first (the one this thread used last, if idle) and has no way to ask for a
 * connection by a label (what Oracle UCP calls connection labeling). Alice would then
 * almost never find a connection that last served her, and would pay the reset on nearly
 * every request. What this pool needs of a pool is small: a lock, two maps and a list.
 *
 * THE ROLE travels with the work (InBand): every statement of a borrow goes out with
 * set_config('role', person, true) in front and an identity check behind, in the same round
 * trip; the role is transaction-scoped, so nothing outlives a transaction and no tag is
 * trusted. A slot's owner (the person it last served) only decides whether the first
 * statement of the next borrow also carries the session reset: when the backend moves to
 * another person, or when its last borrow may have left session state (HandBack marks the
 * slot dirty instead of spending a round trip), it does. Whether the person may still log in
 * and connect (LOGIN, VALID UNTIL, CONNECT) rides along at most every 30 s per person.
 *
 * SIZE. A request that finds no idle connection its person used last takes one nobody
 * used or, failing that, the least recently returned one; only when none is idle does
 * it open a new one (under the budget). So the pool is as large as the requests in flight
 * at the busiest moment, not as the budget. Growing it in the background to the budget, so
 * that more people keep a connection set to them, was measured (ManyPeople, 10,000 people,
 * budget 100, 2 cores): the hit rate went from 2 % to 37 % but a request took 1.8 times
 * as long, as each switch then lands on one of 100 cold backends instead of 4 hot ones
 * (measured with the 0.1 switch, a round trip of its own).
 *
 * BUDGET. Every gateway connection holds a budget permit, as a person's connection does
 * under DEDICATED_POOLS; so do the connections that verify a person's password on this
 * database, for a moment. The pool never holds more connections than the budget.
 *
 * THE GATEWAY is checked on each new connection (GATEWAY_CHECK): not a superuser, NOINHERIT,
 * without CREATEROLE, BYPASSRLS or REPLICATION, owning nothing, holding no privilege of
 * its own and no membership of a privileged role. On PostgreSQL 16+, where INHERIT is an option
 * of each membership and the role's NOINHERIT only its default, no membership may inherit
 * either (INHERITING_GRANTS): each person is granted WITH INHERIT FALSE, SET TRUE. A gateway that fails is never used: the
 * connection is closed and UnsafeGatewayException says what to fix.
 *
 * Thread-safety: one lock guards the maps, the LRU list and the counts; network I/O (open,
 * close) always runs outside it.
 */
final class GatewayPool implements InBand.Owner {

  private static final Logger log = LoggerFactory.getLogger(GatewayPool.class);

  private static final String UNTAGGED = "";

  /*
   * What a gateway must not have; see the class comment. One row, for session_user. Every
   * function, operator and type is schema-qualified, as in every text Userbound runs in a
   * session: an '=' of someone's making found before pg_catalog's must not answer these.
   */
  private static final String EQ = " operator(pg_catalog.=) ";

  private static final String PLUS = " operator(pg_catalog.+) ";

  private static final String GATEWAY_CHECK =
      "select r.rolsuper, r.rolinherit, r.rolcreaterole, r.rolbypassrls, r.rolreplication,"
          + " (select pg_catalog.count(*) from pg_catalog.pg_class c where c.relowner"
          + EQ
          + "r.oid)"
          + PLUS
          + "(select pg_catalog.count(*) from pg_catalog.pg_namespace n where n.nspowner"
          + EQ
          + "r.oid)"
          + PLUS
          + "(select pg_catalog.count(*) from pg_catalog.pg_proc p where p.proowner"
          + EQ
          + "r.oid)"
          + PLUS
          + "(select pg_catalog.count(*) from pg_catalog.pg_type t where t.typowner"
          + EQ
          + "r.oid)"
          + PLUS
          + "(select pg_catalog.count(*) from pg_catalog.pg_database d where d.datdba"
          + EQ
          + "r.oid),"
          + " (select pg_catalog.count(*) from pg_catalog.pg_class c,"
          + " pg_catalog.aclexplode(c.relacl) a where a.grantee"
          + EQ
          + "r.oid)"
          + PLUS
          + "(select pg_catalog.count(*) from pg_catalog.pg_attribute t,"
          + " pg_catalog.aclexplode(t.attacl) a where a.grantee"
          + EQ
          + "r.oid)"
          + PLUS
          + "(select pg_catalog.count(*) from pg_catalog.pg_namespace n,"
          + " pg_catalog.aclexplode(n.nspacl) a where a.grantee"
          + EQ
          + "r.oid)"
          + PLUS
          + "(select pg_catalog.count(*) from pg_catalog.pg_proc p,"
          + " pg_catalog.aclexplode(p.proacl) a where a.grantee"
          + EQ
          + "r.oid),"
          + " pg_catalog.has_database_privilege(r.oid, pg_catalog.current_database(), 'CREATE'),"
          + " array(with recursive m(id) as (select roleid from pg_catalog.pg_auth_members"
          + " where member"
          + EQ
          + "r.oid union select a.roleid from pg_catalog.pg_auth_members a join m on a.member"
          + EQ
          + "m.id) select g.rolname::pg_catalog.text from pg_catalog.pg_roles g join m on g.oid"
          + EQ
          + "m.id where g.rolsuper or g.rolbypassrls or g.rolcreaterole or g.rolreplication or"
          + " g.rolname operator(pg_catalog.~~) 'pg\\_%' order by 1),"
          + " (select pg_catalog.count(*) from pg_catalog.pg_auth_members a where a.member"
          + EQ
          + "r.oid and a.admin_option)"
          + " from pg_catalog.pg_roles r where r.rolname"
          + EQ
          + "session_user";

  /*
   * PostgreSQL 16+: the roles whose membership the gateway inherits, whatever the gateway's own
   * INHERIT says (16 made INHERIT an option of each grant; the role's is only the default).
   */
  private static final String INHERITING_GRANTS =
      "select g.rolname::pg_catalog.text from pg_catalog.pg_auth_members a join"
          + " pg_catalog.pg_roles r on r.oid"
          + EQ
          + "a.member join pg_catalog.pg_roles g on g.oid"
          + EQ
          + "a.roleid where r.rolname"
          + EQ
          + "session_user and a.inherit_option order by 1";

  /** How many of the inheriting grants a message names. */
  private static final int NAMED_IN_MESSAGE = 3;

  /** One gateway connection. Fields other than the final ones are guarded by the lock. */
  static final class Slot {
    final PhysicalConnection physical;
    final long openedAt = System.nanoTime();
    final int isolation;
    String tag; // the person it last served; null: nobody, or a reset is due whoever comes
    boolean dirty; // its last borrow may have left session state: the next one resets
    long returnedAt;
    Slot older;
    Slot newer;
    boolean idle;

    Slot(PhysicalConnection physical, int isolation) {
      this.physical = physical;
      this.isolation = isolation;
    }

    @Override
    public String toString() {
      return "slot[" + (tag == null ? "nobody's" : "last served " + Names.forMessage(tag)) + "]";
    }
  }

  /** A person with connections lent now: the per-person cap, and the Lender of a borrow. */
  final class Person implements Lender {
    final String role;
    int active; // guarded by the lock

    Person(String role) {
      this.role = role;
    }

    @Override
    public HandBack handBack() {
      return handBack;
    }

    @Override
    public boolean isShutDown() {
      return shutDown;
    }

    @Override
    public void touch() {}

    @Override
    public void evict(Connection connection) {
      discard(((GatewayConnection) connection).slot);
    }

    @Override
    public Connection another() throws SQLException {
      return take(this, System.nanoTime() + timeoutNanos, false);
    }

    @Override
    public int maxConnections() {
      return budget.size;
    }

    @Override
    public void endLease() {
      lock.lock();
      try {
        if (--active == 0) {
          people.remove(role, this);
        }
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }

    @Override
    public String toString() {
      return "gateway pool of database '" + config.name() + "' for " + Names.forMessage(role);
    }
  }

  private final DatabaseConfig config;
  private final Budget budget;
  private final PhysicalConnector connector;
  private final HandBack handBack;
  private final Executor closer;
  private final Ticker ticker;
  // How long a check of LOGIN, VALID UNTIL and CONNECT holds for a person's switches.
  private final long recheckNanos;
  private final String gateway;
  private final char[] password;
  private final long timeoutNanos;
  private final LongAdder switches = new LongAdder();

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final HashMap<String, Person> people = new HashMap<>();
  private final HashMap<String, ArrayDeque<Slot>> idleByTag = new HashMap<>(); // by key()
  private final Set<Slot> lent = new HashSet<>();
  // When each person's right to log in and connect is to be checked again (ticker); only
  // people who switched within recheckNanos, cleaned by the housekeeping.
  private final HashMap<String, Long> checkedUntil = new HashMap<>();
  private Slot oldest; // the idle slots, least recently returned first
  private Slot newest;
  private int idle;
  private int opening;
  private int waiting;
  private volatile boolean shutDown;

  GatewayPool(
      DatabaseConfig config,
      Budget budget,
      PhysicalConnector connector,
      HandBack handBack,
      Executor closer,
      Ticker ticker) {
    this.ticker = ticker;
    this.config = config;
    this.budget = budget;
    this.connector = connector;
    this.handBack = handBack;
    this.closer = closer;
    this.gateway = config.gatewayRole();
    this.password = ConfigSecrets.gatewayPassword(config);
    this.timeoutNanos = config.connectionTimeout().toNanos();
    this.recheckNanos = config.loginRecheck().toNanos(); // never zero here: see DatabaseConfig
  }

  String gatewayRole() {
    return gateway;
  }

  // ---- borrow -------------------------------------------------------------------------

  /** A connection set to this person's role; waits up to the connection timeout. */
  PooledConnection borrow(String role) throws SQLException {
    return borrow(role, false);
  }

  /**
   * As {@link #borrow(String)}; {@code ownCheck}: the caller's statement asks LOGIN, VALID
   * UNTIL and CONNECT itself (a token login being verified), so the first statement carries
   * no login check of its own.
   */
  PooledConnection borrow(String role, boolean ownCheck) throws SQLException {
    long deadline = System.nanoTime() + timeoutNanos;
    Person person;
    lock.lock();
    try {
      person = people.computeIfAbsent(role, Person::new);
      while (person.active >= config.maxConnectionsPerPerson()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new SQLTransientConnectionException(
              Names.forMessage(role)
                  + " has "
                  + person.active
                  + " connections in use on database '"
                  + config.name()
                  + "' (maxConnectionsPerPerson); none came back in time",
              "08001");
        }
        awaitNanos(left);
        person = people.computeIfAbsent(role, Person::new);
      }
      person.active++;
    } finally {
      lock.unlock();
    }
    boolean ok = false;
    try {
      PooledConnection c = new PooledConnection(take(person, deadline, ownCheck), person);
      ok = true;
      return c;
    } finally {
      if (!ok) {
        person.endLease();
      }
    }
  }

  /* Takes a slot for a lease the person holds: one that served them last, another, or new. */
  private GatewayConnection take(Person person, long deadline, boolean ownCheck)
      throws SQLException {
    Slot s = null;
    boolean fresh = false;
    boolean waited = false;
    boolean exhausted = false;
    lock.lock();
    try {
      while (true) {
        if (shutDown) {
          throw new SQLNonTransientConnectionException(
              "Userbound was closed; no connection for " + person, "08003");
        }
        s = takeIdle(person.role);
        if (s != null) {
          lent.add(s);
          break;
        }
        if (lent.size() + idle + opening < budget.size && budget.tryAcquire()) {
          opening++;
          fresh = true;
          break;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          exhausted = true; // counted and told outside the lock
          break;
        }
        if (!waited) {
          waited = true;
          budget.waits.increment();
        }
        waiting++;
        try {
          awaitNanos(Math.min(left, Budget.SLICE_NANOS));
        } finally {
          waiting--;
        }
      }
    } finally {
      lock.unlock();
    }
    if (exhausted) {
      throw budget.exhausted(person.role);
    }
    if (fresh) {
      s = open(); // the permit now belongs to the connection, or came back on failure
    }
    // A connection that died while idle is found by PooledConnection's one check before
    // first use, which discards it and takes another (Person.evict, Person.another).
    boolean moved = !fresh && (s.dirty || !person.role.equals(s.tag));
    if (moved) {
      switches.increment();
    }
    // Checked before first use (PooledConnection); the role rides with every statement.
    return new GatewayConnection(
        this,
        s,
        new InBand(this, s.physical, person.role, moved, !ownCheck && recheckDue(person.role)));
  }

  /*
   * Under the lock: an idle slot set to this role (the most recently returned one), else
   * one set to nobody, else the least recently returned one (whose person is then the one
   * least likely to come back soon).
   */
  private Slot takeIdle(String role) {
    ArrayDeque<Slot> mine = idleByTag.get(role);
    Slot s = mine == null ? null : mine.peekLast();
    if (s == null) {
      ArrayDeque<Slot> nobody = idleByTag.get(UNTAGGED);
      s = nobody == null ? null : nobody.peekLast();
    }
    if (s == null) {
      s = oldest;
    }
    if (s != null) {
      removeIdle(s);
    }
    return s;
  }

  /* Whether this person's LOGIN, VALID UNTIL and CONNECT were last checked too long ago. */
  private boolean recheckDue(String role) {
    lock.lock();
    try {
      Long until = checkedUntil.get(role);
      return until == null || ticker.read() - until >= 0;
    } finally {
      lock.unlock();
    }
  }

  // ---- InBand.Owner ------------------------------------------------------------------

  @Override
  public String database() {
    return config.name();
  }

  @Override
  public void revoked(String role) {
    forget(role);
    handBack.signals.event(
        UserboundEvent.Type.LOGIN_REVOKED,
        config.name(),
        role,
        null,
        "PostgreSQL would refuse this login now (VALID UNTIL passed, NOLOGIN, CONNECT revoked"
            + " or the role dropped); the statement was refused");
  }

  @Override
  public void violated(String role, String detail) {
    log.warn(
        "database '{}': refused and closed a gateway connection of {}: {}",
        config.name(),
        Names.forMessage(role),
        detail);
    handBack.signals.event(
        UserboundEvent.Type.ROLE_CHANGE_REFUSED, config.name(), role, null, detail);
  }

  @Override
  public void rechecked(String role) {
    lock.lock();
    try {
      checkedUntil.put(role, ticker.read() + recheckNanos);
    } finally {
      lock.unlock();
    }
  }

  /** A new gateway connection, checked; the caller took a permit and counted it opening. */
  private Slot open() throws SQLException {
    PhysicalConnection p;
    try {
      p = connector.open(gateway, password, budget);
    } catch (SQLException | RuntimeException e) {
      budget.release(); // the connect failed: the permit never passed to a connection
      opened(null);
      if (e instanceof SQLException s) {
        String state = s.getSQLState() == null ? "" : s.getSQLState();
        if (state.equals("28P01") || state.equals("28000")) {
          throw new SQLException(
              "database '"
                  + config.name()
                  + "' refused the login of the gateway role "
                  + Names.forMessage(gateway)
                  + " (SQLSTATE "
                  + state
                  + "): check the credentials given to roleSwitching(...)",
              "08004",
              s);
        }
      }
      throw e;
    }
    try {
      checkGateway(p);
      Slot s = new Slot(p, p.getTransactionIsolation());
      opened(s);
      return s;
    } catch (SQLException | RuntimeException e) {
      closeLater(p); // its permit comes back when it has closed
      throw e;
    }
  }

  /* The open in flight ended: lent from now on (s), or failed (null). */
  private void opened(Slot s) throws SQLException {
    lock.lock();
    try {
      opening--;
      changed.signalAll();
      if (s != null) {
        if (shutDown) {
          throw new SQLNonTransientConnectionException("Userbound was closed", "08003");
        }
        lent.add(s);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Checks the gateway on a new connection; refuses it with what to fix. */
  private void checkGateway(PhysicalConnection p) throws SQLException {
    List<String> problems = new ArrayList<>();
    String q = Names.quoteIdentifier(gateway);
    try (Statement st = p.delegate.createStatement();
        ResultSet rs = st.executeQuery(GATEWAY_CHECK)) {
      if (!rs.next()) {
        throw new SQLException("the gateway role is not in pg_roles", "28000");
      }
      if (rs.getBoolean(1)) {
        problems.add("it is a superuser (ALTER ROLE " + q + " NOSUPERUSER)");
      }
      if (rs.getBoolean(2)) {
        problems.add(
            "it inherits the privileges of every person it is a member of (ALTER ROLE "
                + q
                + " NOINHERIT)");
      }
      if (rs.getBoolean(3)) {
        problems.add("it may create roles (ALTER ROLE " + q + " NOCREATEROLE)");
      }
      if (rs.getBoolean(4)) {
        problems.add("it bypasses row-level security (ALTER ROLE " + q + " NOBYPASSRLS)");
      }
      if (rs.getBoolean(5)) {
        problems.add("it has REPLICATION (ALTER ROLE " + q + " NOREPLICATION)");
      }
      long owned = rs.getLong(6);
      if (owned > 0) {
        problems.add(
            "it owns "
                + owned
                + " objects in this database, or the database (REASSIGN OWNED BY "
                + q
                + " TO <owner>)");
      }
      long granted = rs.getLong(7);
      if (granted > 0) {
        problems.add(
            "it holds "
                + granted
                + " privileges of its own on tables, columns, schemas or functions (REVOKE ALL"
                + " ... FROM "
                + q
                + ")");
      }
      if (rs.getBoolean(8)) {
        problems.add(
            "it may create schemas in this database (REVOKE CREATE ON DATABASE ... FROM "
                + q
                + ")");
      }
      Array a = rs.getArray(9);
      String[] privileged = (String[]) a.getArray();
      a.free();
      if (privileged.length > 0) {
        problems.add(
            "it is a member of privileged roles "
                + Arrays.toString(privileged)
                + ", which it could SET ROLE to (REVOKE <role> FROM "
                + q
                + ")");
      }
      long admin = rs.getLong(10);
      if (admin > 0) {
        problems.add(
            "it holds "
                + admin
                + " memberships WITH ADMIN OPTION, so it could grant persons' roles to anyone"
                + " (REVOKE ADMIN OPTION FOR <person> FROM "
                + q
                + ")");
      }
    }
    if (p.delegate.unwrap(BaseConnection.class).haveMinimumServerVersion(160000)) {
      List<String> inheriting = new ArrayList<>();
      try (Statement st = p.delegate.createStatement();
          ResultSet rs = st.executeQuery(INHERITING_GRANTS)) {
        while (rs.next()) {
          inheriting.add(rs.getString(1));
        }
      }
      if (!inheriting.isEmpty()) {
        List<String> named = new ArrayList<>();
        for (String role : inheriting.subList(0, Math.min(NAMED_IN_MESSAGE, inheriting.size()))) {
          named.add(Names.forMessage(role));
        }
        String first = inheriting.get(0);
        String example = first.matches("[a-z_][a-z0-9_$]{0,62}") ? first : "<person>";
        problems.add(
            "it inherits the privileges of "
                + inheriting.size()
                + " of the roles it is a member of ("
                + String.join(", ", named)
                + (inheriting.size() > NAMED_IN_MESSAGE ? ", ..." : "")
                + "), a membership option since PostgreSQL 16 (grant each again without"
                + " inheritance: GRANT "
                + example
                + " TO "
                + q
                + " WITH INHERIT FALSE, SET TRUE)");
      }
    }
    if (!problems.isEmpty()) {
      throw new UnsafeGatewayException(
          config.name(),
          "the gateway role "
              + Names.forMessage(gateway)
              + " of database '"
              + config.name()
              + "' is refused for ROLE_SWITCHING: "
              + String.join("; ", problems)
              + ". A gateway needs nothing but LOGIN and membership of each person's role");
    }
  }

  /** Opens one gateway connection now and keeps it: the start-up check. */
  void warmUp() throws SQLException {
    if (!budget.tryAcquire()) {
      return;
    }
    lock.lock();
    try {
      opening++;
    } finally {
      lock.unlock();
    }
    Slot s = open();
    ready(s);
  }

  // ---- hand-back ----------------------------------------------------------------------

  /** GatewayConnection.close(): the session was reset; the slot becomes idle again. */
  void giveBack(GatewayConnection c) {
    Slot s = c.slot;
    s.tag = c.inBand.role;
    s.dirty = c.leavesState();
    try {
      c.restore();
    } catch (SQLException | RuntimeException e) {
      log.debug("{}: restoring a gateway connection failed: {}", this, e.toString());
      discard(s);
      return;
    }
    if (System.nanoTime() - s.openedAt >= config.maxLifetime().toNanos()) {
      discard(s);
      return;
    }
    ready(s);
  }

  private void ready(Slot s) {
    boolean close = false;
    lock.lock();
    try {
      if (!lent.remove(s) || s.idle) {
        return; // discarded meanwhile (shutdown)
      }
      if (shutDown) {
        close = true;
      } else {
        s.returnedAt = System.nanoTime();
        linkNewest(s);
        idleByTag.computeIfAbsent(key(s.tag), t -> new ArrayDeque<>(2)).addLast(s);
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
    if (close) {
      closeLater(s.physical);
    }
  }

  /** Closes a slot instead of reusing it (dead, reset failed, shutdown, evicted). */
  void discard(Slot s) {
    boolean was;
    lock.lock();
    try {
      was = lent.remove(s);
      if (s.idle) {
        removeIdle(s);
        was = true;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (was) {
      closeLater(s.physical);
    }
  }

  // ---- housekeeping -------------------------------------------------------------------

  /** Closes the least recently returned idle connection (a reclaim); false if none. */
  boolean closeOldestIdle() {
    Slot s;
    lock.lock();
    try {
      s = oldest;
      if (s == null) {
        return false;
      }
      removeIdle(s);
    } finally {
      lock.unlock();
    }
    closeLater(s.physical);
    return true;
  }

  /** Closes connections idle longer than the idle timeout or older than the max lifetime. */
  void housekeep() {
    try {
      expire();
    } catch (RuntimeException e) {
      log.warn("{}: housekeeping failed: {}", this, e.toString()); // runs again next time
    }
  }

  private void expire() {
    long now = System.nanoTime();
    long idleNanos = config.idleTimeout().toNanos();
    long lifeNanos = config.maxLifetime().toNanos();
    List<Slot> expired = new ArrayList<>();
    lock.lock();
    try {
      long tick = ticker.read();
      checkedUntil.values().removeIf(until -> tick - until >= 0);
      for (Slot s = oldest; s != null; ) {
        Slot next = s.newer;
        if (now - s.returnedAt >= idleNanos || now - s.openedAt >= lifeNanos) {
          removeIdle(s);
          expired.add(s);
        }
        s = next;
      }
    } finally {
      lock.unlock();
    }
    for (Slot s : expired) {
      closeLater(s.physical);
    }
  }

  /** Logout: nothing stays set to this person (the next request of anyone switches). */
  boolean forget(String role) {
    lock.lock();
    try {
      checkedUntil.remove(role);
      ArrayDeque<Slot> mine = idleByTag.remove(role);
      if (mine != null) {
        for (Slot s : mine) {
          s.tag = null;
        }
        idleByTag.computeIfAbsent(UNTAGGED, t -> new ArrayDeque<>()).addAll(mine);
      }
      return mine != null && !mine.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  /** Userbound.close(): every connection closes now, lent ones included. */
  void shutDown() {
    List<Slot> all = new ArrayList<>();
    lock.lock();
    try {
      shutDown = true;
      while (oldest != null) {
        all.add(oldest);
        removeIdle(oldest);
      }
      all.addAll(lent);
      lent.clear();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    for (Slot s : all) {
      try {
        s.physical.abort(Runnable::run);
      } catch (SQLException | RuntimeException e) {
        log.debug("aborting a gateway connection failed: {}", e.toString());
      }
    }
    Arrays.fill(password, '\0');
  }

  // ---- figures ------------------------------------------------------------------------

  int active() {
    lock.lock();
    try {
      return lent.size();
    } finally {
      lock.unlock();
    }
  }

  int idle() {
    lock.lock();
    try {
      return idle;
    } finally {
      lock.unlock();
    }
  }

  int waiting() {
    lock.lock();
    try {
      return waiting;
    } finally {
      lock.unlock();
    }
  }

  long switches() {
    return switches.sum();
  }

  // ---- the LRU list of idle slots (under the lock) ----------------------------------

  private void linkNewest(Slot s) {
    s.idle = true;
    s.older = newest;
    s.newer = null;
    if (newest == null) {
      oldest = s;
    } else {
      newest.newer = s;
    }
    newest = s;
    idle++;
  }

  private void unlink(Slot s) {
    if (s.older == null) {
      oldest = s.newer;
    } else {
      s.older.newer = s.newer;
    }
    if (s.newer == null) {
      newest = s.older;
    } else {
      s.newer.older = s.older;
    }
    s.older = null;
    s.newer = null;
    s.idle = false;
    idle--;
  }

  private void removeIdle(Slot s) {
    String key = key(s.tag);
    ArrayDeque<Slot> q = idleByTag.get(key);
    if (q != null) {
      q.removeLastOccurrence(s);
      if (q.isEmpty()) {
        idleByTag.remove(key);
      }
    }
    unlink(s);
  }

  /* The key of idleByTag: the role, or UNTAGGED (no role name is empty: checkLogin). */
  private static String key(String tag) {
    return tag == null ? UNTAGGED : tag;
  }

  @SuppressWarnings("WaitNotInLoop") // every caller loops on its own condition
  private void awaitNanos(long nanos) throws SQLException {
    try {
      changed.awaitNanos(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLTransientConnectionException(
          "interrupted while waiting for a connection", "08001");
    }
  }

  private void closeLater(PhysicalConnection p) {
    Runnable close =
        () -> {
          try {
            p.close();
          } catch (SQLException | RuntimeException e) {
            log.debug("closing a gateway connection failed: {}", e.toString());
          }
        };
    try {
      closer.execute(close);
    } catch (RejectedExecutionException e) {
      close.run();
    }
  }

  @Override
  public String toString() {
    return "GatewayPool[" + config.name() + ", gateway=" + Names.forMessage(gateway) + "]";
  }
}
