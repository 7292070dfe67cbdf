package io.userbound.servlet;

import io.userbound.core.AccessDeniedException;
import io.userbound.core.BudgetExhaustedException;
import io.userbound.core.DatabaseUnavailableException;
import io.userbound.core.LoginFailedException;
import io.userbound.core.LoginThrottledException;
import io.userbound.core.NotBoundException;
import io.userbound.core.UserboundException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP answer for a Userbound failure: a status and a JSON body {@code {"error":"..."}},
 * never a stack trace, a message, SQL text or a role name.
 *
 * <table>
 *   <caption>Mapping</caption>
 *   <tr><th>exception (anywhere in the cause chain)</th><th>status</th><th>{@code error}</th></tr>
 *   <tr><td>{@link LoginFailedException}</td><td>401</td><td>{@code login_failed}</td></tr>
 *   <tr><td>{@link LoginThrottledException}</td><td>429, {@code Retry-After} from the
 *       exception</td><td>{@code too_many_attempts}</td></tr>
 *   <tr><td>{@link RequestRefusedException}</td><td>400 or 403</td><td>{@code bad_request},
 *       {@code cross_site_request}</td></tr>
 *   <tr><td>{@link NotBoundException}</td><td>401</td><td>{@code not_logged_in}</td></tr>
 *   <tr><td>{@link AccessDeniedException}, {@link SQLException} with SQLSTATE {@code 42501}</td>
 *       <td>403</td><td>{@code permission_denied}</td></tr>
 *   <tr><td>{@link BudgetExhaustedException}, {@link SQLException} with SQLSTATE {@code 53300}</td>
 *       <td>503, {@code Retry-After: 1}</td><td>{@code busy}</td></tr>
 *   <tr><td>{@link DatabaseUnavailableException}, {@link SQLException} with SQLSTATE class
 *       {@code 08} or {@code 57P}</td><td>503, {@code Retry-After: 5}</td>
 *       <td>{@code database_unavailable}</td></tr>
 * </table>
 *
 * <p>Causes are unwrapped (Hibernate, JPA and servlet containers wrap exceptions); the
 * outermost exception that maps wins. Other {@link UserboundException}s, such as
 * {@link io.userbound.core.UnknownDatabaseException}, are programming errors and map to
 * nothing: let them reach the container's error handling. {@link #BAD_REQUEST} is what the
 * login servlet answers to a malformed form.
 *
 * <p>Immutable and thread-safe.
 */
public final class HttpError {

  /** 401 {@code login_failed}: PostgreSQL refused the role or password. */
  public static final HttpError LOGIN_FAILED = new HttpError(401, "login_failed", 0);

  /** 401 {@code not_logged_in}: the request has no logged-in session. */
  public static final HttpError NOT_LOGGED_IN = new HttpError(401, "not_logged_in", 0);

  /** 403 {@code permission_denied}: PostgreSQL refused the person what they asked for. */
  public static final HttpError PERMISSION_DENIED = new HttpError(403, "permission_denied", 0);

  /** 503 {@code busy} with {@code Retry-After: 1}: the connection budget is spent. */
  public static final HttpError BUSY = new HttpError(503, "busy", 1);

  /** 503 {@code database_unavailable} with {@code Retry-After: 5}: a database cannot be reached. */
  public static final HttpError DATABASE_UNAVAILABLE =
      new HttpError(503, "database_unavailable", 5);

  /** 400 {@code bad_request}: the request is malformed (e.g. a login form without a password). */
  public static final HttpError BAD_REQUEST = new HttpError(400, "bad_request", 0);

  /** 403 {@code cross_site_request}: a login or logout sent by another site's page. */
  public static final HttpError CROSS_SITE = new HttpError(403, "cross_site_request", 0);

  /**
   * 429 {@code too_many_attempts}: logins are throttled for this role or client.
   *
   * @param retryAfterSeconds the {@code Retry-After} value, at least 1
   * @return the answer
   */
  public static HttpError tooManyAttempts(long retryAfterSeconds) {
    return new HttpError(
        429,
        "too_many_attempts",
        (int) Math.max(1, Math.min(Integer.MAX_VALUE, retryAfterSeconds)));
  }

  private static final int MAX_CAUSES = 32;

