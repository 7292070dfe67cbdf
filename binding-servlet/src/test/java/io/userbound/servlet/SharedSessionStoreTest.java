package io.userbound.servlet;

import static io.userbound.servlet.Fixtures.person;
import static org.assertj.core.api.Assertions.assertThat;

import io.userbound.core.DatabaseStats;
import io.userbound.core.UserboundConfig;
import io.userbound.servlet.Fixtures.Person;
import io.userbound.testkit.Await;
import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.servlet.SessionHandler;
import org.eclipse.jetty.session.DefaultSessionCache;
import org.eclipse.jetty.session.FileSessionDataStore;
import org.eclipse.jetty.session.SessionCache;
import org.eclipse.jetty.session.SessionData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/*
 * Two nodes of one application behind a load balancer that is not sticky: each node has its
 * own Userbound (its own pools) on the same PostgreSQL server, and both keep their sessions
 * in one Jetty session store, a directory of files. The browser is one HttpClient with one
 * cookie jar that talks to either node.
 *
 * What the person sees follows from LoginHolder: the login never leaves the JVM that made
 * it, the store holds the LoginGone marker in its place. So the session and its other
 * attributes move between the nodes and the login does not: the other node finds the
 * session and answers "not logged in" until the person logs in there; each node keeps its
 * own login for the session id it issued, in memory.
 *
 * Jetty's FileSessionDataStore indexes the directory when it starts and afterwards knows
 * only the files it wrote itself, so two running nodes would never see each other's
 * sessions. SharedFileStore looks the session up in the directory on every access, and one
 * lock that both nodes' stores share makes each read and write atomic for the other node,
 * as a database store (JDBCSessionDataStore) does with its rows. That matters because Jetty
 * writes the session when the response commits (flushOnResponseCommit, so the other node
 * sees it by the next request) and again when the request ends (its last-access time), which
 * may be after the browser has the response: the test asserts nothing that such a late
 * write of the same content could change.
 */
@ExtendWith(PostgresExtension.class)
class SharedSessionStoreTest {

  private static final Duration DEADLINE = Duration.ofSeconds(20);
  private static final String NOTE = "basket-42";
  private static final String NOT_LOGGED_IN = "{\"error\":\"not_logged_in\"}";
  private static final Pattern PROBE = Pattern.compile("id=(\\S+) new=false note=" + NOTE);

  /** One application node: its Userbound, its Jetty. */
  record Node(TestApp app, TestServer web) {

    static Node start(String worker, UserboundConfig config, SharedFileStore store, int eviction) {
      TestApp app = TestApp.plain(Fixtures.userbound(config));
      TestServer web =
          TestServer.start(
              "shared-store-" + worker,
              50,
              worker,
              context -> {
                context.addFilter(
                    new FilterHolder(new UserboundFilter(app.logins)),
                    "/*",
                    EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR));
                context.addEventListener(new UserboundSessionListener(app.logins));
                context.addServlet(new ServletHolder(new LoginServlet(app.logins)), "/login");
                context.addServlet(new ServletHolder(new LogoutServlet(app.logins)), "/logout");
                app.endpoints(context);
                TestApp.add(
                    context,
                    "/note",
                    (req, resp) -> {
                      req.getSession(true).setAttribute("note", req.getParameter("value"));
                      resp.setStatus(204);
                    });
                TestApp.add(
                    context,
                    "/session",
                    (req, resp) -> {
                      HttpSession s = req.getSession(false);
                      TestApp.text(
                          resp,
                          s == null
                              ? "none"
                              : "id="
                                  + s.getId()
                                  + " new="
                                  + s.isNew()
                                  + " note="
                                  + s.getAttribute("note"));
                    });
                SessionHandler sessions = context.getSessionHandler();
                DefaultSessionCache cache = new DefaultSessionCache(sessions);
                cache.setEvictionPolicy(eviction);
                cache.setSaveOnCreate(true);
                cache.setFlushOnResponseCommit(true);
                cache.setSessionDataStore(store);
                sessions.setSessionCache(cache);
              });
      return new Node(app, web);
    }

    DatabaseStats stats(String database) {
      return app.userbound.stats(database);
    }

