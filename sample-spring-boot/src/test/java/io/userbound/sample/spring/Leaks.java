package io.userbound.sample.spring;

import io.userbound.core.DatabaseStats;
import io.userbound.core.Userbound;
import io.userbound.sample.DemoPerson;
import io.userbound.testkit.LeakCheck;
import io.userbound.testkit.TestPasswords;

/** What every test of the sample checks: the test kit's leak probe and password log scan. */
final class Leaks {

  private Leaks() {}

  /**
   * Call before each test: the demo passwords join the log scan, and the test must end with
   * nothing bound on its thread and no connection borrowed.
   */
  static void checkAfterTheTest(Userbound userbound) {
    for (DemoPerson p : DemoPerson.ALL) {
      TestPasswords.remember(p.password().toCharArray());
    }
    LeakCheck.track(
        () -> {},
        () -> {
          if (userbound.current().isPresent()) {
            return "a binding left open on the test thread";
          }
          for (DatabaseStats s : userbound.stats()) {
            if (s.activeConnections() > 0) {
              return s.activeConnections() + " connection(s) still borrowed on " + s.database();
            }
          }
          return null;
        });
  }
}
