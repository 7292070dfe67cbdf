package io.userbound.servlet;

import io.userbound.core.Login;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionBindingListener;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/*
 * The value of the session attribute that keeps a login. The Login (and with it the
 * password copy core keeps) never leaves this JVM: serialization writes a stateless
 * LoginGone marker in its place (writeReplace), so a persisted, passivated or replicated
 * session comes back without a login and the person logs in again. The holder is
 * Serializable, rather than not, because containers reject or drop non-serializable
 * attributes in distributable applications (Tomcat's setAttribute throws
 * IllegalArgumentException), which would break the application instead of only the login.
 *
 * It is also an HttpSessionBindingListener: whenever the container unbinds it (session
 * invalidated or expired, attribute removed or replaced) the session is counted down. The
 * HttpSessionListener does the same on sessionDestroyed; end() runs once either way.
 */

/** A login kept in one HTTP session; see the class comment. Thread-safe. */
final class LoginHolder implements HttpSessionBindingListener, Serializable {

  private static final long serialVersionUID = 1L;

  private final transient LiveSessions owner;
  private final transient Login login;
  private final transient AtomicBoolean ended = new AtomicBoolean();

  LoginHolder(LiveSessions owner, Login login) {
    this.owner = owner;
    this.login = login;
  }

  /**
   * Returns the login if this holder belongs to the given counts and is still live.
   *
   * @param expectedOwner the counts of the asking login service
   * @return the login, or {@code null} if it is someone else's, ended or logged out
   */
  @Nullable Login loginFor(LiveSessions expectedOwner) {
    if (owner != expectedOwner || ended.get() || login.isLoggedOut()) {
      return null;
    }
    return login;
  }

  /**
   * Tells whether this holder belongs to the given counts.
   *
   * @param expectedOwner the counts of the asking login service
   * @return whether it does
   */
  boolean ownedBy(LiveSessions expectedOwner) {
    return owner == expectedOwner;
  }

  /** Counts the session down and releases or logs out the login; only the first call acts. */
  void end() {
    if (ended.compareAndSet(false, true)) {
      owner.ended(login);
    }
  }

  @Override
  public void valueUnbound(HttpSessionBindingEvent event) {
    end();
  }

  private Object writeReplace() throws ObjectStreamException {
    return LoginGone.INSTANCE;
  }

  @Override
  public String toString() {
    return "LoginHolder[" + login + (ended.get() ? ", ended" : "") + "]";
  }
}
