package io.userbound.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import io.userbound.testkit.TestPasswords;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * binding-core as its users on the module path see it (every other test runs on the class
 * path): a client module that requires {@code io.userbound.core} logs in and queries through
 * the API, cannot reach the internal packages (not even internal.sql's public class), and pgjdbc can still load Userbound's socket
 * factory by name (the qualified export in module-info). The query is classified (TRACKED), so
 * the SQL guard's name lists, resources of the internal.sql package, must load there too.
 */
@ExtendWith(PostgresExtension.class)
class ModulePathTest {

  private static final List<String> MODULES =
      List.of(
          "HikariCP-",
          "postgresql-",
          "caffeine-",
          "slf4j-api-",
          "jspecify-",
          "error_prone_annotations-",
          "checker-qual-");

  private static final String MODULE_INFO =
      "module userbound.client { requires io.userbound.core; }\n";

  private static final String MAIN =
      """
      package client;

      import io.userbound.core.*;
      import java.io.BufferedReader;
      import java.io.InputStreamReader;
      import java.sql.*;

      public final class Main {
        public static void main(String[] args) throws Exception {
          char[] password = new BufferedReader(new InputStreamReader(System.in)).readLine().toCharArray();
          try (Userbound ub = Userbound.create(UserboundConfig.builder()
              .database(DatabaseConfig.builder("main", args[0]).build()).build())) {
            Login login = ub.login(args[1], password);
            try (Binding b = ub.bind(login); Connection c = ub.connection("main");
                 Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select current_user")) {
              rs.next();
              System.out.println("current_user=" + rs.getString(1));
            }
          }
          try {
            Class.forName("io.userbound.core.internal.DefaultUserbound").getConstructor(UserboundConfig.class)
                .newInstance((Object) null);
            System.out.println("internal:open");
          } catch (IllegalAccessException expected) {
            System.out.println("internal:closed");
          }
          try {
            Class.forName("io.userbound.core.internal.sql.SqlClassifier")
                .getMethod("classify", String.class).invoke(null, "select 1");
            System.out.println("sql:open");
          } catch (IllegalAccessException expected) {
            System.out.println("sql:closed");
          }
        }
      }
      """;

  @Test
  void aClientModule_usesTheApi_andCannotReachTheInternals(
      PostgresServer server, TestNames names, @TempDir Path dir) throws Exception {
    char[] password = TestPasswords.fresh();
    String role = names.login(password);
    String modulePath = modulePath();

    Path src = dir.resolve("src");
    Files.createDirectories(src.resolve("client"));
    Files.writeString(src.resolve("module-info.java"), MODULE_INFO);
    Files.writeString(src.resolve("client/Main.java"), MAIN);
    Path out = dir.resolve("out");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int compiled =
        javac.run(
            null,
            null,
            null,
            "-d",
            out.toString(),
            "--module-path",
            modulePath,
            src.resolve("module-info.java").toString(),
            src.resolve("client/Main.java").toString());
    assertThat(compiled).as("the client module compiles against the exported API").isZero();

    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                java.toString(),
                "--module-path",
                out + File.pathSeparator + modulePath,
                "-m",
                "userbound.client/client.Main",
                server.jdbcUrl("postgres"),
                role)
            .redirectErrorStream(true)
            .start();
    try (OutputStream in = p.getOutputStream()) {
      in.write((new String(password) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(output)
        .contains("current_user=" + role)
        .contains("internal:closed")
        .contains("sql:closed");
  }

  /** binding-core's classes (with module-info) and its runtime dependencies' jars. */
  private static String modulePath() throws IOException {
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry);
      String name = p.getFileName().toString();
      if (Files.exists(p.resolve("module-info.class")) && p.toString().contains("binding-core")) {
        entries.add(entry);
      } else if (name.endsWith(".jar") && MODULES.stream().anyMatch(name::startsWith)) {
        entries.add(entry);
      }
    }
    assertThat(String.join(" ", entries))
        .contains("binding-core")
        .contains("HikariCP")
        .contains("postgresql");
    return String.join(File.pathSeparator, entries);
  }
}
