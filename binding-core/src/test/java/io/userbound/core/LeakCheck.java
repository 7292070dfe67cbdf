package io.userbound.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaves a connection borrowed or a binding open, and closes every
 * Userbound instance the test made through {@link #track(Userbound)}.
 */
public final class LeakCheck implements AfterEachCallback {

  private static final ThreadLocal<List<Userbound>> TRACKED = ThreadLocal.withInitial(ArrayList::new);

  /** Registers an instance for the checks after this test; returns it. */
  static Userbound track(Userbound userbound) {
    TRACKED.get().add(userbound);
    return userbound;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    List<Userbound> mine = new ArrayList<>(TRACKED.get());
    TRACKED.remove();
    try {
      if (context.getExecutionException().isPresent()) {
        return;
      }
      for (Userbound u : mine) {
        assertThat(u.current()).as("binding left open by " + context.getDisplayName()).isEmpty();
        for (DatabaseStats s : u.stats()) {
          assertThat(s.activeConnections())
              .as("connections left borrowed on " + s.database() + " by " + context.getDisplayName())
              .isZero();
        }
      }
    } finally {
      mine.forEach(Userbound::close);
    }
  }
}
