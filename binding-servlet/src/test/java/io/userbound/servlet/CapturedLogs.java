package io.userbound.servlet;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** A logback appender that keeps every log line of the test run, with its stack trace. */
public final class CapturedLogs extends AppenderBase<ILoggingEvent> {

  private static final ConcurrentLinkedQueue<String> LINES = new ConcurrentLinkedQueue<>();

  @Override
  protected void append(ILoggingEvent event) {
    StringBuilder sb = new StringBuilder();
    sb.append(event.getLevel()).append(' ').append(event.getLoggerName()).append(" - ")
        .append(event.getFormattedMessage());
    for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
      sb.append("\n").append(t.getClassName()).append(": ").append(t.getMessage());
      for (StackTraceElementProxy s : t.getStackTraceElementProxyArray()) {
        sb.append("\n\tat ").append(s.getSTEAsString());
      }
    }
    LINES.add(sb.toString());
  }

  static List<String> lines() {
    return new ArrayList<>(LINES);
  }
}
