package io.userbound.sample;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.servlet.ServletModule;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.userbound.core.Userbound;
import io.userbound.servlet.HealthServlet;

/**
 * The sample's own servlets. Install it after Userbound's {@code UserboundServletModule}, so
 * that the Userbound filter wraps them and {@code /api/logout} is matched before the
 * catch-all.
 */
final class SampleModule extends ServletModule {

  private final Userbound userbound;
  private final PrometheusMeterRegistry prometheus;

  SampleModule(Userbound userbound, PrometheusMeterRegistry prometheus) {
    this.userbound = userbound;
    this.prometheus = prometheus;
  }

  @Override
  protected void configureServlets() {
    serve("/api/login").with(LoginApi.class);
    serve("/api/me").with(MeApi.class);
    serve("/api/finance/*").with(FinanceApi.class);
    serve("/api/staff/*").with(StaffApi.class);
    // Readiness with per-database detail (a demo: a production app would keep the servers'
    // messages for its operators), and the metrics in Prometheus' text format.
    serve("/health").with(new HealthServlet(userbound, true));
    serve("/metrics").with(new MetricsServlet(prometheus));
    serve("/", "/app.js", "/app.css").with(PageServlet.class);
    // Last: every other path, and the container's error page.
    serve("/*").with(FallbackApi.class);
  }

  @Provides
  @Singleton
  ObjectMapper json() {
    return JsonMapper.builder().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET).build();
  }
}
