package io.userbound.sample.spring;

import io.userbound.sample.DemoPerson;
import io.userbound.sample.DemoServers;
import io.userbound.testkit.PostgresServer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
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
import org.springframework.core.env.Profiles;

/**
 * The embedded default: when no finance URL is configured, starts the sample's two throw-away
 * PostgreSQL servers (schema, demo people and rows, as sample-app does), points {@code
 * userbound.databases.finance.url} and {@code staff.url} at them, and stops them when the
 * context closes. The servers are a bean, {@code demoServers}, for tests. With the {@code sso}
 * profile (see {@link DemoSso}), both databases use {@code ROLE_SWITCHING} through a gateway
 * role made here.
 */
public final class DemoDatabases
    implements ApplicationContextInitializer<ConfigurableApplicationContext> {

  private static final Logger log = LoggerFactory.getLogger(DemoDatabases.class);
  private static final String FINANCE_URL = "userbound.databases.finance.url";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Creates the initializer; Spring Boot calls it (META-INF/spring.factories). */
  public DemoDatabases() {}

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    ConfigurableEnvironment env = context.getEnvironment();
    if (env.containsProperty(FINANCE_URL)
        || !env.getProperty("userbound.enabled", Boolean.class, true)) {
      return; // the application's own servers, or a context without Userbound (the demo IdP)
    }
    log.info("no {} configured: starting two throw-away PostgreSQL servers", FINANCE_URL);
    DemoServers servers = DemoServers.start();
    try {
      Map<String, Object> properties = new LinkedHashMap<>();
      properties.put(FINANCE_URL, servers.financeUrl());
      properties.put("userbound.databases.staff.url", servers.staffUrl());
      // Hibernate's dialect for the servers' own version (else its oldest)
      properties.put(
          "userbound.jpa.properties.jakarta.persistence.database-major-version",
          Integer.toString(servers.majorVersion()));
      if (env.acceptsProfiles(Profiles.of(DemoSso.PROFILE))) {
        properties.putAll(gateways(servers));
      }
      env.getPropertySources().addFirst(new MapPropertySource("demoServers", properties));
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

  /**
   * Sign in with SSO needs ROLE_SWITCHING: on each server a gateway role (LOGIN, NOINHERIT,
   * nothing else; a random password) that may set every demo person's role, as the README
   * says to make one. Returns the properties that switch both databases to it.
   */
  private static Map<String, Object> gateways(DemoServers servers) {
    Map<String, Object> properties = new LinkedHashMap<>();
    String[] people = DemoPerson.ALL.stream().map(DemoPerson::role).toArray(String[]::new);
    for (String database : List.of(DemoServers.FINANCE, DemoServers.STAFF)) {
      PostgresServer server =
          database.equals(DemoServers.FINANCE) ? servers.finance() : servers.staff();
      String gateway = database + "_gateway";
      char[] password = randomPassword();
      server.createLogin(gateway, password);
      server.execute(database, "ALTER ROLE " + gateway + " NOINHERIT");
      server.grantToGateway(gateway, people);
      // staff.sql keeps CONNECT from PUBLIC; the gateway connects for everyone
      server.execute(database, "GRANT CONNECT ON DATABASE " + database + " TO " + gateway);
      String at = "userbound.databases." + database + ".role-switching.";
      properties.put(at + "role", gateway);
      properties.put(at + "password", new String(password));
      Arrays.fill(password, '\0');
    }
    log.info(
        "sso profile: both databases use ROLE_SWITCHING through finance_gateway and"
            + " staff_gateway");
    return properties;
  }

  private static char[] randomPassword() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
  }
}
