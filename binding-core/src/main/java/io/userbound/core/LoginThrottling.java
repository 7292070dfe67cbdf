package io.userbound.core;

import java.time.Duration;
import java.util.Objects;

/**
 * How Userbound slows down password guessing. Immutable and thread-safe; create it with
 * {@link #builder()}, or take {@link #defaults()}.
 *
 * <p>Three limits, each checked before anything is sent to PostgreSQL; a login over any
 * of them fails at once with {@link LoginThrottledException}:
 * <ul>
 *   <li><b>Per role</b>: after {@code failuresPerRole} failed logins in a row, each further
 *       attempt for that role waits out an exponential back-off ({@code backoff},
 *       doubling, at most {@code maxBackoffPerRole}). A successful login clears the role.
 *       The cap keeps an attacker from locking a person out for long.</li>
 *   <li><b>Per client</b> (the key a web layer passes to
 *       {@link Userbound#login(String, char[], String)}, the remote address by default):
 *       the same after {@code failuresPerClient} failures, up to {@code maxBackoffPerClient};
 *       not cleared by a success, so one good account cannot launder a guesser.</li>
 *   <li><b>In flight</b>: at most {@code maxConcurrentLogins} passwords are being verified
 *       at once, across all databases. Each may hold one server connection outside the
 *       budgets while it is verified, so keep the server's {@code max_connections} above
 *       the sum of the budgets plus this.</li>
 * </ul>
 * Failure records are forgotten {@code forgetAfter} after the last failure, and at most
 * {@code maxTracked} roles and as many clients are tracked (least recently failed first
 * out), however many distinct names an attacker tries.
 */
public final class LoginThrottling {

  private final int failuresPerRole;
  private final int failuresPerClient;
  private final Duration backoff;
  private final Duration maxBackoffPerRole;
  private final Duration maxBackoffPerClient;
  private final Duration forgetAfter;
  private final int maxTracked;
  private final int maxConcurrentLogins;

  private LoginThrottling(Builder b) {
    this.failuresPerRole = b.failuresPerRole;
    this.failuresPerClient = b.failuresPerClient;
    this.backoff = b.backoff;
    this.maxBackoffPerRole = b.maxBackoffPerRole;
    this.maxBackoffPerClient = b.maxBackoffPerClient;
    this.forgetAfter = b.forgetAfter;
    this.maxTracked = b.maxTracked;
    this.maxConcurrentLogins = b.maxConcurrentLogins;
  }

  /**
   * The defaults: 5 failures per role and 20 per client before back-off, starting at 1
   * second, at most 1 minute per role and 15 minutes per client; records forgotten after
   * 15 minutes; 100,000 roles and clients tracked; 8 logins in flight.
   *
   * @return the defaults
   */
  public static LoginThrottling defaults() {
    return builder().build();
  }

  /**
   * Starts a builder with the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return failed logins in a row for one role before its back-off starts} */
  public int failuresPerRole() {
    return failuresPerRole;
  }

  /** {@return failed logins from one client before its back-off starts} */
  public int failuresPerClient() {
    return failuresPerClient;
  }

  /** {@return the first back-off; each further failure doubles it} */
  public Duration backoff() {
    return backoff;
  }

  /** {@return the longest back-off for one role} */
  public Duration maxBackoffPerRole() {
    return maxBackoffPerRole;
  }

  /** {@return the longest back-off for one client} */
  public Duration maxBackoffPerClient() {
    return maxBackoffPerClient;
  }

  /** {@return how long after its last failure a role or client is forgotten} */
  public Duration forgetAfter() {
    return forgetAfter;
  }

  /** {@return the most roles, and the most clients, whose failures are remembered} */
  public int maxTracked() {
    return maxTracked;
  }

  /** {@return the most passwords verified at once} */
  public int maxConcurrentLogins() {
    return maxConcurrentLogins;
  }

  @Override
  public String toString() {
    return "LoginThrottling{failuresPerRole="
        + failuresPerRole
        + ", failuresPerClient="
        + failuresPerClient
        + ", backoff="
        + backoff
        + ", maxBackoffPerRole="
        + maxBackoffPerRole
        + ", maxBackoffPerClient="
        + maxBackoffPerClient
        + ", forgetAfter="
        + forgetAfter
        + ", maxTracked="
        + maxTracked
        + ", maxConcurrentLogins="
        + maxConcurrentLogins
        + "}";
  }

  /**
   * Builds a {@link LoginThrottling}. Each setter checks its argument at once and throws
   * {@link IllegalArgumentException} naming the setting and the value. Not thread-safe.
   */
  public static final class Builder {

