package io.userbound.testkit;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A logback appender that keeps every log line of the test JVM, with stack traces, so a
 * test can scan them (see {@link PasswordLeaks}). Declare it in {@code logback-test.xml}:
 *
 * <pre>{@code
 * <appender name="CAPTURE" class="io.userbound.testkit.CapturedLogs"/>
 * <root level="INFO"><appender-ref ref="CAPTURE"/></root>
 * }</pre>
 *
 * <p>Needs logback-classic on the test class path. Thread-safe; lines are kept for the
 * life of the JVM, so use it in tests only.
 */
public final class CapturedLogs extends AppenderBase<ILoggingEvent> {

  private static final ConcurrentLinkedQueue<String> LINES = new ConcurrentLinkedQueue<>();

  /** Created by logback from its configuration. */
  public CapturedLogs() {}

  @Override
  protected void append(ILoggingEvent event) {
    StringBuilder sb = new StringBuilder();
    sb.append(event.getLevel())
        .append(' ')
        .append(event.getLoggerName())
        .append(" - ")
        .append(event.getFormattedMessage());
    for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
      sb.append("\n").append(t.getClassName()).append(": ").append(t.getMessage());
      for (StackTraceElementProxy s : t.getStackTraceElementProxyArray()) {
        sb.append("\n\tat ").append(s.getSTEAsString());
      }
    }
    LINES.add(sb.toString());
  }

  /**
   * Returns every line captured so far in this JVM.
   *
   * @return a copy of the lines, oldest first
   */
  public static List<String> lines() {
    return new ArrayList<>(LINES);
  }
}
