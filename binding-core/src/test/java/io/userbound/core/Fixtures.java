package io.userbound.core;

import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import io.userbound.testkit.TestPasswords;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/** Small helpers shared by the core tests. */
final class Fixtures {

  private Fixtures() {}

  /** A person with a login role on the shared server. */
  @SuppressWarnings("ArrayRecordComponent") // the password is wiped, never compared
  record Person(String role, char[] password) {}

  static Person person(TestNames names) {
    char[] pw = TestPasswords.fresh();
    return new Person(names.login(pw), pw);
  }

  static DatabaseConfig.Builder database(String name, PostgresServer server, String database) {
    return DatabaseConfig.builder(name, server.jdbcUrl(database))
        .connectionTimeout(Duration.ofSeconds(2));
  }

  static Userbound userbound(DatabaseConfig... databases) {
    UserboundConfig.Builder b = UserboundConfig.builder();
    for (DatabaseConfig d : databases) {
      b.database(d);
    }
    return userbound(b.build());
  }

  static Userbound userbound(UserboundConfig config) {
    return track(Userbound.create(config));
  }

  static Userbound track(Userbound ub) {
    return UserboundLeaks.track(ub);
  }

  static Userbound userbound(PostgresServer server) {
    return userbound(database("main", server, "postgres").build());
  }

  static String currentUser(Connection c) throws SQLException {
    try (var st = c.createStatement();
        var rs = st.executeQuery("select current_user, session_user")) {
      rs.next();
      String current = rs.getString(1);
      String session = rs.getString(2);
      return current.equals(session) ? current : current + "/" + session;
    }
  }
}