    private int failuresPerRole = 5;
    private int failuresPerClient = 20;
    private Duration backoff = Duration.ofSeconds(1);
    private Duration maxBackoffPerRole = Duration.ofMinutes(1);
    private Duration maxBackoffPerClient = Duration.ofMinutes(15);
    private Duration forgetAfter = Duration.ofMinutes(15);
    private int maxTracked = 100_000;
    private int maxConcurrentLogins = 8;

    private Builder() {}

    /**
     * Failed logins in a row for one role before its back-off starts. Default 5.
     *
     * @param value at least 1
     * @return this builder
     */
    public Builder failuresPerRole(int value) {
      require(value >= 1, "failuresPerRole", value, "must be at least 1");
      this.failuresPerRole = value;
      return this;
    }

    /**
     * Failed logins from one client before its back-off starts. Default 20.
     *
     * @param value at least 1
     * @return this builder
     */
    public Builder failuresPerClient(int value) {
      require(value >= 1, "failuresPerClient", value, "must be at least 1");
      this.failuresPerClient = value;
      return this;
    }

    /**
     * The first back-off after the free failures; it doubles with each further failure.
     * Default 1 second.
     *
     * @param value at least 1 ms
     * @return this builder
     */
    public Builder backoff(Duration value) {
      Objects.requireNonNull(value, "backoff");
      require(value.toMillis() >= 1, "backoff", value, "must be at least 1 ms");
      this.backoff = value;
      return this;
    }

    /**
     * The longest back-off for one role. Default 1 minute.
     *
     * @param value positive
     * @return this builder
     */
    public Builder maxBackoffPerRole(Duration value) {
      Objects.requireNonNull(value, "maxBackoffPerRole");
      require(value.toMillis() >= 1, "maxBackoffPerRole", value, "must be at least 1 ms");
      this.maxBackoffPerRole = value;
      return this;
    }

    /**
     * The longest back-off for one client. Default 15 minutes.
     *
     * @param value positive
     * @return this builder
     */
    public Builder maxBackoffPerClient(Duration value) {
      Objects.requireNonNull(value, "maxBackoffPerClient");
      require(value.toMillis() >= 1, "maxBackoffPerClient", value, "must be at least 1 ms");
      this.maxBackoffPerClient = value;
      return this;
    }

    /**
     * How long after its last failure a role or client is forgotten. Default 15 minutes.
     *
     * @param value positive
     * @return this builder
     */
    public Builder forgetAfter(Duration value) {
      Objects.requireNonNull(value, "forgetAfter");
      require(value.toMillis() >= 1, "forgetAfter", value, "must be at least 1 ms");
      this.forgetAfter = value;
      return this;
    }

    /**
     * The most roles, and the most clients, whose failures are remembered. Default 100,000.
     *
     * @param value at least 1
     * @return this builder
     */
    public Builder maxTracked(int value) {
      require(value >= 1, "maxTracked", value, "must be at least 1");
      this.maxTracked = value;
      return this;
    }

    /**
     * The most passwords being verified at once. Default 8.
     *
     * @param value at least 1
     * @return this builder
     */
    public Builder maxConcurrentLogins(int value) {
      require(value >= 1, "maxConcurrentLogins", value, "must be at least 1");
      this.maxConcurrentLogins = value;
      return this;
    }

    /**
     * Checks the combination of settings and builds them.
     *
     * @return the settings
     * @throws IllegalArgumentException if a maximum back-off is shorter than the first one,
     *     or records would be forgotten before a back-off ends
     */
    public LoginThrottling build() {
      require(
          maxBackoffPerRole.compareTo(backoff) >= 0,
          "maxBackoffPerRole",
          maxBackoffPerRole,
          "must be at least the backoff (" + backoff + ")");
      require(
          maxBackoffPerClient.compareTo(backoff) >= 0,
          "maxBackoffPerClient",
          maxBackoffPerClient,
          "must be at least the backoff (" + backoff + ")");
      Duration longest =
          maxBackoffPerRole.compareTo(maxBackoffPerClient) > 0
              ? maxBackoffPerRole
              : maxBackoffPerClient;
      require(
          forgetAfter.compareTo(longest) >= 0,
          "forgetAfter",
          forgetAfter,
          "must be at least the longest back-off ("
              + longest
              + "), or a back-off would be forgotten early");
      return new LoginThrottling(this);
    }

    private static void require(boolean ok, String setting, Object value, String rule) {
      if (!ok) {
        throw new IllegalArgumentException(setting + " = " + value + ": " + rule);
      }
    }
  }
}
