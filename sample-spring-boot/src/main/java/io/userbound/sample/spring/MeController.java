package io.userbound.sample.spring;

import io.userbound.core.Userbound;
import io.userbound.servlet.HttpError;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/me}: who PostgreSQL says the person is on each database, through the
 * databases' {@code DataSource} beans (plain JDBC; the connection is the person's own).
 */
@RestController
class MeController {

  private final Map<String, JdbcTemplate> databases = new LinkedHashMap<>();

  MeController(
      Userbound userbound,
      @Qualifier("finance") DataSource finance,
      @Qualifier("staff") DataSource staff) {
    databases.put("finance", new JdbcTemplate(finance));
    databases.put("staff", new JdbcTemplate(staff));
    if (!userbound.config().databases().stream().allMatch(d -> databases.containsKey(d.name()))) {
      throw new IllegalStateException("the sample expects the databases finance and staff");
    }
  }

  @GetMapping("/api/me")
  Map<String, Object> me(Authentication person) {
    Map<String, Object> each = new LinkedHashMap<>();
    databases.forEach((name, jdbc) -> each.put(name, currentUser(jdbc)));
    Map<String, Object> me = new LinkedHashMap<>();
    me.put("user", person.getName());
    me.put("databases", each);
    return me;
  }

  /**
   * {@code GET /api/me/later}: the same, from a {@code Callable} that Spring MVC runs on
   * another thread, where the starter binds the login too.
   */
  @GetMapping("/api/me/later")
  Callable<Map<String, Object>> meLater(Authentication person) {
    return () -> me(person);
  }

  private static Map<String, String> currentUser(JdbcTemplate jdbc) {
    try {
      return Map.of("current_user", jdbc.queryForObject("SELECT current_user", String.class));
    } catch (RuntimeException e) {
      Optional<HttpError> error = HttpError.of(e);
      if (error.isEmpty() || error.get().status() == 401) {
        throw e;
      }
      String code = error.get().error();
      return Map.of("error", "permission_denied".equals(code) ? "access_denied" : code);
    }
  }
}
