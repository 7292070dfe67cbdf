package io.userbound.spring.internal;

import io.userbound.core.LogText;
import io.userbound.core.Login;
import io.userbound.core.Userbound;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionBindingListener;
import java.io.Serial;
import java.io.Serializable;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Keeps a token login (Sign in with SSO in the browser) in the HTTP session, as
 * binding-servlet's LoginService keeps a password login: the session attribute's value
 * refers to the in-memory Login and serializes to nothing (a persisted or replicated session
 * comes back without a login, and the person signs in again); whenever the container unbinds
 * it (logout invalidating the session, expiry, replacement, removal) the login is logged out.
 *
 * Why not LoginService.loginWithToken: it runs LoginService's request checks, whose
 * cross-site rule refuses the OAuth2 callback, which a browser sends as a navigation from
 * the provider's site (Sec-Fetch-Site: cross-site). The callback is protected by the OAuth2
 * state, the nonce and PKCE, which Spring Security checks. When LoginService can keep a
 * login it did not make (or take a token without the site check), this class goes, and with
 * it the second count of live sessions. The client for throttling is the remote address
 * (LoginService's trusted-proxy rules are package-private).
 *
 * Logging out a token login (rather than releasing it while other sessions of the same
 * person live, as LoginService does) is safe here: a token login is only served under
 * ROLE_SWITCHING, where logging out ends that one Login and forgets which idle gateway
 * connections last served the role; no other session's login or pool is touched.
 */
/** Token logins kept in HTTP sessions. Not API. Thread-safe. */
public final class TokenSessions {

  private static final Logger log = LoggerFactory.getLogger(TokenSessions.class);

  /** The session attribute; its value is internal. */
  static final String ATTRIBUTE = TokenSessions.class.getName() + ".login";

  private final Userbound userbound;

  /**
   * Creates the keeper.
   *
   * @param userbound who makes and ends the logins
   */
  public TokenSessions(Userbound userbound) {
    this.userbound = Objects.requireNonNull(userbound, "userbound");
  }

  /**
   * Logs a person in with a token and keeps the login in the request's session (created if
   * needed, its id rotated). A token login kept there before ends.
   *
   * @param request the current request
   * @param credential the token; never logged, never kept
   * @return the login
   * @throws io.userbound.core.UserboundException as {@link Userbound#loginWithToken} does;
   *     nothing is kept then
   */
  public Login login(HttpServletRequest request, String credential) {
    Login login = userbound.loginWithToken(credential, request.getRemoteAddr());
    Holder holder = new Holder(userbound, login);
    try {
      request.getSession(true);
      request.changeSessionId();
      HttpSession session = Objects.requireNonNull(request.getSession(false), "session");
      session.setAttribute(ATTRIBUTE, holder);
    } catch (RuntimeException e) {
      holder.end();
      throw e;
    }
    return login;
  }

  /**
   * Returns the token login kept in the request's session, if it is still live. Creates no
   * session; drops a login that was logged out or came back from storage.
   *
   * @param request the current request
   * @return the login, or empty
   */
  public Optional<Login> current(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    if (session == null) {
      return Optional.empty();
    }
    try {
      Object value = session.getAttribute(ATTRIBUTE);
      if (value == null) {
        return Optional.empty();
      }
      if (value instanceof Holder h && h.userbound == userbound) {
        Login login = h.live();
        if (login != null) {
          return Optional.of(login);
        }
        session.removeAttribute(ATTRIBUTE);
      } else if (!(value instanceof Holder)) {
        session.removeAttribute(ATTRIBUTE); // came back from storage
      }
      return Optional.empty();
    } catch (IllegalStateException invalidated) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return "TokenSessions[" + userbound + "]";
  }

  /** The session attribute's value. */
  static final class Holder implements HttpSessionBindingListener, Serializable {
    @Serial private static final long serialVersionUID = 1L;

    private final transient Userbound userbound;
    private final transient Login login;
    private final transient AtomicBoolean ended = new AtomicBoolean();

    Holder(Userbound userbound, Login login) {
      this.userbound = userbound;
      this.login = login;
    }

    @Nullable Login live() {
      return ended.get() || login.isLoggedOut() ? null : login;
    }

    void end() {
      if (ended.compareAndSet(false, true)) {
        try {
          userbound.logout(login);
          log.debug("the session of {} ended: token login logged out", login);
        } catch (RuntimeException e) {
          log.warn(
              "ending the token login of {} failed: {}", login, LogText.escape(e.toString(), 300));
        }
      }
    }

    @Override
    public void valueUnbound(HttpSessionBindingEvent event) {
      end();
    }

    /** A persisted or replicated session gets a marker, never the login. */
    @Serial
    private Object writeReplace() {
      return Gone.INSTANCE;
    }

    @Override
    public String toString() {
      return "TokenSessions.Holder[" + login + (ended.get() ? ", ended" : "") + "]";
    }
  }

  /** What a token login's session attribute serializes to. */
  enum Gone {
    INSTANCE
  }
}
