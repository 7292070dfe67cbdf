package io.userbound.testkit;

import io.userbound.testkit.internal.PostgresServers;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Unique database and role names for one test, and clean-up of what was made with them.
 * Injected by {@link PostgresExtension} into test constructors and methods.
 *
 * <p>Every name starts with {@link #prefix()}, which holds the test method's name and a token
 * unique in this JVM and, with high probability, among JVMs sharing an external server. Names
 * are lowercase {@code [a-z0-9_]}, so they need no quoting, and at most 63 bytes. After the
 * test, the extension drops every database, then every role, whose name starts with
 * {@code prefix() + "_"}, whether made by {@link #login(char[])}, {@link #createDatabase()} or
 * by the test itself with a name from here.
 *
 * <p>Thread-safe.
 */
public final class TestNames {
  private static final int MAX_NAME = 63;
  private static final int MAX_TEST_NAME = 30;
  private static final Pattern SUFFIX = Pattern.compile("[a-z0-9_]+");
  private static final String JVM_TOKEN = randomToken(4);
  private static final AtomicLong COUNTER = new AtomicLong();

  private final String prefix;
  private final AtomicInteger serial = new AtomicInteger();

  TestNames(String testName) {
    this.prefix =
        "t_" + sanitize(testName) + "_" + JVM_TOKEN + Long.toString(COUNTER.incrementAndGet(), 36);
  }

  /**
   * Returns the prefix shared by all names of this test, e.g. {@code t_login_wrong_k3x95}.
   *
   * @return the prefix
   */
  public String prefix() {
    return prefix;
  }

  /**
   * Returns a fresh role name, different on every call, e.g. {@code t_login_wrong_k3x95_r1}.
   * Nothing is created.
   *
   * @return a new name
   */
  public String role() {
    return prefix + "_r" + serial.incrementAndGet();
  }

  /**
   * Returns the role name for a suffix: {@code prefix() + "_" + suffix}; the same for the same
   * suffix within a test, unique across tests. Nothing is created.
   *
   * @param suffix lowercase {@code [a-z0-9_]}, short enough for a 63-byte name
   * @return the name
   * @throws IllegalArgumentException if the suffix is malformed or too long
   */
  public String role(String suffix) {
    return withSuffix(suffix, "role");
  }

  /**
   * Returns a fresh database name, different on every call. Nothing is created.
   *
   * @return a new name
   */
  public String database() {
    return prefix + "_d" + serial.incrementAndGet();
  }

  /**
   * Returns the database name for a suffix: {@code prefix() + "_" + suffix}. Nothing is
   * created.
   *
   * @param suffix lowercase {@code [a-z0-9_]}, short enough for a 63-byte name
   * @return the name
   * @throws IllegalArgumentException if the suffix is malformed or too long
   */
  public String database(String suffix) {
    return withSuffix(suffix, "database");
  }

  /**
   * Creates a login role with a fresh name and the given password on the shared server
   * ({@link PostgresExtension#sharedServer()}); it is dropped after the test.
   *
   * @param password the password; not kept
   * @return the role name
   * @throws IllegalStateException if PostgreSQL refuses
   * @throws PostgresUnavailableException if the shared server cannot be started
   */
  public String login(char[] password) {
    String role = role();
    TestPasswords.remember(password);
    PostgresExtension.sharedServer().createLogin(role, password);
    return role;
  }

  /**
   * Creates a database with a fresh name on the shared server, owned by the superuser; it is
   * dropped after the test.
   *
   * @return the database name
   * @throws IllegalStateException if PostgreSQL refuses
   * @throws PostgresUnavailableException if the shared server cannot be started
   */
  public String createDatabase() {
    String database = database();
    PostgresExtension.sharedServer().createDatabase(database);
    return database;
  }

  /** Drops everything named with this prefix on the server, if it was started at all. */
  void dropAll(PostgresServer server) {
    PostgresServer direct = PgBouncer.in(server).map(PgBouncer::server).orElse(server);
    PostgresServers.dropByPrefix(direct, prefix + "_");
  }

  /** Shows the prefix. */
  @Override
  public String toString() {
    return "TestNames[" + prefix + "]";
  }

  private String withSuffix(String suffix, String what) {
    if (suffix == null || !SUFFIX.matcher(suffix).matches()) {
      throw new IllegalArgumentException(
          what
              + " suffix must be lowercase [a-z0-9_], but was "
              + (suffix == null ? "null" : "'" + suffix + "'"));
    }
    String name = prefix + "_" + suffix;
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME) {
      throw new IllegalArgumentException(
          what
              + " suffix '"
              + suffix
              + "' makes the name "
              + name
              + " longer than "
              + MAX_NAME
              + " bytes; use at most "
              + (MAX_NAME - prefix.length() - 1)
              + " characters");
    }
    return name;
  }

  static String sanitize(String testName) {
    String s =
        testName == null
            ? ""
            : testName
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9_]+", "_")
                .replaceAll("_+", "_")
                .replaceAll("^_|_$", "");
    if (s.length() > MAX_TEST_NAME) {
      s = s.substring(0, MAX_TEST_NAME).replaceAll("_$", "");
    }
    return s.isEmpty() ? "test" : s;
  }

  private static String randomToken(int length) {
    SecureRandom random = new SecureRandom();
    StringBuilder token = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      token.append(Character.forDigit(random.nextInt(36), 36));
    }
    return token.toString();
  }
}
