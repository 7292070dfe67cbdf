package io.userbound.benchmarks;

import io.userbound.testkit.PostgresOptions;
import io.userbound.testkit.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

/*
 * What a ROLE_SWITCHING gateway's membership list costs PostgreSQL, without Userbound: the time
 * of one SET ROLE on a gateway connection that is a member of N roles, warm, and right after
 * another session granted the gateway one more role (each membership change makes every backend
 * rebuild its cached list of the roles it is a member of, on its next check). It explains the
 * soak's figures with members=10000 (README, Reliability).
 *
 *   java [-Duserbound.pg.version=18] -cp benchmarks/target/benchmarks.jar \
 *       io.userbound.benchmarks.MembershipProbe [members=200,10000] [warm=2000] [grants=30]
 *
 * For each N: a fresh server, a NOINHERIT gateway, N NOLOGIN roles created and granted to it
 * 1,000 to a round trip (the time is printed), one gateway connection (direct, loopback), 500
 * SET ROLEs to warm it, `warm` timed SET ROLEs to random members, then `grants` times: another
 * connection creates a role and grants it to the gateway, and the gateway's next SET ROLE is
 * timed. Times include the loopback round trip.
 */
final class MembershipProbe {

  private static final String GATEWAY = "probe_gateway";
  private static final String GATEWAY_PASSWORD = "Probe-gw-3c9a";
  private static final int PER_BATCH = 1_000;

  private MembershipProbe() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = Fixture.keyValues(args);
    int warm = Integer.parseInt(a.getOrDefault("warm", "2000"));
    int grants = Integer.parseInt(a.getOrDefault("grants", "30"));
    for (String n : a.getOrDefault("members", "200,10000").split(",")) {
      probe(Integer.parseInt(n.trim()), warm, grants);
    }
  }

  private static void probe(int members, int warm, int grants) throws SQLException {
    try (PostgresServer server =
        PostgresServer.start(PostgresOptions.builder().name("bench-membership").build())) {
      server.execute(
          "postgres",
          "CREATE ROLE "
              + GATEWAY
              + " LOGIN NOINHERIT PASSWORD '"
              + ScramVerifier.of(GATEWAY_PASSWORD.toCharArray())
              + "'");
      long started = System.nanoTime();
      for (int from = 0; from < members; from += PER_BATCH) {
        StringBuilder sql = new StringBuilder();
        List<String> names = new ArrayList<>();
        for (int i = from; i < Math.min(members, from + PER_BATCH); i++) {
          names.add("m" + i);
          sql.append("CREATE ROLE m").append(i).append(" NOLOGIN;\n");
        }
        sql.append("GRANT ").append(String.join(", ", names)).append(" TO ").append(GATEWAY);
        server.execute("postgres", sql.toString());
      }
      double setupSeconds = (System.nanoTime() - started) / 1e9;
      Properties props = new Properties();
      props.setProperty("user", GATEWAY);
      props.setProperty("password", GATEWAY_PASSWORD);
      try (Connection gateway = DriverManager.getConnection(server.jdbcUrl("postgres"), props);
          Statement st = gateway.createStatement()) {
        Random random = new Random(1);
        for (int i = 0; i < 500; i++) {
          st.execute("SET ROLE m" + random.nextInt(members)); // warm-up
        }
        long[] warmNanos = new long[warm];
        for (int i = 0; i < warm; i++) {
          String sql = "SET ROLE m" + random.nextInt(members);
          long t = System.nanoTime();
          st.execute(sql);
          warmNanos[i] = System.nanoTime() - t;
        }
        long[] afterNanos = new long[grants];
        for (int i = 0; i < grants; i++) {
          server.execute(
              "postgres", "CREATE ROLE extra" + i + " NOLOGIN; GRANT extra" + i + " TO " + GATEWAY);
          String sql = "SET ROLE m" + random.nextInt(members);
          long t = System.nanoTime();
          st.execute(sql);
          afterNanos[i] = System.nanoTime() - t;
        }
        Arrays.sort(warmNanos);
        Arrays.sort(afterNanos);
        System.out.printf(
            Locale.ROOT,
            "PostgreSQL %d, %,d members (created and granted in %.1f s): SET ROLE warm p50 %.0f µs,"
                + " p99 %.0f µs; the first after a GRANT p50 %.1f ms, max %.1f ms%n",
            server.majorVersion(),
            members,
            setupSeconds,
            warmNanos[warm / 2] / 1e3,
            warmNanos[(int) (warm * 0.99)] / 1e3,
            afterNanos[grants / 2] / 1e6,
            afterNanos[grants - 1] / 1e6);
      }
    }
  }
}
