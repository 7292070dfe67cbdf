package io.userbound.core;

import java.time.Duration;
import java.util.Objects;

/**
 * A login was refused without asking the database: too many failed attempts for this
 * role or from this client recently, or too many logins being verified at once. Nothing
 * was sent to PostgreSQL, so the attempt tells the caller nothing about the password.
 *
 * <p>A web layer answers 429 with {@code Retry-After} set from {@link #retryAfter()}.
 */
public final class LoginThrottledException extends UserboundException {

  private static final long serialVersionUID = 1L;

  /** How long to wait before trying again. */
  private final Duration retryAfter;

  /**
   * Creates the exception.
   *
   * @param message why the login was throttled; never a password
   * @param retryAfter how long until an attempt may be let through, at least 1 second
   */
  public LoginThrottledException(String message, Duration retryAfter) {
    super(message, null, null);
    Objects.requireNonNull(retryAfter, "retryAfter");
    this.retryAfter =
        retryAfter.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : retryAfter;
  }

  /**
   * Returns how long the caller should wait before trying again.
   *
   * @return at least one second
   */
  public Duration retryAfter() {
    return retryAfter;
  }
}
