package io.userbound.sample;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.userbound.core.Userbound;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;

/**
 * {@code GET /health}: 200 {@code {"status":"up"}} while the web server runs. It asks no
 * database: there is no account to ask with, and a database being down is reported per
 * request as 503 {@code database_unavailable}.
 */
@Singleton
final class HealthApi extends ApiServlet {

  private static final long serialVersionUID = 1L;

  @Inject
  HealthApi(ObjectMapper json, Userbound userbound) {
    super(json, userbound);
  }

  @Override
  Reply get(HttpServletRequest request) {
    return Reply.ok(Map.of("status", "up"));
  }
}
