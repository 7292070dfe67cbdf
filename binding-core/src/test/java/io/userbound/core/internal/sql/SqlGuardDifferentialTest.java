package io.userbound.core.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import io.userbound.testkit.TestPasswords;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/**
 * The guard against the real thing: generated and mutated SQL text (SqlFuzz) is classified,
 * and every text the guard would let through under ROLE_SWITCHING (neither ROLE nor
 * UNREADABLE) is run on PostgreSQL as a gateway connection runs it, in the three ways
 * pgjdbc sends text:
 *
 * <ul>
 *   <li>a Statement with preferQueryMode=simple: the whole text in one simple query, split
 *       by the server's lexer;
 *   <li>a PreparedStatement with preferQueryMode=simple: pieces split by pgjdbc's lexer,
 *       each its own simple query (a failing piece does not stop the next);
 *   <li>a Statement in the default extended mode: pieces split by pgjdbc, one Sync.
 * </ul>
 *
 * <p>After each run: {@code current_user} must still be the person and {@code session_user}
 * the gateway, {@code standard_conforming_strings} on and no transaction open (else the guard
 * let a role change, a change of its own reading, or transaction control through); and when
 * the guard said CLEAN, no session state may have survived (session-level settings, temporary
 * tables, SQL-level prepared statements, cursors, LISTEN, advisory locks). Server errors are
 * fine: most mutated text is not valid SQL. A disagreement fails with the text as a Java
 * literal, to be kept in {@link SqlClassifierTest#escapes()} once fixed, and the seed.
 *
 * <p>A short run is part of the build. A long run, on demand:
 *
 * <pre>
 * mvn -pl binding-core test -Dtest=SqlGuardDifferentialTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dguard.fuzz.count=200000 -Dguard.fuzz.seed=$RANDOM
 * </pre>
 */
@ExtendWith(PostgresExtension.class)
@Tag("direct-server-only") // startup options and a session-level SET ROLE: not through PgBouncer
class SqlGuardDifferentialTest {

  static final long DEFAULT_SEED = 20_261_207L;

  private static final String STATE =
      "select current_user, session_user, current_setting('standard_conforming_strings'),"
          + " coalesce((select string_agg(name || '=' || setting, ',' order by name)"
          + " from pg_settings where source = 'session'), '')"
          + " || '|' || (select count(*) from pg_class where relnamespace = pg_my_temp_schema())"
          + " || '|' || coalesce((select string_agg(name, ',' order by name)"
          + " from pg_prepared_statements where from_sql), '')"
          + " || '|' || coalesce((select string_agg(name, ',' order by name) from pg_cursors), '')"
          + " || '|' || coalesce((select string_agg(c, ',' order by c)"
          + " from pg_listening_channels() c), '')"
          + " || '|' || (select count(*) from pg_locks"
          + " where locktype = 'advisory' and pid = pg_backend_pid())";

  private enum Mode {
    SIMPLE_STATEMENT,
    SIMPLE_PREPARED,
    EXTENDED_STATEMENT
  }

  private PostgresServer server;
  private String database;
  private String gateway;
  private String person;
  private char[] password;
  private final Map<Mode, Connection> connections = new EnumMap<>(Mode.class);
  private final Map<Mode, String> baselines = new EnumMap<>(Mode.class);
  private int driverFailures;
  private int unobserved;

