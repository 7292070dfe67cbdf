package io.userbound.sample;

import io.userbound.core.DatabaseConfig;
import java.util.Map;
import java.util.Optional;

/**
 * The command line of {@link SampleApp}. Immutable.
 *
 * @param port the HTTP port; 0 picks a free one
 * @param financeUrl the JDBC URL of an existing finance database, or {@code null} for the embedded
 *     default
 * @param staffUrl the JDBC URL of an existing staff database, or {@code null} for the embedded
 *     default
 */
record Options(int port, String financeUrl, String staffUrl) {

  static final String FINANCE_ENV = "USERBOUND_FINANCE_URL";
  static final String STAFF_ENV = "USERBOUND_STAFF_URL";

  static final String USAGE =
      """
      Usage: SampleApp [--port N] [--finance-url URL --staff-url URL]

        --port N            HTTP port on 127.0.0.1 (default 8080; 0 picks a free port)
        --finance-url URL   jdbc:postgresql://host:port/finance of an existing server
        --staff-url URL     jdbc:postgresql://host:port/staff of an existing server
                            (or set USERBOUND_FINANCE_URL and USERBOUND_STAFF_URL)

      Without URLs it starts two throw-away PostgreSQL servers with demo people and data.
      With URLs it creates nothing: run db/finance.sql and db/staff.sql there first.\
      """;

  Options {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("--port " + port + ": must be between 0 and 65535");
    }
    if ((financeUrl == null) != (staffUrl == null)) {
      throw new IllegalArgumentException(
          "give both --finance-url and --staff-url (or "
              + FINANCE_ENV
              + " and "
              + STAFF_ENV
              + "), or neither for the embedded default");
    }
    checkUrl("--finance-url", financeUrl);
    checkUrl("--staff-url", staffUrl);
  }

  /** {@return the embedded default on a port} */
  static Options embedded(int port) {
    return new Options(port, null, null);
  }

  /** {@return whether to start the embedded PostgreSQL servers} */
  boolean embedded() {
    return financeUrl == null;
  }

  /**
   * Reads the command line; options win over the environment.
   *
   * @param args the arguments
   * @param env the environment
   * @return the options, or empty if help was asked for
   * @throws IllegalArgumentException naming the bad argument
   */
  static Optional<Options> parse(String[] args, Map<String, String> env) {
    int port = 8080;
    String finance = blankToNull(env.get(FINANCE_ENV));
    String staff = blankToNull(env.get(STAFF_ENV));
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      switch (name) {
        case "-h", "--help" -> {
          return Optional.empty();
        }
        case "--port" -> {
          String v = value != null ? value : next(args, ++i, name);
          try {
            port = Integer.parseInt(v);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port " + v + ": not a number");
          }
        }
        case "--finance-url" -> finance = value != null ? value : next(args, ++i, name);
        case "--staff-url" -> staff = value != null ? value : next(args, ++i, name);
        default -> throw new IllegalArgumentException("unknown argument: " + arg);
      }
    }
    return Optional.of(new Options(port, finance, staff));
  }

  private static String next(String[] args, int i, String name) {
    if (i >= args.length) {
      throw new IllegalArgumentException(name + ": needs a value");
    }
    return args[i];
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static void checkUrl(String name, String url) {
    if (url != null && !url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          name + " " + DatabaseConfig.maskUrl(url) + ": must start with jdbc:postgresql:");
    }
  }
}
