package io.userbound.sample.spring;

import io.userbound.sample.DemoServers;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The embedded default: when no finance URL is configured, starts the sample's two throw-away
 * PostgreSQL servers (schema, demo people and rows, as sample-app does), points {@code
 * userbound.databases.finance.url} and {@code staff.url} at them, and stops them when the
 * context closes. The servers are a bean, {@code demoServers}, for tests.
 */
public final class DemoDatabases
    implements ApplicationContextInitializer<ConfigurableApplicationContext> {

  private static final Logger log = LoggerFactory.getLogger(DemoDatabases.class);
  private static final String FINANCE_URL = "userbound.databases.finance.url";

  /** Creates the initializer; Spring Boot calls it (META-INF/spring.factories). */
  public DemoDatabases() {}

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    ConfigurableEnvironment env = context.getEnvironment();
    if (env.containsProperty(FINANCE_URL)) {
      return;
    }
    log.info("no {} configured: starting two throw-away PostgreSQL servers", FINANCE_URL);
    DemoServers servers = DemoServers.start();
    try {
      env.getPropertySources()
          .addFirst(
              new MapPropertySource(
                  "demoServers",
                  Map.of(
                      FINANCE_URL,
                      servers.financeUrl(),
                      "userbound.databases.staff.url",
                      servers.staffUrl(),
                      // Hibernate's dialect for the servers' own version (else its oldest)
                      "userbound.jpa.properties.jakarta.persistence.database-major-version",
                      Integer.toString(servers.majorVersion()))));
      context.getBeanFactory().registerSingleton("demoServers", servers);
      AtomicBoolean stopped = new AtomicBoolean();
      Runnable stop =
          () -> {
            if (stopped.compareAndSet(false, true)) {
              servers.close();
            }
          };
      // Closed with the context; also when start-up fails (no ContextClosedEvent then), and
      // by a shutdown hook if the JVM ends without either.
      context.addApplicationListener(
          event -> {
            if ((event instanceof ContextClosedEvent closed
                    && closed.getApplicationContext() == context)
                || (event instanceof ApplicationFailedEvent failed
                    && failed.getApplicationContext() == context)) {
              stop.run();
            }
          });
      Runtime.getRuntime().addShutdownHook(new Thread(stop, "demo-servers-stop"));
    } catch (RuntimeException e) {
      servers.close();
      throw e;
    }
  }
}
