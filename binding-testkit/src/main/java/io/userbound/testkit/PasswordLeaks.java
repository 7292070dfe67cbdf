package io.userbound.testkit;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Looks for test passwords in captured log lines: each password as it is and URL-encoded.
 * A module's last test calls {@link #in(List)} on {@link CapturedLogs#lines()} and
 * expects nothing.
 */
public final class PasswordLeaks {

  private PasswordLeaks() {}

  /**
   * Finds the lines that contain a password from {@link TestPasswords#all()}.
   *
   * @param lines the log lines to scan
   * @return the offending lines with the password replaced by {@code <pw>}, so that the
   *     report does not leak it again; empty if none
   */
  public static List<String> in(List<String> lines) {
    List<String> hits = new ArrayList<>();
    for (String pw : TestPasswords.all()) {
      String encoded = URLEncoder.encode(pw, StandardCharsets.UTF_8);
      for (String line : lines) {
        if (line.contains(pw) || line.contains(encoded)) {
          hits.add(line.replace(pw, "<pw>").replace(encoded, "<pw>"));
        }
      }
    }
    return hits;
  }
}
