package io.userbound.core.internal;

import io.userbound.core.Binding;
import io.userbound.core.Login;

/*
 * A binding of one login to one thread.
 *
 * Each thread has one Slot per Userbound instance (kept in a ThreadLocal and reused for
 * every request), holding the newest binding opened on that thread; each binding points
 * at the one that was current when it opened. What is bound is the newest binding that
 * is still open: closed ones are skipped and dropped by the owning thread the next time
 * it looks. So closing never "restores" anything:
 *   - a closed binding is dead at once, whichever thread closed it (the flag is volatile;
 *     the owning thread sees it on its next look);
 *   - closing bindings out of order leaves the still-open ones in force, and a login is
 *     never put back over a newer binding;
 *   - close() only sets a flag, so it cannot throw and is idempotent.
 * Only the owning thread touches its slot's chain; other threads only set flags.
 */
final class ThreadBinding implements Binding {

  /** The per-thread head of the chain. */
  static final class Slot {

    private ThreadBinding top;

    /** The login of the newest open binding, or null; drops closed bindings on the way. */
    DefaultLogin current() {
      ThreadBinding b = top;
      if (b == null) {
        return null;
      }
      if (!b.closed) {
        return b.login;
      }
      while (b != null && b.closed) {
        b = b.below;
      }
      top = b;
      return b == null ? null : b.login;
    }

    ThreadBinding bind(DefaultLogin login) {
      current(); // drop closed ones first, so the chain never grows with dead links
      ThreadBinding b = new ThreadBinding(login, top);
      top = b;
      return b;
    }

    /** Closes every binding still open on this thread; returns how many there were. */
    int clear() {
      int open = 0;
      for (ThreadBinding b = top; b != null; b = b.below) {
        if (!b.closed) {
          b.closed = true;
          open++;
        }
      }
      top = null;
      return open;
    }
  }

  private final DefaultLogin login;
  private final ThreadBinding below;
  private volatile boolean closed;

  private ThreadBinding(DefaultLogin login, ThreadBinding below) {
    this.login = login;
    this.below = below;
  }

  @Override
  public Login login() {
    return login;
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return "Binding[" + login + (closed ? ", closed" : "") + "]";
  }
}
