package io.userbound.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** Runs last (see junit-platform.properties): no test password in any log line of the run. */
@Order(Integer.MAX_VALUE)
class PasswordLogScanTest {

  @Test
  void logs_ofTheWholeRun_containNoPassword() {
    List<String> lines = CapturedLogs.lines();
    List<String> passwords = TestPasswords.all();
    long hits = 0;
    for (String line : lines) {
      for (String pw : passwords) {
        String encoded = URLEncoder.encode(pw, StandardCharsets.UTF_8);
        if (line.contains(pw) || line.contains(encoded)) {
          hits++;
          System.out.println("PASSWORD IN LOG: " + line.replace(pw, "<pw>").replace(encoded, "<pw>"));
        }
      }
    }
    System.out.printf("log scan: %d lines, %d passwords, %d hits%n", lines.size(), passwords.size(), hits);
    assertThat(lines).isNotEmpty();
    assertThat(passwords).isNotEmpty();
    assertThat(hits).isZero();
  }
}
