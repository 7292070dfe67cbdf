package io.userbound.benchmarks;

import io.userbound.testkit.PostgresOptions;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TcpProxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.postgresql.Driver;

/*
 * One throw-away PostgreSQL server for one benchmark trial, with a database and N login roles
 * ("people") that all share one password. Roles are created with one client-side SCRAM
 * verifier and batches of CREATE ROLE statements, so 10,000 people take a few seconds.
 *
 * Every trial (and so every JMH fork) starts its own server in @Setup(Level.Trial) and closes
 * it in @TearDown; the test kit also closes it from a shutdown hook if a fork dies.
 *
 * The database has one small table, item (ROWS rows, primary key id), that every person may
 * read and update: the primary-key select, the write transaction and the Hibernate unit of
 * work run against it. With a one-way delay, every client connection (pools, the control,
 * the login checks) goes through a TcpProxy that holds each direction's bytes for that long,
 * so one round trip costs twice the delay more than on loopback; setup SQL goes direct.
 */
final class Fixture implements AutoCloseable {

  static final String DATABASE = "bench";

  /** The password of every person. Not a secret: these servers live for one trial on loopback. */
  static final String PASSWORD = "Bench-pw-7d1f";

  /** Threads used to open many connections or logins during setup (not measured). */
  static final int SETUP_THREADS = 4;

  /** Rows in the item table; ids 1..ROWS. */
  static final int ROWS = 1_000;

  private static final Driver DRIVER = new Driver();
  private static final int ROLES_PER_BATCH = 1_000;

  final PostgresServer server;

  /** Where clients connect: the server, or the delaying proxy in front of it. */
  final String url;

  final String[] people;
  private final TcpProxy proxy;

  private Fixture(PostgresServer server, String[] people, TcpProxy proxy) {
    this.server = server;
    this.proxy = proxy;
    this.url = proxy == null ? server.jdbcUrl(DATABASE) : proxy.jdbcUrl(server, DATABASE);
    this.people = people;
  }

  /**
   * Starts a server and creates the database and the people.
   *
   * @param name a label for the server (log lines, temporary directory)
   * @param maxConnections the server's max_connections
   * @param people how many login roles to create
   */
  static Fixture start(String name, int maxConnections, int people) {
    return start(name, maxConnections, people, Duration.ZERO);
  }

  /**
   * Starts a server, creates the database, the item table and the people, and, if the delay
   * is positive, a proxy in front of the server that every client connection goes through.
   *
   * @param name a label for the server (log lines, temporary directory)
   * @param maxConnections the server's max_connections
   * @param people how many login roles to create
   * @param oneWayDelay how long the proxy holds each direction's bytes; zero for no proxy
   */
  static Fixture start(String name, int maxConnections, int people, Duration oneWayDelay) {
    return start(name, maxConnections, people, oneWayDelay, false);
  }

