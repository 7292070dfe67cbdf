package io.userbound.core.internal;

import io.userbound.core.Binding;
import io.userbound.core.Login;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A binding of one login to one thread; closing restores the previous one. */
final class ThreadBinding implements Binding {

  private static final Logger log = LoggerFactory.getLogger(ThreadBinding.class);

  private final ThreadLocal<LoginImpl> slot;
  private final LoginImpl login;
  private final LoginImpl previous;
  private final Thread thread;
  private boolean closed;

  ThreadBinding(ThreadLocal<LoginImpl> slot, LoginImpl login, LoginImpl previous) {
    this.slot = slot;
    this.login = login;
    this.previous = previous;
    this.thread = Thread.currentThread();
  }

  @Override
  public Login login() {
    return login;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    if (Thread.currentThread() != thread) {
      log.warn("a binding of {} was closed on thread {} but opened on {}; it stays bound there",
          login, Thread.currentThread().getName(), thread.getName());
      return;
    }
    closed = true;
    if (previous == null) {
      slot.remove();
    } else {
      slot.set(previous);
    }
  }

  @Override
  public String toString() {
    return "Binding[" + login + (closed ? ", closed" : "") + "]";
  }
}
