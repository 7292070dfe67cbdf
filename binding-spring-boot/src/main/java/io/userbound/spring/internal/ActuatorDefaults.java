package io.userbound.spring.internal;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/*
 * Defaults that Userbound changes in other libraries' settings, at the lowest precedence:
 * any value the application sets, anywhere, wins.
 *
 * The actuator's heapdump endpoint is off (management.endpoint.heapdump.access=none). A
 * heap dump holds every logged-in person's database password (core keeps a char[] copy per
 * login, and pgjdbc a String while it connects), so exposing it, even to administrators,
 * hands them every person's password. An application that wants it sets the property
 * itself, and should then read the README's security model.
 */

/** Lowers the defaults of settings that would expose passwords; see the class comment. */
public final class ActuatorDefaults implements EnvironmentPostProcessor {

  /** The property source's name, last in the environment. */
  public static final String SOURCE = "userboundDefaults";

  static final String HEAPDUMP_ACCESS = "management.endpoint.heapdump.access";

  /** Creates the post-processor; Spring Boot calls it (META-INF/spring.factories). */
  public ActuatorDefaults() {}

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    if (environment.getPropertySources().contains(SOURCE)) {
      return;
    }
    environment
        .getPropertySources()
        .addLast(new MapPropertySource(SOURCE, Map.of(HEAPDUMP_ACCESS, "none")));
  }

  @Override
  public String toString() {
    return "ActuatorDefaults";
  }
}
