package io.userbound.testkit.internal;

import io.userbound.testkit.PostgresServer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JVM shutdown hook, installed on first use, that closes every local server still open, so
 * that no {@code postgres} process or data directory outlives the JVM after a normal exit.
 * Servers remove themselves when closed.
 */
final class ShutdownHooks {
  private static final Logger LOG = LoggerFactory.getLogger(ShutdownHooks.class);
  private static final Set<PostgresServer> OPEN = ConcurrentHashMap.newKeySet();
  private static boolean installed; // guarded by ShutdownHooks.class

  private ShutdownHooks() {}

  static void register(PostgresServer server) {
    install();
    OPEN.add(server);
  }

  static void unregister(PostgresServer server) {
    OPEN.remove(server);
  }

  private static synchronized void install() {
    if (installed) {
      return;
    }
    try {
      Runtime.getRuntime()
          .addShutdownHook(new Thread(ShutdownHooks::closeAll, "userbound-testkit-shutdown"));
      installed = true;
    } catch (IllegalStateException e) {
      LOG.warn("JVM is shutting down; a PostgreSQL server started now is not closed on exit");
    }
  }

  private static void closeAll() {
    for (PostgresServer server : List.copyOf(OPEN)) {
      LOG.info("JVM exit: closing {}", server);
      server.close();
    }
  }
}
