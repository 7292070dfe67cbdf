package io.userbound.core;

import io.userbound.testkit.LeakCheck;

/**
 * The leak probe of a Userbound instance for the test kit's {@link LeakCheck}, shared by
 * every module's tests (binding-core's test jar): fails a test that leaves a binding open
 * on the test thread or a connection borrowed, and closes the instance after it.
 */
public final class UserboundLeaks {

  private UserboundLeaks() {}

  /**
   * Closes the instance after the current test and checks it first.
   *
   * @param ub the instance
   * @return the instance
   */
  public static Userbound track(Userbound ub) {
    return LeakCheck.track(ub, () -> leftBehind(ub));
  }

  /**
   * What a test left in an instance.
   *
   * @param ub the instance
   * @return a description, or {@code null} if nothing
   */
  public static String leftBehind(Userbound ub) {
    return ub.current().isPresent() ? "a binding open on the test thread" : borrowed(ub);
  }

  /**
   * The connections still borrowed from an instance.
   *
   * @param ub the instance
   * @return a description, or {@code null} if none
   */
  public static String borrowed(Userbound ub) {
    for (DatabaseStats s : ub.stats()) {
      if (s.activeConnections() > 0) {
        return "connections still borrowed: " + s;
      }
    }
    return null;
  }
}
