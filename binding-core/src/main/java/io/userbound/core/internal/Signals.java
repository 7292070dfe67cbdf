package io.userbound.core.internal;

import io.userbound.core.TimingListener;
import io.userbound.core.UserboundEvent;
import io.userbound.core.UserboundListener;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Where events and timings leave an instance: the configured listeners (fixed at start)
 * and the timing listeners metrics add later. The request path pays one volatile read to
 * learn that nobody listens for timings; events are rare (logins, pools, reclaims).
 * A listener that throws is logged once a minute at most and never fails the caller.
 */
final class Signals {

  private static final Logger log = LoggerFactory.getLogger(Signals.class);
  private static final TimingListener[] NONE = new TimingListener[0];

  private final UserboundListener[] listeners;
  private volatile TimingListener[] timings = NONE;
  private volatile long lastComplaint;

  Signals(List<UserboundListener> listeners) {
    this.listeners = listeners.toArray(new UserboundListener[0]);
  }

  static Signals none() {
    return new Signals(List.of());
  }

  // ---- events -------------------------------------------------------------------------

  void event(UserboundEvent.Type type, String database, String role, String client, String detail) {
    if (listeners.length == 0) {
      return;
    }
    UserboundEvent e =
        new UserboundEvent(
            type,
            database,
            role == null ? "" : role,
            client,
            detail == null ? "" : detail,
            System.currentTimeMillis());
    for (UserboundListener l : listeners) {
      try {
        l.onEvent(e);
      } catch (RuntimeException failure) {
        complain(l, failure);
      }
    }
  }

  // ---- timings ------------------------------------------------------------------------

  /** Whether anybody listens for timings: the caller reads the clock only then. */
  boolean timed() {
    return timings.length > 0;
  }

  synchronized void add(TimingListener l) {
    TimingListener[] now = Arrays.copyOf(timings, timings.length + 1);
    now[now.length - 1] = l;
    timings = now;
  }

  synchronized void remove(TimingListener l) {
    timings = Arrays.stream(timings).filter(t -> t != l).toArray(TimingListener[]::new);
  }

  void borrowed(String database, long nanos) {
    for (TimingListener t : timings) {
      try {
        t.borrowed(database, nanos);
      } catch (RuntimeException failure) {
        complain(t, failure);
      }
    }
  }

  void opened(String database, long nanos) {
    for (TimingListener t : timings) {
      try {
        t.opened(database, nanos);
      } catch (RuntimeException failure) {
        complain(t, failure);
      }
    }
  }

  void used(String database, long nanos) {
    for (TimingListener t : timings) {
      try {
        t.used(database, nanos);
      } catch (RuntimeException failure) {
        complain(t, failure);
      }
    }
  }

  private void complain(Object listener, RuntimeException failure) {
    long now = System.nanoTime();
    if (now - lastComplaint > 60_000_000_000L || lastComplaint == 0) {
      lastComplaint = now;
      log.warn(
          "listener {} failed (ignored): {}", listener.getClass().getName(), failure.toString());
    }
  }
}
