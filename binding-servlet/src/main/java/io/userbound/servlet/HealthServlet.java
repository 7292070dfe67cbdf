package io.userbound.servlet;

import io.userbound.core.DatabaseHealth;
import io.userbound.core.Userbound;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A readiness endpoint: {@code GET} answers 200 when every database is ready ({@link
 * DatabaseHealth#ready()}: its server answers; a spent budget still serves, later) and 503
 * when one is down, with per-database detail:
 *
 * <pre>{@code
 * {"status":"up","databases":{"finance":{"status":"up","reachable":true,"budget":40,
 *   "budgetUsed":3,"waiting":0,"saturation":0.075}, ...}}
 * }</pre>
 *
 * <p>It asks no account: the probe is the unauthenticated startup message of {@link
 * Userbound#health(String)}, at most one per database a second however often it is called.
 * The servers' own messages (which name hosts and ports) are shown only when the servlet
 * was created with details on: a readiness endpoint is often reachable by more people than
 * the logs. Thread-safe; not meant to be serialized.
 */
public final class HealthServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  private final transient Userbound userbound;

  /** Whether answers include each database's detail message. */
  private final boolean details;

  /**
   * Creates the servlet without the servers' messages in its answers.
   *
   * @param userbound the instance whose databases to report
   */
  public HealthServlet(Userbound userbound) {
    this(userbound, false);
  }

  /**
   * Creates the servlet.
   *
   * @param userbound the instance whose databases to report
   * @param details whether answers include each database's detail message
   */
  public HealthServlet(Userbound userbound, boolean details) {
    this.userbound = Objects.requireNonNull(userbound, "userbound");
    this.details = details;
  }

  /**
   * Answers 200 or 503 with the health of every database as JSON.
   *
   * @param request the request
   * @param response the response
   * @throws IOException if writing the answer fails
   */
  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    List<DatabaseHealth> all = userbound.health();
    boolean ready = all.stream().allMatch(DatabaseHealth::ready);
    StringBuilder json = new StringBuilder(128 * (all.size() + 1));
    json.append("{\"status\":").append(ready ? "\"up\"" : "\"down\"").append(",\"databases\":{");
    for (int i = 0; i < all.size(); i++) {
      DatabaseHealth h = all.get(i);
      if (i > 0) {
        json.append(',');
      }
      json.append(Json.string(h.database()))
          .append(":{\"status\":")
          .append(Json.string(h.status().name().toLowerCase(Locale.ROOT)))
          .append(",\"reachable\":")
          .append(h.reachable())
          .append(",\"budget\":")
          .append(h.budget())
          .append(",\"budgetUsed\":")
          .append(h.budgetUsed())
          .append(",\"waiting\":")
          .append(h.waiting())
          .append(",\"saturation\":")
          .append(String.format(Locale.ROOT, "%.3f", h.saturation()));
      if (details) {
        json.append(",\"detail\":").append(Json.string(h.detail()));
      }
      json.append('}');
    }
    json.append("}}");
    response.setStatus(
        ready ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE);
    response.setHeader("Cache-Control", "no-store");
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.getOutputStream().write(json.toString().getBytes(StandardCharsets.UTF_8));
  }
}
