package io.userbound.servlet;

import io.userbound.core.AccessDeniedException;
import io.userbound.core.BudgetExhaustedException;
import io.userbound.core.DatabaseUnavailableException;
import io.userbound.core.LoginFailedException;
import io.userbound.core.NotBoundException;
import io.userbound.core.Userbound;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/** The endpoints the tests call, and the plain (non-Guice) wiring of the Userbound pieces. */
final class TestApp {

  /** A servlet body that may throw anything. */
  @FunctionalInterface
  interface Handler {
    void handle(HttpServletRequest request, HttpServletResponse response) throws Exception;
  }

  final Userbound userbound;
  final LoginService logins;

  /** Threads on which /boom threw while a login was bound. */
  final Set<String> threwOn = ConcurrentHashMap.newKeySet();

  /** Threads on which /leak-async left a binding open outside the filter. */
  final Set<String> leakedOn = ConcurrentHashMap.newKeySet();

  TestApp(Userbound userbound, LoginService logins) {
    this.userbound = userbound;
    this.logins = logins;
  }

  /** An application wired by hand: filter, listener, login and logout servlets, endpoints. */
  static TestApp plain(Userbound userbound) {
    return new TestApp(userbound, new LoginService(userbound));
  }

  TestServer start(String name) {
    return start(name, 50, List.of());
  }

  /** Starts a server with plain wiring. */
  TestServer start(String name, int maxThreads, Collection<? extends RequestHook> hooks) {
    return TestServer.start(name, maxThreads, context -> wire(context, hooks));
  }

