package io.userbound.testkit.internal;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JVM shutdown hook, installed on first use, that closes every local server and PgBouncer
 * still open, so that no {@code postgres} or {@code pgbouncer} process, and no data directory,
 * outlives the JVM after a normal exit. They remove themselves when closed.
 */
final class ShutdownHooks {
  private static final Logger LOG = LoggerFactory.getLogger(ShutdownHooks.class);
  private static final Set<AutoCloseable> OPEN = ConcurrentHashMap.newKeySet();
  private static boolean installed; // guarded by ShutdownHooks.class

  private ShutdownHooks() {}

  static void register(AutoCloseable server) {
    install();
    OPEN.add(server);
  }

  static void unregister(AutoCloseable server) {
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
    for (AutoCloseable process : List.copyOf(OPEN)) {
      LOG.info("JVM exit: closing {}", process);
      try {
        process.close();
      } catch (Exception e) {
        LOG.warn("JVM exit: closing {} failed: {}", process, e.toString());
      }
    }
  }
}
