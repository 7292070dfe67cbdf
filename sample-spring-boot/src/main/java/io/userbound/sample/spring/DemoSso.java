package io.userbound.sample.spring;

import io.userbound.sample.idp.DemoIdentityProvider;
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
 * The {@code sso} profile's demo provider: when no {@code userbound.security.oidc.issuer-uri}
 * is configured, starts {@link DemoIdentityProvider} (Spring Authorization Server, the demo
 * people as its users) on {@code sample.idp.port} (default 9000) of 127.0.0.1, points the
 * issuer at it, and stops it when the context closes. The provider is a bean, {@code
 * demoIdentityProvider}, for tests.
 */
public final class DemoSso
    implements ApplicationContextInitializer<ConfigurableApplicationContext> {

  /** The Spring profile of Sign in with SSO. */
  public static final String PROFILE = "sso";

  private static final Logger log = LoggerFactory.getLogger(DemoSso.class);
  private static final String ISSUER = "userbound.security.oidc.issuer-uri";

  /** Creates the initializer; Spring Boot calls it (META-INF/spring.factories). */
  public DemoSso() {}

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    ConfigurableEnvironment env = context.getEnvironment();
    if (!env.acceptsProfiles(Profiles.of(PROFILE))
        || env.containsProperty(ISSUER)
        || !env.getProperty("userbound.enabled", Boolean.class, true)) {
      return;
    }
    int port = env.getProperty("sample.idp.port", Integer.class, 9000);
    DemoIdentityProvider idp = DemoIdentityProvider.start(port);
    log.info("no {} configured: the demo OpenID Connect provider runs at {}", ISSUER, idp.issuer());
    try {
      env.getPropertySources()
          .addFirst(new MapPropertySource("demoIdentityProvider", Map.of(ISSUER, idp.issuer())));
      context.getBeanFactory().registerSingleton("demoIdentityProvider", idp);
      AtomicBoolean stopped = new AtomicBoolean();
      Runnable stop =
          () -> {
            if (stopped.compareAndSet(false, true)) {
              idp.close();
            }
          };
      context.addApplicationListener(
          event -> {
            if ((event instanceof ContextClosedEvent closed
                    && closed.getApplicationContext() == context)
                || (event instanceof ApplicationFailedEvent failed
                    && failed.getApplicationContext() == context)) {
              stop.run();
            }
          });
    } catch (RuntimeException e) {
      idp.close();
      throw e;
    }
  }
}