  /** The plain wiring: filter, listener, login and logout servlets, endpoints. */
  void wire(ServletContextHandler context, Collection<? extends RequestHook> hooks) {
    context.addFilter(
        new FilterHolder(new UserboundFilter(logins, hooks)),
        "/*",
        EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR));
    context.addEventListener(new UserboundSessionListener(logins));
    context.addServlet(new ServletHolder(new LoginServlet(logins)), "/login");
    context.addServlet(new ServletHolder(new LogoutServlet(logins)), "/logout");
    endpoints(context);
  }

  /** The test endpoints; they use only the Userbound, like application code would. */
  void endpoints(ServletContextHandler context) {
    add(context, "/whoami", (req, resp) -> text(resp, currentUser(db(req))));
    add(
        context,
        "/touch",
        (req, resp) -> {
          req.getSession(true);
          resp.setStatus(204);
        });
    add(
        context,
        "/boom",
        (req, resp) -> {
          if (userbound.current().isPresent()) {
            threwOn.add(Thread.currentThread().getName());
          }
          throw new IllegalStateException("boom");
        });
    add(
        context,
        "/binding",
        (req, resp) ->
            text(resp, Thread.currentThread().getName() + " " + userbound.current().isPresent()));
    add(
        context,
        "/leak",
        (req, resp) -> {
          // A bound request that opens a binding and forgets it.
          userbound.bind(logins.current(req).orElseThrow());
          text(resp, "leaked on " + Thread.currentThread().getName());
        });
    add(
        context,
        "/close-elsewhere",
        (req, resp) -> {
          // A binding opened here and closed on another thread: dead here at once.
          var inner = userbound.bind(logins.current(req).orElseThrow());
          Thread closer = new Thread(inner::close);
          closer.start();
          try {
            closer.join(10_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          text(
              resp,
              "still bound="
                  + userbound.current().isPresent()
                  + " inner closed, user="
                  + currentUser(db(req)));
        });
    ServletHolder leakAsync =
        new ServletHolder(
            servlet(
                (req, resp) -> {
                  // Work on a container thread, outside any filter, that binds and never unbinds.
                  var login = logins.current(req).orElseThrow();
                  AsyncContext ac = req.startAsync();
                  ac.start(
                      () -> {
                        userbound.bind(login);
                        leakedOn.add(Thread.currentThread().getName());
                        try {
                          text((HttpServletResponse) ac.getResponse(), "leaked");
                        } catch (IOException e) {
                          throw new IllegalStateException(e);
                        } finally {
                          ac.complete();
                        }
                      });
                }));
    leakAsync.setAsyncSupported(true);
    context.addServlet(leakAsync, "/leak-async");
    add(
        context,
        "/throw",
        (req, resp) -> {
          throw failure(req.getParameter("type"));
        });
    ServletHolder async =
        new ServletHolder(
            servlet(
                (req, resp) -> {
                  AsyncContext ac = req.startAsync();
                  if ("start".equals(req.getParameter("mode"))) {
                    // work on a container thread of the application's choosing: not bound
                    ac.start(
                        () -> {
                          try {
                            text(
                                (HttpServletResponse) ac.getResponse(),
                                "bound=" + userbound.current().isPresent());
                          } catch (IOException e) {
                            throw new IllegalStateException(e);
                          } finally {
                            ac.complete();
                          }
                        });
                  } else {
                    ac.dispatch("/whoami");
                  }
                }));
    async.setAsyncSupported(true);
    context.addServlet(async, "/async");
    add(context, "/teapot", (req, resp) -> resp.sendError(418));
    add(
        context,
        "/error-page",
        (req, resp) -> {
          boolean errorDispatch = req.getDispatcherType() == DispatcherType.ERROR;
          text(resp, (errorDispatch ? "error:" : "") + currentUser("finance"));
        });
    ErrorPageErrorHandler errors = new ErrorPageErrorHandler();
    errors.addErrorPage(418, "/error-page");
    context.setErrorHandler(errors);
    add(
        context,
        "/passivate",
        (req, resp) -> {
          // What a container does when it persists a session and reads it back.
          HttpSession session = req.getSession(false);
          Object value = session.getAttribute(LoginService.ATTRIBUTE);
          ByteArrayOutputStream bytes = new ByteArrayOutputStream();
          try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
          }
          Object restored;
          try (ObjectInputStream in =
              new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            restored = in.readObject();
          }
          session.setAttribute(LoginService.ATTRIBUTE, restored);
          text(resp, Base64.getEncoder().encodeToString(bytes.toByteArray()));
        });
    add(
        context,
        "/expire-soon",
        (req, resp) -> {
          req.getSession(false).setMaxInactiveInterval(1);
          resp.setStatus(204);
        });
  }

  String currentUser(String database) throws SQLException {
    try (Connection c = userbound.connection(database);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select current_user")) {
      rs.next();
      return rs.getString(1);
    }
  }

  static String db(HttpServletRequest request) {
    String db = request.getParameter("db");
    return db == null ? "finance" : db;
  }

  /**
   * The exceptions the error-mapping test throws, by name; messages carry things that must not
   * leak.
   */
  static Exception failure(String type) {
    String secret = "SECRET select * from invoice where note = 'x'";
    return switch (type) {
      case "login" -> new LoginFailedException("finance", secret, "28P01", null);
      case "denied" ->
          new AccessDeniedException("finance", secret, "42501", new SQLException(secret, "42501"));
      case "notbound" -> new NotBoundException(secret);
      case "budget" -> new BudgetExhaustedException("finance", secret, null);
      case "unavailable" -> new DatabaseUnavailableException("finance", secret, "08006", null);
      case "sql08" -> new ServletException(new SQLException(secret, "08001"));
      case "sql57p" ->
          new RuntimeException(
              "wrapped like Hibernate does: " + secret,
              new IllegalStateException(secret, new SQLException(secret, "57P01")));
      case "sql42501" -> new RuntimeException(secret, new SQLException(secret, "42501"));
      case "plain" -> new IllegalStateException(secret);
      default -> new IllegalArgumentException("unknown type " + type);
    };
  }

  static void add(ServletContextHandler context, String path, Handler handler) {
    context.addServlet(new ServletHolder(servlet(handler)), path);
  }

  static HttpServlet servlet(Handler handler) {
    return new HttpServlet() {
      private static final long serialVersionUID = 1L;

      @Override
      protected void service(HttpServletRequest req, HttpServletResponse resp)
          throws ServletException, IOException {
        try {
          handler.handle(req, resp);
        } catch (RuntimeException | IOException | ServletException e) {
          throw e;
        } catch (Exception e) {
          throw new ServletException(e);
        }
      }
    };
  }

  static void text(HttpServletResponse response, String text) throws IOException {
    response.setContentType("text/plain;charset=UTF-8");
    response.getWriter().write(text);
  }
}
