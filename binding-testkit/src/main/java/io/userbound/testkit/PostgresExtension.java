package io.userbound.testkit;

import java.lang.reflect.Method;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit Jupiter extension that gives tests one PostgreSQL server per JVM and unique names.
 *
 * <p>Register it with {@code @ExtendWith(PostgresExtension.class)}. It resolves parameters of
 * constructors, lifecycle methods and test methods of two types:
 * <ul>
 *   <li>{@link PostgresServer}: the server shared by all test classes of the JVM, started on
 *       first use with {@link #SHARED_OPTIONS} and closed when the test run ends;</li>
 *   <li>{@link TestNames}: names unique to the current test (a constructor or a
 *       {@code @BeforeEach} gets the same instance as the test method). After each test,
 *       the databases and then the roles named with it are dropped; if that fails, the test
 *       fails. Outside a test method (e.g. {@code @BeforeAll}) the names belong to the class
 *       and are dropped after its last test.</li>
 * </ul>
 *
 * <p>The shared server is shared: a test that stops or restarts a server, or changes
 * server-wide settings, should start its own with {@link PostgresServer#start(PostgresOptions)}.
 *
 * <p>Thread-safe: the shared server is started at most once, also when tests run in
 * parallel.
 */
public final class PostgresExtension
    implements ParameterResolver, BeforeEachCallback, AfterEachCallback {

  /*
   * The shared server is static: it is per JVM by definition, and sharedServer() must work
   * where no ExtensionContext exists (a static @BeforeAll, a main method). The extension puts
   * one AutoCloseable into the root context's store, which JUnit closes when the test run
   * ends; a local server's JVM shutdown hook is the safety net. A failed start is remembered,
   * so that a run without PostgreSQL fails every test quickly with the same message instead of
   * trying again each time.
   */

  /** The options of the shared server: name {@code "shared"}, 200 connections. */
  public static final PostgresOptions SHARED_OPTIONS =
      PostgresOptions.builder().name("shared").maxConnections(200).build();

  private static final Namespace NAMESPACE = Namespace.create(PostgresExtension.class);
  private static final Object LOCK = new Object();
  private static @Nullable PostgresServer shared; // guarded by LOCK
  private static @Nullable String startFailure; // guarded by LOCK: why the first start failed

  /** Creates the extension; JUnit does this. */
  public PostgresExtension() {}

  /**
   * Returns the server shared by all tests of this JVM, starting it on first call. The same
   * instance that is injected as a {@link PostgresServer} parameter. Do not close it.
   *
   * @return the running shared server
   * @throws PostgresUnavailableException if it cannot be started (now or on an earlier call)
   */
  public static PostgresServer sharedServer() {
    synchronized (LOCK) {
      if (shared == null) {
        if (startFailure != null) {
          throw new PostgresUnavailableException(
              "the shared PostgreSQL server failed to start"
                  + " earlier in this JVM: "
                  + startFailure);
        }
        try {
          shared = PostgresServer.start(SHARED_OPTIONS);
        } catch (RuntimeException e) {
          startFailure = String.valueOf(e.getMessage());
          throw e;
        }
      }
      return shared;
    }
  }

  private static Optional<PostgresServer> startedSharedServer() {
    synchronized (LOCK) {
      return Optional.ofNullable(shared);
    }
  }

  private static void closeSharedServer() {
    PostgresServer server;
    synchronized (LOCK) {
      server = shared;
      shared = null;
      startFailure = null;
    }
    if (server != null) {
      server.close();
    }
  }

  /** Asks JUnit for the test method's context also when resolving constructor parameters. */
  @Override
  public ExtensionContextScope getTestInstantiationExtensionContextScope(
      ExtensionContext rootContext) {
    return ExtensionContextScope.TEST_METHOD;
  }

  /**
   * Supports parameters of type {@link PostgresServer} and {@link TestNames}.
   *
   * @param parameterContext the parameter
   * @param extensionContext the context
   * @return whether this extension resolves it
   */
  @Override
  public boolean supportsParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    Class<?> type = parameterContext.getParameter().getType();
    return type == PostgresServer.class || type == TestNames.class;
  }

  /**
   * Returns the shared server or the current test's names.
   *
   * @param parameterContext the parameter
   * @param extensionContext the context
   * @return the value to inject
   * @throws PostgresUnavailableException if the shared server cannot be started
   */
  @Override
  public Object resolveParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    registerCloser(extensionContext);
    if (parameterContext.getParameter().getType() == PostgresServer.class) {
      return sharedServer();
    }
    return names(extensionContext);
  }

  /**
   * Prepares the test's names; starts nothing.
   *
   * @param context the test's context
   */
  @Override
  public void beforeEach(ExtensionContext context) {
    registerCloser(context);
    names(context);
  }

  /**
   * Drops the databases and roles named with the test's {@link TestNames}.
   *
   * @param context the test's context
   * @throws IllegalStateException if something could not be dropped
   */
  @Override
  public void afterEach(ExtensionContext context) {
    NamesCleanup cleanup =
        context.getStore(NAMESPACE).remove(context.getUniqueId(), NamesCleanup.class);
    if (cleanup != null) {
      cleanup.close();
    }
  }

  private static TestNames names(ExtensionContext context) {
    // Keyed by the context's id: store look-ups fall back to parent contexts, and a test must
    // not get its class's names.
    return context
        .getStore(NAMESPACE)
        .computeIfAbsent(
            context.getUniqueId(),
            k -> new NamesCleanup(new TestNames(testName(context))),
            NamesCleanup.class)
        .names;
  }

  private static String testName(ExtensionContext context) {
    return context
        .getTestMethod()
        .map(Method::getName)
        .orElseGet(() -> context.getTestClass().map(Class::getSimpleName).orElse("test"));
  }

  private static void registerCloser(ExtensionContext context) {
    context
        .getRoot()
        .getStore(NAMESPACE)
        .computeIfAbsent(
            SharedServerCloser.class, k -> new SharedServerCloser(), SharedServerCloser.class);
  }

  /** Closed by JUnit at the end of the test run. */
  private static final class SharedServerCloser implements AutoCloseable {
    @Override
    public void close() {
      closeSharedServer();
    }
  }

  /** Closed after each test, or by JUnit when a class-level context ends. */
  private static final class NamesCleanup implements AutoCloseable {
    final TestNames names;
    private final AtomicBoolean done = new AtomicBoolean();

    NamesCleanup(TestNames names) {
      this.names = names;
    }

    @Override
    public void close() {
      if (done.compareAndSet(false, true)) {
        startedSharedServer().filter(PostgresServer::isRunning).ifPresent(names::dropAll);
      }
    }
  }
}
