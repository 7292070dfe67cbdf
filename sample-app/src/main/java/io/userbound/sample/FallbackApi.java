package io.userbound.sample;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.userbound.core.Userbound;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Serves every path no other servlet serves: 404 {@code not_found}; and, as the container's
 * error page, turns errors the container raises itself (a 405 from a servlet's default
 * {@code doGet}, for example) into {@code {"error": "<code>"}} as well.
 */
@Singleton
final class FallbackApi extends ApiServlet {

  private static final long serialVersionUID = 1L;

  /** The error page path registered with the container. */
  static final String ERROR_PATH = "/error";

  @Inject
  FallbackApi(ObjectMapper json, Userbound userbound) {
    super(json, userbound);
  }

  @Override
  Reply get(HttpServletRequest request) {
    throw error(request);
  }

  @Override
  Reply post(HttpServletRequest request) {
    throw error(request);
  }

  private static ApiError error(HttpServletRequest request) {
    if (request.getDispatcherType() != DispatcherType.ERROR) {
      return ApiError.notFound();
    }
    Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    int code = status instanceof Integer i ? i : 500;
    return new ApiError(
        code,
        switch (code) {
          case 400 -> "bad_request";
          case 401 -> "not_logged_in";
          case 403 -> "permission_denied";
          case 404 -> "not_found";
          case 405 -> "method_not_allowed";
          case 413 -> "too_large";
          case 503 -> "unavailable";
          default -> code >= 500 ? "internal_error" : "http_" + code;
        });
  }
}
