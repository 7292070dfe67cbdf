package io.userbound.servlet;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;

/**
 * A ready logout endpoint; use it as it is or copy it. Answers {@code POST} with 204: the
 * session is invalidated and, unless the person has other live sessions, their pools close
 * (see {@link LoginService#logout(HttpServletRequest)}). Logging out without a session also
 * answers 204; a logout another site's page sent answers 403. Other methods get 405.
 *
 * <p>Thread-safe. It keeps the {@link LoginService} in a transient field: like every
 * servlet, it is not meant to be serialized.
 */
public final class LogoutServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  private final transient LoginService logins;

  /**
   * Creates the servlet.
   *
   * @param logins where logins are kept
   */
  public LogoutServlet(LoginService logins) {
    this.logins = Objects.requireNonNull(logins, "logins");
  }

  /**
   * Logs the person out and answers 204.
   *
   * @param request the request
   * @param response the response
   * @throws IOException if writing the answer fails
   */
  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    try {
      logins.logout(request);
    } catch (RequestRefusedException e) {
      e.answer().write(response);
      return;
    }
    response.setHeader("Cache-Control", "no-store");
    response.setStatus(HttpServletResponse.SC_NO_CONTENT);
  }
}
