package io.userbound.sample;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.userbound.core.DatabaseConfig;
import io.userbound.core.Login;
import io.userbound.core.Userbound;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServletRequest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/me}: who is logged in, and what each database answers to
 * {@code SELECT current_user} on this request, from the person's own pool there:
 * {@code {"user": "alice", "databases": {"finance": {"current_user": "alice"},
 * "staff": {"error": "access_denied"}}}}. A database that refuses the person shows
 * {@code access_denied}; one that is down shows {@code database_unavailable}, so the page
 * can show the others.
 */
@Singleton
final class MeApi extends ApiServlet {

  private static final long serialVersionUID = 1L;

  @Inject
  MeApi(ObjectMapper json, Userbound userbound) {
    super(json, userbound);
  }

  @Override
  Reply get(HttpServletRequest request) {
    Login login = login();
    Map<String, Object> databases = new LinkedHashMap<>();
    for (DatabaseConfig db : userbound.config().databases()) {
      databases.put(db.name(), currentUser(db.name()));
    }
    Map<String, Object> me = new LinkedHashMap<>();
    me.put("user", login.role());
    me.put("databases", databases);
    return Reply.ok(me);
  }

  private Map<String, String> currentUser(String database) {
    try (Connection c = userbound.connection(database);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_user")) {
      rs.next();
      return Map.of("current_user", rs.getString(1));
    } catch (SQLException | RuntimeException e) {
      Optional<ApiError> error = Errors.of(e, userbound.config().loginDatabase());
      if (error.isEmpty() || error.get().status() == 401) {
        throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
      }
      return Map.of(
          "error",
          switch (error.get().code()) {
            case "permission_denied" -> "access_denied";
            default -> error.get().code();
          });
    }
  }
}