  private final int status;
  private final String error;
  private final int retryAfterSeconds;

  private HttpError(int status, String error, int retryAfterSeconds) {
    this.status = status;
    this.error = error;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /**
   * Finds the answer for an exception, looking through its causes.
   *
   * @param failure what went wrong
   * @return the answer, or empty if nothing in the cause chain is a failure this class maps
   */
  public static Optional<HttpError> of(Throwable failure) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = failure;
        t != null && seen.size() < MAX_CAUSES && seen.add(t);
        t = t.getCause()) {
      HttpError e = direct(t);
      if (e != null) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  private static @Nullable HttpError direct(Throwable t) {
    if (t instanceof LoginFailedException) {
      return LOGIN_FAILED;
    }
    if (t instanceof LoginThrottledException throttled) {
      return tooManyAttempts(throttled.retryAfter().toSeconds());
    }
    if (t instanceof RequestRefusedException refused) {
      return refused.answer();
    }
    if (t instanceof NotBoundException) {
      return NOT_LOGGED_IN;
    }
    if (t instanceof AccessDeniedException) {
      return PERMISSION_DENIED;
    }
    if (t instanceof BudgetExhaustedException) {
      return BUSY;
    }
    if (t instanceof DatabaseUnavailableException) {
      return DATABASE_UNAVAILABLE;
    }
    if (t instanceof SQLException sql && sql.getSQLState() != null) {
      String state = sql.getSQLState();
      if (state.startsWith("08") || state.startsWith("57P")) {
        return DATABASE_UNAVAILABLE;
      }
      if (state.equals("42501")) {
        return PERMISSION_DENIED;
      }
      if (state.equals("53300")) {
        return BUSY;
      }
    }
    return null;
  }

  /**
   * Writes the answer for an exception, if it maps to one and the response is not committed.
   * Keeps the response's headers (such as a new session cookie) and replaces its body.
   *
   * @param failure what went wrong
   * @param response the response to write
   * @return {@code true} if the answer was written; {@code false} if the exception maps to
   *     nothing or the response was committed already, and the caller should rethrow
   * @throws IOException if writing fails
   */
  public static boolean send(Throwable failure, HttpServletResponse response) throws IOException {
    Optional<HttpError> e = of(failure);
    if (e.isEmpty() || response.isCommitted()) {
      return false;
    }
    e.get().write(response);
    return true;
  }

  /**
   * Writes this answer: status, {@code Retry-After} where it has one,
   * {@code Content-Type: application/json;charset=UTF-8}, {@code Cache-Control: no-store}
   * and the body. Discards whatever body was buffered; keeps other headers.
   *
   * @param response a response that is not committed
   * @throws IllegalStateException if the response is committed
   * @throws IOException if writing fails
   */
  public void write(HttpServletResponse response) throws IOException {
    response.resetBuffer();
    response.setStatus(status);
    if (retryAfterSeconds > 0) {
      response.setHeader("Retry-After", Integer.toString(retryAfterSeconds));
    }
    response.setHeader("Cache-Control", "no-store");
    response.setContentType("application/json;charset=UTF-8");
    PrintWriter out;
    try {
      out = response.getWriter();
    } catch (IllegalStateException streamInUse) {
      response.getOutputStream().write(body().getBytes(StandardCharsets.UTF_8));
      return;
    }
    out.write(body());
    out.flush();
  }

  /**
   * Returns the HTTP status.
   *
   * @return 400, 401, 403, 429 or 503
   */
  public int status() {
    return status;
  }

  /**
   * Returns the machine-readable code that goes into the body.
   *
   * @return e.g. {@code "busy"}
   */
  public String error() {
    return error;
  }

  /**
   * Returns how many seconds the client should wait before retrying.
   *
   * @return the {@code Retry-After} value, or empty if the answer has none
   */
  public OptionalInt retryAfterSeconds() {
    return retryAfterSeconds > 0 ? OptionalInt.of(retryAfterSeconds) : OptionalInt.empty();
  }

  /**
   * Returns the JSON body.
   *
   * @return e.g. {@code {"error":"busy"}}
   */
  public String body() {
    return Json.object("error", error);
  }

  @Override
  public String toString() {
    return status + " " + body();
  }
}
