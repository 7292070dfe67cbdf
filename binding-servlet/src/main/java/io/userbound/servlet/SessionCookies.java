package io.userbound.servlet;

import jakarta.servlet.ServletContext;
import jakarta.servlet.SessionCookieConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * The session cookie carries a logged-in person's session: scripts must not read it
 * (HttpOnly), and other sites must not make the browser send it with a cross-site POST
 * (SameSite=Lax; the Origin check in LoginService is the second line). Secure is set by
 * the container itself when the request is secure (Jetty's and Tomcat's default).
 * Applied once, while the context initializes (the listener, or the filter's init for
 * Guice, which registers no listener); an application that set SameSite itself keeps
 * its choice.
 */
final class SessionCookies {

  private static final Logger log = LoggerFactory.getLogger(SessionCookies.class);

  private SessionCookies() {}

  static void harden(ServletContext context) {
    SessionCookieConfig cookie = context.getSessionCookieConfig();
    try {
      cookie.setHttpOnly(true);
      if (cookie.getAttribute("SameSite") == null) {
        cookie.setAttribute("SameSite", "Lax");
      }
    } catch (IllegalStateException tooLate) {
      if (!cookie.isHttpOnly() || cookie.getAttribute("SameSite") == null) {
        log.warn(
            "the session cookie of {} could not be made HttpOnly and SameSite=Lax (the context was"
                + " initialized already); register UserboundSessionListener with the context, or"
                + " set them in web.xml <session-config><cookie-config>",
            context.getContextPath());
      }
    }
  }
}