    long sessionsInMemory() {
      SessionCache cache = web.context().getSessionHandler().getSessionCache();
      return ((DefaultSessionCache) cache).getSessionsCurrent();
    }
  }

  @Test
  void sessionMovedToAnotherNode_keepsItsAttributes_butComesBackLoggedOut(
      PostgresServer server, TestNames names, @TempDir Path dir) throws Exception {
    Person alice = person(names);
    UserboundConfig config =
        Fixtures.twoDatabases(server, names.createDatabase(), names.createDatabase(), b -> b);
    Object lock = new Object();
    Node a = Node.start("node0", config, new SharedFileStore(dir, lock), SessionCache.NEVER_EVICT);
    Node b = Node.start("node1", config, new SharedFileStore(dir, lock), SessionCache.NEVER_EVICT);
    Browser onA = new Browser(a.web());
    Browser onB = onA.on(b.web());

    // 1. Something in the session before the login (it survives the id rotation), then the
    // login on A: A runs the requests as alice.
    assertThat(onA.get("/note?value=" + NOTE).statusCode()).isEqualTo(204);
    assertThat(onA.login(alice.role(), alice.password()).statusCode()).isEqualTo(200);
    assertThat(onA.get("/whoami?db=finance").body()).isEqualTo(alice.role());
    assertThat(onA.get("/whoami?db=staff").body()).isEqualTo(alice.role());
    String first = sessionId(onA.get("/session").body());
    assertThat(onA.sessionId()).contains(first + ".node0");
    assertThat(a.stats("finance").pools()).isEqualTo(1);
    synchronized (lock) {
      List<byte[]> files = sessionFiles(dir, first);
      assertThat(files).as("one file of the session in the store").hasSize(1);
      assertThat(contains(files.get(0), LoginGone.class.getName(), StandardCharsets.UTF_8))
          .as("the login was stored as the LoginGone marker")
          .isTrue();
      assertThat(contains(files.get(0), NOTE, StandardCharsets.UTF_8)).isTrue();
    }

    // 2. The same cookie on B: B has never held this session (NEVER_EVICT keeps a node's own
    // sessions in memory), so it reads it from the store: same id, not new, the note is
    // there, but no login: B answers 401 and nobody is bound there.
    assertThat(onB.get("/session").body()).isEqualTo("id=" + first + " new=false note=" + NOTE);
    HttpResponse<String> onBLoggedOut = onB.get("/whoami");
    assertThat(onBLoggedOut.statusCode()).isEqualTo(401);
    assertThat(onBLoggedOut.body()).isEqualTo(NOT_LOGGED_IN);
    assertThat(onB.get("/binding").body()).endsWith(" false");
    // Jetty kept the session and put B's worker name on its cookie.
    assertThat(onB.sessionId()).contains(first + ".node1");
    assertThat(b.app().logins.loggedInRoles()).isZero();
    for (String db : List.of("finance", "staff")) {
      DatabaseStats stats = b.stats(db);
      assertThat(stats.pools()).as("B's pools on %s", db).isZero();
      assertThat(stats.loginsAccepted()).as("B's logins on %s", db).isZero();
      assertThat(stats.connectionsOpened()).as("B's connections on %s", db).isZero();
    }
    // A still holds its login for this session id in memory, whatever B wrote to the store.
    assertThat(onA.get("/whoami").body()).isEqualTo(alice.role());

    // 3. Logging in again on B works; B rotates the id, so the browser now carries a session
    // id that A never logged in: back on A, A reads that session from the store without a
    // login, and answers 401. Every move to the other node asks for the password again.
    assertThat(onB.login(alice.role(), alice.password()).statusCode()).isEqualTo(200);
    assertThat(onB.get("/whoami?db=finance").body()).isEqualTo(alice.role());
    String second = sessionId(onB.get("/session").body());
    assertThat(second).isNotEqualTo(first);
    assertThat(b.app().logins.liveSessions(alice.role())).isEqualTo(1);
    assertThat(b.stats("finance").pools()).isEqualTo(1);

    assertThat(onA.get("/session").body()).isEqualTo("id=" + second + " new=false note=" + NOTE);
    HttpResponse<String> onALoggedOut = onA.get("/whoami");
    assertThat(onALoggedOut.statusCode()).isEqualTo(401);
    assertThat(onALoggedOut.body()).isEqualTo(NOT_LOGGED_IN);
    // A's login stays in A's memory under the first id, which the browser no longer has: it
    // is not ended by what B did (B cannot end another JVM's login), only by that session
    // expiring on A (or being invalidated there), so A's pool stays open until then or until
    // its idle timeout. Whoever kept the first cookie is still alice on A.
    assertThat(a.app().logins.liveSessions(alice.role())).isEqualTo(1);
    assertThat(a.stats("finance").pools()).isEqualTo(1);
    Browser oldCookie = new Browser(a.web());
    oldCookie.useSessionId(first + ".node0");
    assertThat(oldCookie.get("/whoami").body()).isEqualTo(alice.role());

    // And back: logging in on A again works there, and B is logged out again.
    assertThat(onA.login(alice.role(), alice.password()).statusCode()).isEqualTo(200);
    assertThat(onA.get("/whoami").body()).isEqualTo(alice.role());
    assertThat(onB.get("/whoami").statusCode()).isEqualTo(401);

    // 4. No password in the store, nor the role: not while the nodes run, nor after they
    // stopped (Jetty writes every session it holds when it stops).
    a.web().close();
    b.web().close();
    List<byte[]> stored = allFiles(dir);
    assertThat(stored).isNotEmpty();
    assertThat(stored)
        .as("the note is in the store, so the scan reads session data")
        .anyMatch(f -> contains(f, NOTE, StandardCharsets.UTF_8));
    for (Charset cs :
        List.of(StandardCharsets.UTF_8, StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE)) {
      assertThat(stored)
          .as("password as %s in the session store", cs)
          .noneMatch(f -> contains(f, alice.passwordText(), cs));
      assertThat(stored)
          .as("role as %s in the session store", cs)
          .noneMatch(f -> contains(f, alice.role(), cs));
    }
  }

  @Test
  void sessionCacheThatEvictsOnExit_losesTheLoginAfterTheLoginRequest(
      PostgresServer server, TestNames names, @TempDir Path dir) {
    Person alice = person(names);
    Node a =
        Node.start(
            "node0",
            Fixtures.twoDatabases(server, names),
            new SharedFileStore(dir, new Object()),
            SessionCache.EVICT_ON_SESSION_EXIT);
    Browser browser = new Browser(a.web());

    assertThat(browser.login(alice.role(), alice.password()).statusCode()).isEqualTo(200);
    Await.until("the session left A's memory", DEADLINE, () -> a.sessionsInMemory() == 0);
    // The next request reads the session back from the store: the login is gone.
    HttpResponse<String> r = browser.get("/whoami");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).isEqualTo(NOT_LOGGED_IN);
    assertThat(browser.get("/session").body()).startsWith("id=").contains(" new=false ");
    // Evicting is not ending: the login is still counted until the session expires, as
    // LoginService's javadoc says of sessions swapped out of memory.
    assertThat(a.app().logins.liveSessions(alice.role())).isEqualTo(1);
  }

  private static String sessionId(String probe) {
    Matcher m = PROBE.matcher(probe);
    assertThat(m.matches()).as("session probe %s", probe).isTrue();
    return m.group(1);
  }

  /** The contents of the store's files for one session id. */
  private static List<byte[]> sessionFiles(Path dir, String id) throws IOException {
    List<byte[]> found = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (p.getFileName().toString().endsWith("_" + id)) {
          found.add(Files.readAllBytes(p));
        }
      }
    }
    return found;
  }

  private static List<byte[]> allFiles(Path dir) throws IOException {
    List<byte[]> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(p)) {
          found.add(Files.readAllBytes(p));
        }
      }
    }
    return found;
  }

  private static boolean contains(byte[] haystack, String text, Charset charset) {
    byte[] needle = text.getBytes(charset);
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** A FileSessionDataStore that two running nodes can share; see the class comment. */
  static final class SharedFileStore extends FileSessionDataStore {

    private final Object lock;

    SharedFileStore(Path dir, Object lock) {
      this.lock = lock;
      setStoreDir(dir.toFile());
    }

    @Override
    public SessionData doLoad(String id) throws Exception {
      synchronized (lock) {
        lookUp(id);
        return super.doLoad(id);
      }
    }

    @Override
    public boolean doExists(String id) throws Exception {
      synchronized (lock) {
        lookUp(id);
        return super.doExists(id);
      }
    }

    @Override
    public void doStore(String id, SessionData data, long lastSaveTime) throws Exception {
      synchronized (lock) {
        super.doStore(id, data, lastSaveTime); // deletes the old file first, by delete(id)
      }
    }

    @Override
    public boolean delete(String id) throws Exception {
      synchronized (lock) {
        lookUp(id);
        return super.delete(id);
      }
    }

    /** Points the index entry of the session at its newest file in the directory, if any. */
    private void lookUp(String id) throws IOException {
      String key = getIdWithContext(id);
      String newest = null;
      try (Stream<Path> files = Files.list(getStoreDir().toPath())) {
        for (Path p : (Iterable<Path>) files::iterator) {
          String name = p.getFileName().toString();
          if (isSessionFilename(name)
              && key.equals(getIdWithContextFromFilename(name))
              && (newest == null || getExpiryFromFilename(name) > getExpiryFromFilename(newest))) {
            newest = name;
          }
        }
      }
      if (newest == null) {
        _sessionFileMap.remove(key);
      } else {
        _sessionFileMap.put(key, newest);
      }
    }
  }
}
