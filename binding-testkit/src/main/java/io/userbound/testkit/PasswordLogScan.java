package io.userbound.testkit;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails the test class in whose run a test password reached a log line. After each test
 * class it scans the lines {@link CapturedLogs} caught since the last scan for every
 * password {@link TestPasswords} made so far (each as it is and URL-encoded), and prints a
 * summary line to standard output.
 *
 * <p>Registered automatically in every module that enables JUnit's extension
 * auto-detection ({@code junit.jupiter.extensions.autodetection.enabled=true}) and sends
 * its log to {@link CapturedLogs}.
 */
public final class PasswordLogScan implements AfterAllCallback {

  private static int scanned;
  private static long total;

  /** Created by JUnit. */
  public PasswordLogScan() {}

  @Override
  public void afterAll(ExtensionContext context) {
    List<String> lines;
    int from;
    synchronized (PasswordLogScan.class) {
      List<String> all = CapturedLogs.lines();
      from = Math.min(scanned, all.size());
      lines = all.subList(from, all.size());
      scanned = all.size();
      total = all.size();
    }
    List<String> leaks = PasswordLeaks.in(lines);
    System.out.printf(
        "password log scan after %s: %d new lines (%d in all), %d passwords, %d hits%n",
        context.getDisplayName(), lines.size(), total, TestPasswords.all().size(), leaks.size());
    if (!leaks.isEmpty()) {
      leaks.forEach(line -> System.out.println("PASSWORD IN LOG: " + line));
      throw new AssertionError(
          leaks.size() + " log line(s) carry a test password, e.g.: " + leaks.get(0));
    }
  }
}
