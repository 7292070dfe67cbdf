package io.userbound.sample;

import io.userbound.core.LoginFailedException;
import io.userbound.servlet.HttpError;
import java.sql.SQLException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a failure into the API's error answer. Userbound's own mapping ({@link HttpError})
 * decides most cases; this adds what only the application knows.
 */
final class Errors {

  private static final int MAX_CAUSES = 32;

  private Errors() {}

  /**
   * Finds the answer for a failure.
   *
   * @param failure what went wrong
   * @param loginDatabase the database that checks passwords at login
   * @return the answer, or empty for a failure that is a bug (answer 500 and log it)
   */
  static Optional<ApiError> of(Throwable failure, String loginDatabase) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = failure;
        t != null && seen.size() < MAX_CAUSES && seen.add(t);
        t = t.getCause()) {
      if (t instanceof ApiError a) {
        return Optional.of(a);
      }
      // The password was accepted at login, so another database refusing it means this
      // person has no account there: for them that database is off limits, not a failed login.
      if (t instanceof LoginFailedException l
          && l.database() != null
          && !l.database().equals(loginDatabase)) {
        return Optional.of(ApiError.permissionDenied());
      }
    }
    Optional<HttpError> mapped = HttpError.of(failure);
    if (mapped.isPresent()) {
      return Optional.of(new ApiError(mapped.get().status(), mapped.get().error()));
    }
    seen.clear();
    for (Throwable t = failure;
        t != null && seen.size() < MAX_CAUSES && seen.add(t);
        t = t.getCause()) {
      // Class 22 (data exception) and 23 (integrity constraint): the request's values were wrong.
      if (t instanceof SQLException s
          && s.getSQLState() != null
          && (s.getSQLState().startsWith("22") || s.getSQLState().startsWith("23"))) {
        return Optional.of(ApiError.badRequest());
      }
    }
    return Optional.empty();
  }
}
