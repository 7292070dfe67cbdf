package io.userbound.servlet;

import io.userbound.testkit.LeakCheck;
import java.net.URI;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.session.DefaultSessionIdManager;
import org.eclipse.jetty.session.HouseKeeper;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;

/** An embedded Jetty 12 (ee10) on a random loopback port, closed after the test. */
final class TestServer implements AutoCloseable {

  private final Server server;
  private final ServerConnector connector;
  private final ServletContextHandler context;

  private TestServer(Server server, ServerConnector connector, ServletContextHandler context) {
    this.server = server;
    this.connector = connector;
    this.context = context;
  }

  /** Starts a server with a default thread pool. */
  static TestServer start(String name, Consumer<ServletContextHandler> setup) {
    return start(name, 50, setup);
  }

  /**
   * Starts a server; the session scavenger runs every second, so that expired sessions end
   * promptly. Sessions last 10 minutes unless the setup says otherwise.
   */
  static TestServer start(String name, int maxThreads, Consumer<ServletContextHandler> setup) {
    return start(name, maxThreads, null, setup);
  }

  /**
   * Starts a server as above whose session ids end in {@code "." + workerName} (Jetty's
   * default, {@code node0}, if null), like one node of a cluster.
   */
  static TestServer start(
      String name, int maxThreads, String workerName, Consumer<ServletContextHandler> setup) {
    QueuedThreadPool threads = new QueuedThreadPool(maxThreads, Math.min(2, maxThreads));
    threads.setName(name);
    threads.setReservedThreads(0);
    return start(threads, 0, workerName, setup);
  }

  /**
   * Starts a server as above on the given thread pool (e.g. Jetty's {@code VirtualThreadPool}),
   * with a listen backlog of this many connections (0: the system's default).
   */
  static TestServer start(
      ThreadPool threads,
      int acceptQueueSize,
      String workerName,
      Consumer<ServletContextHandler> setup) {
    Server server = new Server(threads);
    ServerConnector connector = new ServerConnector(server, 0, 1);
    connector.setAcceptQueueSize(acceptQueueSize);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    try {
      DefaultSessionIdManager ids = new DefaultSessionIdManager(server);
      if (workerName != null) {
        ids.setWorkerName(workerName);
      }
      HouseKeeper houseKeeper = new HouseKeeper();
      houseKeeper.setSessionIdManager(ids);
      houseKeeper.setIntervalSec(1);
      ids.setSessionHouseKeeper(houseKeeper);
      server.addBean(ids, true);

      ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
      context.setContextPath("/");
      context.getSessionHandler().setMaxInactiveInterval(600);
      setup.accept(context);
      server.setHandler(context);
      server.start();
      return LeakCheck.track(new TestServer(server, connector, context));
    } catch (Exception e) {
      try {
        server.stop();
      } catch (Exception ignored) {
        // reporting the start failure
      }
      throw new IllegalStateException("Jetty did not start", e);
    }
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + connector.getLocalPort() + pathAndQuery);
  }

  ServletContextHandler context() {
    return context;
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
