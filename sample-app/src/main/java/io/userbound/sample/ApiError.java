package io.userbound.sample;

/**
 * An HTTP error answer decided by the application itself: a status and the code that goes
 * into {@code {"error": "<code>"}}. Thrown by the API servlets and caught by
 * {@link ApiServlet}; never carries a message for the client.
 */
final class ApiError extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;

  ApiError(int status, String code) {
    super(status + " " + code, null, false, false);
    this.status = status;
    this.code = code;
  }

  static ApiError badRequest() {
    return new ApiError(400, "bad_request");
  }

  static ApiError notLoggedIn() {
    return new ApiError(401, "not_logged_in");
  }

  static ApiError loginFailed() {
    return new ApiError(401, "login_failed");
  }

  static ApiError permissionDenied() {
    return new ApiError(403, "permission_denied");
  }

  static ApiError notFound() {
    return new ApiError(404, "not_found");
  }

  static ApiError methodNotAllowed() {
    return new ApiError(405, "method_not_allowed");
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }
}
