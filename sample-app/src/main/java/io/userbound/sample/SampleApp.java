package io.userbound.sample;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import com.google.inject.servlet.GuiceFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.userbound.core.DatabaseConfig;
import io.userbound.core.Userbound;
import io.userbound.core.UserboundConfig;
import io.userbound.guice.UserboundHibernateModule;
import io.userbound.guice.UserboundModule;
import io.userbound.guice.UserboundServletModule;
import io.userbound.hibernate.EntityMapping;
import io.userbound.hibernate.UserboundHibernate;
import io.userbound.micrometer.UserboundMetrics;
import io.userbound.servlet.UserboundSessionListener;
import jakarta.servlet.DispatcherType;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.SessionHandler;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Userbound sample application: a small web application over two PostgreSQL databases,
 * {@code finance} and {@code staff}, where every person logs in with their own database role.
 *
 * <p>Run without arguments, it starts two throw-away PostgreSQL servers (one per database,
 * as on two hosts) with the schema, demo people and demo rows, then the web server, and
 * prints the URL and the demo logins. Ctrl-C stops everything. With
 * {@code --finance-url} and {@code --staff-url} it uses existing servers and creates nothing.
 * See {@code --help}.
 */
public final class SampleApp implements AutoCloseable {

  /*
   * Wiring. Userbound is created here (not by UserboundModule from a config) so that this
   * class owns and closes it; UserboundHibernateModule builds one SessionFactory per
   * database; UserboundServletModule puts the Userbound filter in front of every request
   * (binding the person's login and closing the request's unit of work) and serves
   * /api/logout. The sample's own servlets come from SampleModule. The GuiceFilter is the
   * injector's own instance, registered for REQUEST, ASYNC and ERROR dispatches, so the
   * container's error page goes through the same pipeline and is JSON as well.
   *
   * Shutdown runs in reverse: Jetty (no more requests), Hibernate, Userbound (every pool),
   * then the embedded servers.
   */

  private static final Logger log = LoggerFactory.getLogger(SampleApp.class);

  static final String FINANCE = "finance";
  static final String STAFF = "staff";

  /** Which entities live in which database. */
  static final EntityMapping ENTITIES =
      EntityMapping.builder()
          .map("io.userbound.sample.finance", FINANCE)
          .map("io.userbound.sample.staff", STAFF)
          .build();

  private final DemoServers demo;
  private final Userbound userbound;
  private final Injector injector;
  private final Server jetty;
  private final URI uri;
  private final AtomicBoolean closed = new AtomicBoolean();

  private SampleApp(
      DemoServers demo, Userbound userbound, Injector injector, Server jetty, URI uri) {
    this.demo = demo;
    this.userbound = userbound;
    this.injector = injector;
    this.jetty = jetty;
    this.uri = uri;
  }

  /**
   * Starts the application: the embedded servers if asked, Userbound, Hibernate and Jetty.
   *
   * @param options what to start
   * @return the running application; close it
   * @throws RuntimeException if anything fails to start; what was started is stopped again
   */
  static SampleApp start(Options options) {
    DemoServers demo = null;
    Userbound userbound = null;
    Injector injector = null;
    Server jetty = null;
    try {
      String financeUrl = options.financeUrl();
      String staffUrl = options.staffUrl();
      Integer major = null;
      if (options.embedded()) {
        demo = DemoServers.start();
        financeUrl = demo.financeUrl();
        staffUrl = demo.staffUrl();
        major = demo.majorVersion();
      }
      userbound = Userbound.create(config(financeUrl, staffUrl));
      Integer dialectMajor = major;
      PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      new UserboundMetrics(userbound).bindTo(prometheus);
      injector =
          Guice.createInjector(
              Stage.PRODUCTION,
              new UserboundModule(userbound),
              new UserboundHibernateModule(
                  ENTITIES,
                  b -> {
                    if (dialectMajor != null) { // else Hibernate assumes its oldest PostgreSQL
                      b.setting("jakarta.persistence.database-major-version", dialectMajor);
                    }
                  }),
              UserboundServletModule.builder().logoutPath("/api/logout").build(),
              new SampleModule(userbound, prometheus));
      jetty = jetty(injector, options.port());
      jetty.start();
      int port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
      return new SampleApp(
          demo, userbound, injector, jetty, URI.create("http://127.0.0.1:" + port + "/"));
    } catch (Exception e) {
      stopAll(jetty, injector, userbound, demo);
      throw e instanceof RuntimeException r
          ? r
          : new IllegalStateException("the web server did not start", e);
    }
  }

  /**
   * The Userbound configuration of the two databases. Timeouts are short so that a database
   * that is down gives a prompt 503 rather than a hanging request.
   */
  static UserboundConfig config(String financeUrl, String staffUrl) {
    return UserboundConfig.builder()
        .database(database(FINANCE, financeUrl))
        .database(database(STAFF, staffUrl))
        // Everyone who uses the app can connect to finance; staff only lets its groups in.
        .verifyLoginsOn(FINANCE)
        .applicationName("userbound-sample")
        .build();
  }