  @Test
  void theGuard_readsSqlAsTheServerAndPgjdbcDo(PostgresServer server, TestNames names)
      throws Exception {
    long seed = seed();
    int count = Integer.getInteger("guard.fuzz.count", 4_000);
    this.server = server;
    setUp(names);
    SqlFuzz fuzz = new SqlFuzz(seed, names.role("fuzz_canary"), gateway);
    List<String> disagreements = new ArrayList<>();
    int ran = 0;
    int refused = 0;
    long started = System.nanoTime();
    try {
      for (int k = 0; k < count && disagreements.size() < 10; k++) {
        String sql = fuzz.next();
        int flags = SqlClassifier.classify(sql);
        if ((flags & (SqlClassifier.ROLE | SqlClassifier.UNREADABLE)) != 0) {
          refused++;
          continue;
        }
        ran++;
        for (Mode mode : Mode.values()) {
          String wrong = run(mode, sql, flags);
          if (wrong != null) {
            disagreements.add(
                mode + ": " + wrong + ", flags " + flags + ": \"" + SqlFuzz.escape(sql) + "\"");
            break;
          }
        }
      }
    } finally {
      for (Connection c : connections.values()) {
        c.close();
      }
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    System.out.printf(
        "guard fuzz: seed %d, %d generated, %d refused, %d run on the server (3 ways), %d"
            + " disagreements, %d ms (pgjdbc failed %d times, %d runs unobserved)%n",
        seed, count, refused, ran, disagreements.size(), millis, driverFailures, unobserved);
    assertThat(disagreements).as("the guard and the server disagree (seed " + seed + ")").isEmpty();
  }

  private static long seed() {
    String s = System.getProperty("guard.fuzz.seed");
    return s == null || s.isBlank() ? DEFAULT_SEED : Long.parseLong(s.strip());
  }

  private void setUp(TestNames names) throws SQLException {
    database = names.createDatabase();
    password = TestPasswords.fresh();
    gateway = names.login(password);
    person = names.role("fuzz_alice");
    String canary = names.role("fuzz_canary");
    server.createGroupRole(person);
    server.createGroupRole(canary);
    server.execute(
        "postgres",
        "ALTER ROLE "
            + gateway
            + " NOINHERIT; GRANT "
            + person
            + " TO "
            + gateway
            + "; GRANT "
            + canary
            + " TO "
            + gateway);
    for (Mode mode : Mode.values()) {
      connect(mode);
    }
  }

  private void connect(Mode mode) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", gateway);
    props.setProperty("password", new String(password));
    props.setProperty("preferQueryMode", mode == Mode.EXTENDED_STATEMENT ? "extended" : "simple");
    props.setProperty("options", "-c statement_timeout=5000 -c lock_timeout=2000");
    props.setProperty("socketTimeout", "30");
    Connection c = DriverManager.getConnection(server.jdbcUrl(database), props);
    try (Statement st = c.createStatement()) {
      st.execute("SET ROLE " + person);
    }
    connections.put(mode, c);
    baselines.put(mode, state(c)[3]);
  }

  /* Runs the text one way; null if the server agrees with the guard, else what went wrong. */
  private String run(Mode mode, String sql, int flags) throws SQLException {
    Connection c = connections.get(mode);
    try {
      switch (mode) {
        case SIMPLE_STATEMENT, EXTENDED_STATEMENT -> {
          try (Statement st = c.createStatement()) {
            st.execute(sql);
          }
        }
        case SIMPLE_PREPARED -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            bindNulls(ps);
            ps.execute();
          }
        }
      }
    } catch (SQLException e) {
      // most generated text is not valid SQL; what counts is what it did
    } catch (RuntimeException e) {
      // pgjdbc can lose its footing on odd text (IllegalStateException in simple mode): the
      // state is still read below, and if that fails too the run is counted as unobserved
      driverFailures++;
    }
    if (c.isClosed()) {
      connect(mode);
      return null;
    }
    TransactionState tx = c.unwrap(BaseConnection.class).getTransactionState();
    if (tx != TransactionState.IDLE) {
      reconnect(mode);
      return "a transaction was left " + tx;
    }
    String[] state = observe(c);
    if (state == null) {
      unobserved++;
      reconnect(mode);
      return null;
    }
    String wrong = null;
    if (!state[0].equals(person) || !state[1].equals(gateway)) {
      wrong = "the role changed to current_user " + state[0] + ", session_user " + state[1];
    } else if (!state[2].equals("on")) {
      wrong = "standard_conforming_strings is " + state[2];
    } else if ((flags & SqlClassifier.SESSION) == 0 && !state[3].equals(baselines.get(mode))) {
      wrong = "session state survived: " + state[3];
    }
    if (wrong != null || !state[3].equals(baselines.get(mode))) {
      reset(mode);
    }
    return wrong;
  }

  private static void bindNulls(PreparedStatement ps) {
    for (int k = 1; ; k++) {
      try {
        ps.setNull(k, Types.VARCHAR);
      } catch (SQLException e) {
        return; // past the last parameter
      }
    }
  }

  private static String[] state(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(STATE)) {
      if (rs.getMetaData().getColumnCount() != 4
          || !rs.getMetaData().getColumnLabel(1).equals("current_user")
          || !rs.next()) {
        throw new SQLException("not the state query's result: a leftover of the last text");
      }
      return new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)};
    }
  }

  /*
   * The state, or null if it cannot be read. With preferQueryMode=simple, pgjdbc can leave
   * the results of a piece after a failing one unread; they surface on the next queries.
   */
  private static String[] observe(Connection c) {
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        return state(c);
      } catch (SQLException | RuntimeException e) {
        // read past what the last text left behind
      }
    }
    return null;
  }

  private void reset(Mode mode) throws SQLException {
    Connection c = connections.get(mode);
    try (Statement st = c.createStatement()) {
      st.execute("DISCARD ALL");
      st.execute("SET ROLE " + person);
    } catch (SQLException | RuntimeException e) {
      reconnect(mode);
      return;
    }
    String[] state = observe(c);
    if (state == null || !state[3].equals(baselines.get(mode))) {
      reconnect(mode);
    }
  }

  private void reconnect(Mode mode) throws SQLException {
    try {
      connections.get(mode).close();
    } catch (SQLException e) {
      // it is replaced either way
    }
    connect(mode);
  }
}
