package io.userbound.core.internal;

import io.userbound.core.LogText;
import io.userbound.core.UserboundEvent;
import io.userbound.core.UserboundListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;

/**
 * Not API: the default {@link UserboundListener}, see {@link UserboundListener#slf4j()}.
 * Roles, client keys and details are escaped ({@link LogText}) before they reach a log line
 * or the MDC (they may be whatever an attacker typed into a login form or sent in a header);
 * no event carries a password.
 */
public final class Slf4jAuditLog implements UserboundListener {

  /** The one instance. */
  public static final Slf4jAuditLog INSTANCE = new Slf4jAuditLog();

  /** MDC key of the role an event is about. */
  public static final String MDC_ROLE = "userbound.role";

  /** MDC key of the database an event happened on. */
  public static final String MDC_DATABASE = "userbound.database";

  private static final Logger log = LoggerFactory.getLogger("io.userbound.audit");

  private Slf4jAuditLog() {}

  @Override
  public void onEvent(UserboundEvent e) {
    Level level = level(e.type());
    if (!log.isEnabledForLevel(level)) {
      return;
    }
    String role = e.role().isEmpty() ? "" : Names.forMessage(e.role());
    String oldRole = MDC.get(MDC_ROLE);
    String oldDatabase = MDC.get(MDC_DATABASE);
    MDC.put(MDC_ROLE, role);
    MDC.put(MDC_DATABASE, e.database());
    try {
      log.atLevel(level)
          .log(
              "{} database={} role={}{} {}",
              e.type(),
              e.database(),
              role.isEmpty() ? "-" : role,
              e.client() == null ? "" : " client=" + Names.forMessage(e.client()),
              LogText.escape(e.detail(), 512));
    } finally {
      restore(MDC_ROLE, oldRole);
      restore(MDC_DATABASE, oldDatabase);
    }
  }

  static Level level(UserboundEvent.Type type) {
    return switch (type) {
      case LOGIN_THROTTLED, BUDGET_EXHAUSTED, ROLE_CHANGE_REFUSED -> Level.WARN;
      case LOGIN_ACCEPTED, LOGIN_REFUSED, LOGIN_REVOKED -> Level.INFO; // routine: passwords expire
      case POOL_OPENED, POOL_RETIRED, POOL_CLOSED, RECLAIM -> Level.DEBUG;
    };
  }

  private static void restore(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }

  @Override
  public String toString() {
    return "UserboundListener.slf4j()";
  }
}
