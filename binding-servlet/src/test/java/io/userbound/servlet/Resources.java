package io.userbound.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.userbound.core.DatabaseStats;
import io.userbound.core.Userbound;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Closes what a test started (servers, then Userbound instances) after it, and fails a test
 * that leaves a connection borrowed or a binding open on the test thread.
 */
final class Resources implements AfterEachCallback {

  private static final ThreadLocal<List<AutoCloseable>> CLOSE = ThreadLocal.withInitial(ArrayList::new);
  private static final ThreadLocal<List<Userbound>> USERBOUNDS = ThreadLocal.withInitial(ArrayList::new);

  static <T extends AutoCloseable> T track(T resource) {
    CLOSE.get().add(resource);
    return resource;
  }

  static Userbound trackUserbound(Userbound userbound) {
    USERBOUNDS.get().add(userbound);
    return userbound;
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    List<AutoCloseable> resources = new ArrayList<>(CLOSE.get());
    List<Userbound> userbounds = new ArrayList<>(USERBOUNDS.get());
    CLOSE.remove();
    USERBOUNDS.remove();
    try {
      if (context.getExecutionException().isEmpty()) {
        for (Userbound u : userbounds) {
          assertThat(u.current()).as("binding left open on the test thread by " + context.getDisplayName()).isEmpty();
          Fixtures.eventually("connections handed back after " + context.getDisplayName(), Duration.ofSeconds(10),
              () -> u.stats().stream().mapToInt(DatabaseStats::activeConnections).sum() == 0);
        }
      }
    } finally {
      for (int i = resources.size() - 1; i >= 0; i--) {
        resources.get(i).close();
      }
      userbounds.forEach(Userbound::close);
    }
  }
}