  /**
   * Starts a fixture, with autovacuum as asked: off for benchmarks (creating thousands of
   * roles right before measuring would otherwise wake it on the catalogs in the middle of a
   * trial), on for the soak, whose churn of roles and passwords runs for an hour, as in
   * production.
   *
   * @param name a label for the server (log lines, temporary directory)
   * @param maxConnections the server's max_connections
   * @param people how many login roles to create
   * @param oneWayDelay how long the proxy holds each direction's bytes; zero for no proxy
   * @param autovacuum whether autovacuum runs
   */
  static Fixture start(
      String name, int maxConnections, int people, Duration oneWayDelay, boolean autovacuum) {
    PostgresServer server =
        PostgresServer.start(
            PostgresOptions.builder()
                .name("bench-" + name)
                .maxConnections(maxConnections)
                .setting("autovacuum", autovacuum ? "on" : "off")
                .build());
    try {
      server.createDatabase(DATABASE);
      server.execute(
          DATABASE,
          "CREATE TABLE item (id integer PRIMARY KEY, name text NOT NULL, qty integer NOT NULL);"
              + " INSERT INTO item SELECT i, 'item ' || i, i % 100 FROM generate_series(1, "
              + ROWS
              + ") i;"
              + " GRANT SELECT, UPDATE ON item TO PUBLIC; ANALYZE item;");
      String[] roles = new String[people];
      String verifier = ScramVerifier.of(PASSWORD.toCharArray());
      StringBuilder sql = new StringBuilder();
      for (int i = 0; i < people; i++) {
        roles[i] = person(i);
        sql.append("CREATE ROLE ")
            .append(roles[i])
            .append(" LOGIN PASSWORD '")
            .append(verifier)
            .append("';\n");
        if ((i + 1) % ROLES_PER_BATCH == 0 || i == people - 1) {
          server.execute("postgres", sql.toString());
          sql.setLength(0);
        }
      }
      TcpProxy proxy =
          oneWayDelay.isZero() ? null : TcpProxy.start(server.host(), server.port(), oneWayDelay);
      return new Fixture(server, roles, proxy);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** The role name of person {@code i}: {@code p00000}, {@code p00001}, ... */
  static String person(int i) {
    return String.format("p%05d", i);
  }

  char[] password() {
    return PASSWORD.toCharArray();
  }

  /** Opens a new physical connection as a person, without any pool. */
  Connection open(String role) throws SQLException {
    return open(role, "bench");
  }

  /** Opens a new physical connection as a person, with this application_name. */
  Connection open(String role, String applicationName) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", role);
    props.setProperty("password", PASSWORD);
    props.setProperty("ApplicationName", applicationName);
    props.setProperty("assumeMinServerVersion", "10");
    return DRIVER.connect(url, props);
  }

  /** Opens one connection per person 0..n-1, in parallel. */
  Connection[] openMany(int n) {
    List<Connection> list =
        parallel(
            n,
            i -> {
              try {
                return open(people[i]);
              } catch (SQLException e) {
                throw new IllegalStateException("cannot open a connection as " + people[i], e);
              }
            });
    return list.toArray(new Connection[0]);
  }

  /** The server's version string, e.g. {@code 15.18 (Debian 15.18-0+deb12u1)}. */
  String serverVersion() {
    try (Connection c = server.adminConnection(DATABASE);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("show server_version")) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  /** Client backends open on the server now, all roles, excluding the one that asks. */
  int backends() {
    return server.backends().size();
  }

  @Override
  public void close() {
    try {
      if (proxy != null) {
        proxy.close();
      }
    } finally {
      server.close();
    }
  }

  /**
   * Runs {@code task(0..n-1)} on {@link #SETUP_THREADS} threads and returns the results in order.
   */
  /**
   * The key=value arguments of the benchmark mains, in order.
   *
   * @throws IllegalArgumentException for an argument without '='
   */
  static Map<String, String> keyValues(String[] args) {
    Map<String, String> a = new LinkedHashMap<>();
    for (String arg : args) {
      String[] kv = arg.split("=", 2);
      if (kv.length != 2) {
        throw new IllegalArgumentException("not key=value: " + arg);
      }
      a.put(kv[0], kv[1]);
    }
    return a;
  }

  static <T> List<T> parallel(int n, IntFunction<T> task) {
    ExecutorService pool = Executors.newFixedThreadPool(SETUP_THREADS);
    try {
      List<Future<T>> futures = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int index = i;
        futures.add(pool.submit(() -> task.apply(index)));
      }
      List<T> results = new ArrayList<>(n);
      for (Future<T> f : futures) {
        results.add(f.get());
      }
      return results;
    } catch (ExecutionException e) {
      throw new IllegalStateException("setup failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("setup interrupted", e);
    } finally {
      pool.shutdownNow();
    }
  }

  static void closeAll(Connection[] connections) {
    if (connections == null) {
      return;
    }
    for (Connection c : connections) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (SQLException ignored) {
        // The server is about to be closed anyway.
      }
    }
  }
}
