package io.userbound.core;

import io.userbound.core.internal.Slf4jAuditLog;

/**
 * Receives {@link UserboundEvent}s: the audit trail of logins and the life of pools.
 * Register listeners with {@link UserboundConfig.Builder#listener(UserboundListener)}.
 *
 * <p>Threading: {@link #onEvent} is called synchronously on the thread where the event
 * happened (a request thread for logins, pool openings and budget exhaustion; Userbound's
 * housekeeping or closer threads for expiry, reclaim and closing), possibly on many
 * threads at once, and never while Userbound holds a lock. It must be thread-safe and
 * quick: a slow listener slows the request that caused the event. It must not block on
 * Userbound (say, wait for a connection). An exception it throws is logged and dropped;
 * it never fails the request or stops other listeners.
 */
@FunctionalInterface
public interface UserboundListener {

  /**
   * Called once for each event.
   *
   * @param event what happened
   */
  void onEvent(UserboundEvent event);

  /**
   * The default listener (on unless {@link UserboundConfig.Builder#auditLog(boolean)} turns
   * it off): logs each event through SLF4J on the logger {@code io.userbound.audit}.
   * Throttled logins (an attack under way) and budget exhaustion at WARN, accepted and
   * refused logins at INFO (a mistyped password is routine), the pools' life at DEBUG. The role, client and detail
   * are escaped with {@link LogText} (line breaks, controls, bidi and other format characters
   * cannot forge or reorder log lines; overlong names are cut). The role and database are also put in the MDC under {@code
   * userbound.role} and {@code userbound.database} for the call, and the previous values
   * put back afterwards.
   *
   * @return the SLF4J audit log
   */
  static UserboundListener slf4j() {
    return Slf4jAuditLog.INSTANCE;
  }
}