  private static DatabaseConfig database(String name, String url) {
    return DatabaseConfig.builder(name, url)
        .maxConnectionsPerPerson(2)
        .budget(20)
        .connectionTimeout(Duration.ofSeconds(2))
        .idleTimeout(Duration.ofMinutes(5))
        .driverProperty("connectTimeout", "2")
        .driverProperty("socketTimeout", "30")
        .build();
  }

  private static Server jetty(Injector injector, int port) {
    QueuedThreadPool threads = new QueuedThreadPool(32, 4);
    threads.setName("sample-http");
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    server.setStopTimeout(2_000);

    ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
    context.setContextPath("/");
    SessionHandler sessions = context.getSessionHandler();
    sessions.setMaxInactiveInterval((int) Duration.ofMinutes(30).toSeconds());
    sessions.setSessionCookie("USERBOUND_SAMPLE");
    sessions.setHttpOnly(true);
    sessions.setSameSite(HttpCookie.SameSite.STRICT);
    context.addEventListener(injector.getInstance(UserboundSessionListener.class));
    context.addFilter(
        new FilterHolder(injector.getInstance(GuiceFilter.class)),
        "/*",
        EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR));
    ErrorPageErrorHandler errors = new ErrorPageErrorHandler();
    errors.addErrorPage(ErrorPageErrorHandler.GLOBAL_ERROR_PAGE, FallbackApi.ERROR_PATH);
    context.setErrorHandler(errors);
    server.setHandler(context);
    return server;
  }

  /** {@return the address of the web page, {@code http://127.0.0.1:PORT/}} */
  URI uri() {
    return uri;
  }

  /** {@return the embedded servers, or empty when running against existing ones} */
  Optional<DemoServers> demo() {
    return Optional.ofNullable(demo);
  }

  /** {@return the Userbound instance, for statistics} */
  Userbound userbound() {
    return userbound;
  }

  /** Blocks until the web server has stopped. */
  void awaitStop() throws InterruptedException {
    jetty.join();
  }

  /**
   * Stops the web server, closes Hibernate and Userbound, and stops the embedded servers.
   * Never throws; idempotent; safe from a shutdown hook.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      stopAll(jetty, injector, userbound, demo);
    }
  }

  private static void stopAll(
      Server jetty, Injector injector, Userbound userbound, DemoServers demo) {
    if (jetty != null) {
      try {
        jetty.stop();
      } catch (Exception e) {
        log.warn("stopping the web server failed", e);
      }
    }
    if (injector != null) {
      try {
        injector.getInstance(UserboundHibernate.class).close();
      } catch (RuntimeException e) {
        log.warn("closing Hibernate failed", e);
      }
    }
    if (userbound != null) {
      userbound.close();
    }
    if (demo != null) {
      demo.close();
    }
  }

  /**
   * Prints what was started and how to log in; the last line is {@code Listening on URL}.
   *
   * @param out where to print
   */
  void printBanner(PrintStream out) {
    out.println();
    out.println("Userbound sample: every person logs in to PostgreSQL with their own role.");
    if (demo != null) {
      out.println("Two throw-away PostgreSQL servers, as on two hosts:");
      out.println("  finance  " + demo.financeUrl());
      out.println("  staff    " + demo.staffUrl());
      out.println();
      out.println("Demo logins (user / password: what PostgreSQL lets them do):");
      for (DemoPerson p : DemoPerson.ALL) {
        out.printf("  %-6s / %-9s %s%n", p.role(), p.password(), p.mayDo());
      }
    } else {
      for (DatabaseConfig db : userbound.config().databases()) {
        out.printf("  %-8s %s%n", db.name(), DatabaseConfig.maskUrl(db.jdbcUrl()));
      }
    }
    out.println();
    out.println(
        "Ctrl-C stops "
            + (demo != null ? "the web server and both PostgreSQL servers." : "the web server."));
    out.println("Listening on " + uri);
    out.flush();
  }

  /**
   * Starts the application; see the class comment and {@code --help}. Returns when it has
   * been stopped (Ctrl-C).
   *
   * @param args {@code [--port N] [--finance-url URL --staff-url URL]}
   */
  public static void main(String[] args) {
    Options options;
    try {
      Optional<Options> parsed = Options.parse(args, System.getenv());
      if (parsed.isEmpty()) {
        System.out.println(Options.USAGE);
        return;
      }
      options = parsed.get();
    } catch (IllegalArgumentException e) {
      System.err.println("sample-app: " + e.getMessage());
      System.err.println(Options.USAGE);
      System.exit(2);
      return;
    }
    if (options.embedded()) {
      System.out.println("Starting two PostgreSQL servers, finance and staff...");
    }
    SampleApp app;
    try {
      app = start(options);
    } catch (RuntimeException e) {
      log.debug("start-up failed", e);
      System.err.println("sample-app: could not start: " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("Stopping...");
                  app.close();
                  System.out.println("Stopped.");
                },
                "sample-app-shutdown"));
    app.printBanner(System.out);
    try {
      app.awaitStop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      app.close();
    }
  }
}
