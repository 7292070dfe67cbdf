package io.userbound.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import io.userbound.testkit.TestPasswords;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;

/**
 * A physical connection's close() returns only once its backend has left the server: the
 * budget permit goes back right after it, so a backend still exiting would be one over the
 * budget (ChannelSocket's exit wait). pgjdbc closes its streams before the socket, which
 * must not skip the wait.
 */
@ExtendWith(PostgresExtension.class)
class ExitWaitTest {

  @Test
  void close_returnsOnlyOnceTheBackendIsGone(PostgresServer server, TestNames names)
      throws Exception {
    char[] password = TestPasswords.fresh();
    String role = names.role("exit");
    server.createLogin(role, password);
    Properties props = new Properties();
    props.setProperty("user", role);
    props.setProperty("password", new String(password));
    props.setProperty("socketFactory", ExitAwareSocketFactory.class.getName());
    List<Integer> stillThere = new ArrayList<>();
    try (Connection admin = server.adminConnection("postgres");
        PreparedStatement alive =
            admin.prepareStatement("select count(*) from pg_stat_activity where pid = ?")) {
      for (int i = 0; i < 40; i++) {
        Connection c = DriverManager.getConnection(server.jdbcUrl("postgres"), props);
        int pid = c.unwrap(PGConnection.class).getBackendPID();
        c.close();
        alive.setInt(1, pid);
        try (ResultSet rs = alive.executeQuery()) {
          rs.next();
          if (rs.getInt(1) > 0) {
            stillThere.add(pid);
          }
        }
      }
    }
    assertThat(stillThere).as("backends seen after close() returned").isEmpty();
  }
}
