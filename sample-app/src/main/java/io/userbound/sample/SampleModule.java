package io.userbound.sample;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.servlet.ServletModule;

/**
 * The sample's own servlets. Install it after Userbound's {@code UserboundServletModule}, so
 * that the Userbound filter wraps them and {@code /api/logout} is matched before the
 * catch-all.
 */
final class SampleModule extends ServletModule {

  @Override
  protected void configureServlets() {
    serve("/api/login").with(LoginApi.class);
    serve("/api/me").with(MeApi.class);
    serve("/api/finance/*").with(FinanceApi.class);
    serve("/api/staff/*").with(StaffApi.class);
    serve("/health").with(HealthApi.class);
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
