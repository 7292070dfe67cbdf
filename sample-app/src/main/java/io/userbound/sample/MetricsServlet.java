package io.userbound.sample;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /metrics}: every meter in Prometheus' text format (Userbound's per database, see
 * the README's metrics table). Open to anyone, as a demo; a production app would serve it
 * on an internal port.
 */
final class MetricsServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  private final transient PrometheusMeterRegistry registry;

  MetricsServlet(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setStatus(HttpServletResponse.SC_OK);
    response.setHeader("Cache-Control", "no-store");
    response.setContentType("text/plain; version=0.0.4; charset=utf-8");
    response.getOutputStream().write(registry.scrape().getBytes(StandardCharsets.UTF_8));
  }
}
