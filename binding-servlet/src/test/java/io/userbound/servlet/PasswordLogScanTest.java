package io.userbound.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.userbound.testkit.CapturedLogs;
import io.userbound.testkit.PasswordLeaks;
import io.userbound.testkit.TestPasswords;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** Runs last (see junit-platform.properties): no test password in any log line of the run. */
@Order(Integer.MAX_VALUE)
class PasswordLogScanTest {

  @Test
  void logs_ofTheWholeRun_containNoPassword() {
    List<String> lines = CapturedLogs.lines();
    List<String> leaks = PasswordLeaks.in(lines);
    leaks.forEach(line -> System.out.println("PASSWORD IN LOG: " + line));
    System.out.printf("log scan: %d lines, %d passwords, %d hits%n", lines.size(), TestPasswords.all().size(),
        leaks.size());
    assertThat(lines).isNotEmpty();
    assertThat(TestPasswords.all()).isNotEmpty();
    assertThat(leaks).isEmpty();
  }
}
