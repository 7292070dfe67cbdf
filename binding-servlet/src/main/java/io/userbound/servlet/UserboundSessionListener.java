package io.userbound.servlet;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import java.util.Objects;

/**
 * Ends the login of a session that is destroyed (expired or invalidated): the person's pools
 * close unless they have other live sessions; see {@link LoginService}.
 *
 * <p>The value {@link LoginService} keeps in the session also ends the login when the
 * container unbinds it, so this listener is a second, explicit path; each login is ended
 * once either way. Register it with {@code ServletContext.addListener}.
 *
 * <p>As a context listener it also makes the session cookie {@code HttpOnly} and
 * {@code SameSite=Lax} when the context starts (an application's own {@code SameSite}
 * setting is kept); the container adds {@code Secure} on secure requests.
 *
 * <p>Thread-safe.
 */
public final class UserboundSessionListener implements HttpSessionListener, ServletContextListener {

  private final LoginService logins;

  /**
   * Creates the listener.
   *
   * @param logins the service that keeps the logins
   */
  public UserboundSessionListener(LoginService logins) {
    this.logins = Objects.requireNonNull(logins, "logins");
  }

  /**
   * Makes the session cookie {@code HttpOnly} and {@code SameSite=Lax}.
   *
   * @param event the context being initialized
   */
  @Override
  public void contextInitialized(ServletContextEvent event) {
    SessionCookies.harden(event.getServletContext());
  }

  /**
   * Ends the session's login, if it holds one. Never throws.
   *
   * @param event the session being destroyed
   */
  @Override
  public void sessionDestroyed(HttpSessionEvent event) {
    logins.sessionDestroyed(event.getSession());
  }
}
