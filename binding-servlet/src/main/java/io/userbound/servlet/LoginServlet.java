package io.userbound.servlet;

import io.userbound.core.Login;
import io.userbound.core.UserboundException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;

/**
 * A ready login endpoint; use it as it is or copy it. Answers {@code POST} with an
 * {@code application/x-www-form-urlencoded} body of {@code role} and {@code password}:
 *
 * <ul>
 *   <li>200 {@code {"role":"..."}} when PostgreSQL accepts; the response carries the new
 *       session cookie (the session id is rotated at login);</li>
 *   <li>400 {@code {"error":"bad_request"}} for a missing, empty or repeated field, another
 *       content type, or credentials in the query string;</li>
 *   <li>403 {@code {"error":"cross_site_request"}} for a login another site's page sent;</li>
 *   <li>the answers of {@link HttpError} for a refused login (401 {@code login_failed}), a
 *       throttled one (429 {@code too_many_attempts} with {@code Retry-After}) and for
 *       database trouble (503).</li>
 * </ul>
 *
 * <p>The password is read from the body straight into a {@code char[]} (never a
 * {@code String}) and wiped after the login, best effort: the container may keep its own
 * copy of the body bytes. Nothing of the form is logged. Other methods get 405.
 *
 * <p>The checks against hostile requests and the throttling are {@link LoginService}'s.
 *
 * <p>Thread-safe. It keeps the {@link LoginService} in a transient field: like every
 * servlet, it is not meant to be serialized.
 */
public final class LoginServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  private final transient LoginService logins;

  /**
   * Creates the servlet.
   *
   * @param logins where logins are verified and kept
   */
  public LoginServlet(LoginService logins) {
    this.logins = Objects.requireNonNull(logins, "logins");
  }

  /**
   * Logs the person in; see the class comment for the answers.
   *
   * @param request the request
   * @param response the response
   * @throws IOException if reading the body or writing the answer fails
   */
  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Login login;
    try (LoginForm form = LoginForm.read(request)) {
      login = logins.login(request, form.role(), form.password());
    } catch (LoginForm.BadFormException e) {
      HttpError.BAD_REQUEST.write(response);
      return;
    } catch (UserboundException | RequestRefusedException e) {
      if (!HttpError.send(e, response)) {
        throw e;
      }
      return;
    }
    response.setStatus(HttpServletResponse.SC_OK);
    response.setHeader("Cache-Control", "no-store");
    response.setContentType("application/json;charset=UTF-8");
    response.getWriter().write(Json.object("role", login.role()));
  }
}
