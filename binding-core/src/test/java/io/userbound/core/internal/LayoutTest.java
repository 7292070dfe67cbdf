package io.userbound.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every file of this package has one place in the index of its package-info (its layer and its
 * role), and the index names no file that is gone. Reads the sources, relative to the module's
 * directory (surefire's working directory).
 */
class LayoutTest {

  private static final Path PACKAGE = Path.of("src/main/java/io/userbound/core/internal");

  /* The index: one entry a line, indented under its layer's heading, inside <pre>. */
  private static final List<String[]> ENTRIES = new ArrayList<>();
  private static final Set<String> FILES = new TreeSet<>();

  @BeforeAll
  static void read() throws IOException {
    List<String> lines = Files.readAllLines(PACKAGE.resolve("package-info.java"));
    int from = lines.indexOf(" * <pre>");
    int to = lines.indexOf(" * </pre>");
    assertThat(from).as("package-info has a <pre> index").isNotNegative().isLessThan(to);
    for (String line : lines.subList(from + 1, to)) {
      String text = line.replaceFirst("^ \\*( |$)", "");
      if (text.startsWith(" ")) { // an entry; a heading starts at the margin
        ENTRIES.add(text.strip().split("\\s+", 2));
      }
    }
    try (Stream<Path> files = Files.list(PACKAGE)) {
      files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".java") && !n.equals("package-info.java"))
          .forEach(n -> FILES.add(n.substring(0, n.length() - ".java".length())));
    }
    assertThat(FILES).as("sources found in " + PACKAGE.toAbsolutePath()).isNotEmpty();
  }

  @Test
  void index_listsEveryFile() {
    assertThat(names())
        .as("files of %s missing from its package-info index", PACKAGE)
        .containsAll(FILES);
  }

  @Test
  void index_listsNoFileTwice() {
    assertThat(names()).as("listed twice in the package-info index").doesNotHaveDuplicates();
  }

  @Test
  void index_listsNoFileThatIsGone() {
    assertThat(FILES)
        .as("listed in the package-info index, but no such file in %s", PACKAGE)
        .containsAll(names());
  }

  @Test
  void index_givesEachFileARole() {
    assertThat(ENTRIES)
        .as("entries without a role")
        .allSatisfy(e -> assertThat(e).as(e[0]).hasSize(2));
  }

  private static List<String> names() {
    return ENTRIES.stream().map(e -> e[0]).toList();
  }
}
