package io.userbound.servlet;

import java.util.Objects;

/**
 * A login or logout request was refused before anything was checked with the database:
 * credentials in the URL, or a request from another site. {@link HttpError} answers it
 * with its {@link #answer()} (400 or 403). The message names no value of the request.
 */
public final class RequestRefusedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient HttpError answer;

  RequestRefusedException(HttpError answer, String message) {
    super(message);
    this.answer = Objects.requireNonNull(answer, "answer");
  }

  /**
   * Returns the HTTP answer for this refusal.
   *
   * @return {@link HttpError#BAD_REQUEST} or {@link HttpError#CROSS_SITE}
   */
  public HttpError answer() {
    return answer == null ? HttpError.BAD_REQUEST : answer;
  }
}
