package io.userbound.sample.spring;

import io.userbound.servlet.HttpError;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The JSON error contract of sample-app: {@code {"error": "<code>"}}, never a stack trace,
 * SQL or a role name. Userbound's failures, also wrapped by Spring's exception translation,
 * map through binding-servlet's {@link HttpError}.
 */
@RestControllerAdvice
class ApiErrors {

  /** A body the API cannot read: 400 {@code bad_request}. */
  static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRequest() {
      super("bad request", null, false, false);
    }
  }

  /** No such row to refer to, or no such path: 404 {@code not_found}. */
  static final class NotFound extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotFound() {
      super("not found", null, false, false);
    }
  }

  @ExceptionHandler({
    BadRequest.class,
    HttpMessageNotReadableException.class,
    HttpMediaTypeNotSupportedException.class
  })
  void badRequest(HttpServletResponse response) throws IOException {
    HttpError.BAD_REQUEST.write(response);
  }

  @ExceptionHandler(AuthenticationException.class)
  void loginFailed(AuthenticationException e, HttpServletResponse response) throws IOException {
    HttpError.of(e).orElse(HttpError.LOGIN_FAILED).write(response);
  }

  @ExceptionHandler(RuntimeException.class)
  void failure(RuntimeException e, HttpServletResponse response) throws IOException {
    if (e instanceof NotFound) {
      response.setStatus(404);
      response.setContentType("application/json");
      response.getWriter().write("{\"error\":\"not_found\"}");
      return;
    }
    if (!HttpError.send(e, response)) {
      throw e;
    }
  }
}
