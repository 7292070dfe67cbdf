package io.userbound.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaves something behind, and closes what the test registered. A test
 * (or its fixtures) registers each resource it starts with {@link #track(AutoCloseable)},
 * or with a leak probe: {@link #track(AutoCloseable, Supplier)}. After a test that passed,
 * every probe must report nothing (probes are asked again for a few seconds, since
 * connections come back on other threads); then every resource is closed, newest first,
 * whether the test passed or not.
 *
 * <pre>{@code
 * Userbound ub = LeakCheck.track(Userbound.create(config),
 *     () -> ub.current().isPresent() ? "a binding left open" : null);
 * }</pre>
 *
 * <p>Registered automatically in every module that enables JUnit's extension
 * auto-detection ({@code junit.jupiter.extensions.autodetection.enabled=true}); it can also
 * be named with {@code @ExtendWith}. Resources are kept per test thread.
 */
public final class LeakCheck implements AfterEachCallback {

  private static final Duration PATIENCE = Duration.ofSeconds(10);
  private static final ThreadLocal<List<Tracked>> TRACKED = ThreadLocal.withInitial(ArrayList::new);

  private record Tracked(AutoCloseable resource, Supplier<@Nullable String> probe) {}

  /** Created by JUnit. */
  public LeakCheck() {}

  /**
   * Closes a resource after the current test.
   *
   * @param <T> the resource's type
   * @param resource what to close
   * @return the resource
   */
  public static <T extends AutoCloseable> T track(T resource) {
    return track(resource, () -> null);
  }

  /**
   * Checks a resource for leaks after the current test, then closes it.
   *
   * @param <T> the resource's type
   * @param resource what to close
   * @param probe returns what the test left behind, or {@code null} if nothing
   * @return the resource
   */
  public static <T extends AutoCloseable> T track(T resource, Supplier<@Nullable String> probe) {
    TRACKED.get().add(new Tracked(resource, probe));
    return resource;
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    List<Tracked> mine = new ArrayList<>(TRACKED.get());
    TRACKED.remove();
    Exception closing = null;
    try {
      if (context.getExecutionException().isEmpty()) {
        for (Tracked t : mine) {
          String[] leak = new String[1];
          try {
            Await.until("nothing left behind", PATIENCE, () -> (leak[0] = t.probe().get()) == null);
          } catch (AssertionError e) {
            throw new AssertionError(context.getDisplayName() + " left behind: " + leak[0], e);
          }
        }
      }
    } finally {
      for (int i = mine.size() - 1; i >= 0; i--) {
        try {
          mine.get(i).resource().close();
        } catch (Exception e) {
          closing = e;
        }
      }
    }
    if (closing != null) {
      throw closing;
    }
  }
}
