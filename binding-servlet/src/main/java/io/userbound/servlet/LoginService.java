package io.userbound.servlet;

import io.userbound.core.Login;
import io.userbound.core.Userbound;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Logs people in and out of a web application and keeps each person's {@link Login} in their
 * HTTP session, server-side.
 *
 * <p><b>Login.</b> {@link #login(HttpServletRequest, String, char[])} lets PostgreSQL check the
 * password (through {@link Userbound#login(String, char[])}), wipes the caller's password
 * array, rotates the session id ({@link HttpServletRequest#changeSessionId()}, against session
 * fixation; a session is created first if there is none) and keeps the login in the session.
 *
 * <p><b>What the session holds.</b> An attribute whose value refers to the in-memory
 * {@code Login}; the password never becomes a session attribute, a cookie or part of a URL.
 * The value serializes to an empty marker: <em>the login never leaves this JVM</em>. If the
 * container persists, passivates or replicates the session (a restart with persistent
 * sessions, a fail-over to another node), the session comes back without a login, and the
 * person must log in again; their other session attributes survive.
 *
 * <p><b>Logout and expiry.</b> {@link #logout(HttpServletRequest)} invalidates the session.
 * When a session holding a login ends in any way (logout, expiry, invalidation by the
 * application, replacement of the login by a new one in the same session), the login is
 * ended: if the same person (role) has other live sessions, only this session's login is
 * {@linkplain Userbound#release(Login) released} and their pools stay; when the last one
 * ends, the person is {@linkplain Userbound#logout(Login) logged out} and their pools close.
 * The container tells the kept value directly (it is an
 * {@link jakarta.servlet.http.HttpSessionBindingListener}); registering
 * {@link UserboundSessionListener} as well does no harm. Sessions that a container swaps out
 * of memory without ending them are not counted down; their pools close by the idle timeout.
 *
 * <p><b>Hostile requests.</b> Before PostgreSQL hears of a login or logout, the request is
 * checked: credential parameters in the query string ({@code role}, {@code password},
 * {@code user}, ... after percent-decoding) give 400; a request another site's page sent
 * (an {@code Origin} that is neither the request's own nor {@linkplain Builder#allowOrigins
 * allowed}, or {@code Sec-Fetch-Site} other than {@code same-origin}) gives 403. Failed
 * logins are throttled per role and per client (see {@link io.userbound.core.LoginThrottling});
 * the client is the remote address, or the address that {@linkplain Builder#trustProxies
 * trusted proxies} report; an IPv6 client is its /64 network unless {@linkplain
 * Builder#ipv6ThrottlePrefix configured} otherwise.
 *
 * <p>Thread-safe. One instance per {@link Userbound}; the filter, listener and servlets of an
 * application share it. It holds no static state: two instances in one JVM are independent.
 */
public final class LoginService {

  /** The session attribute holding the login; its value is internal. */
  static final String ATTRIBUTE = LoginService.class.getName() + ".login";

  private final Userbound userbound;
  private final LiveSessions sessions;
  private final RequestChecks checks;
  private final @Nullable BearerLogins bearer;

  /**
   * Creates the service with the defaults: same-origin logins only, no trusted proxy.
   *
   * @param userbound the instance that verifies logins and owns the pools; not closed by this
   */
  public LoginService(Userbound userbound) {
    this(builder(), userbound);
  }

  private LoginService(Builder b, Userbound userbound) {
    this.userbound = Objects.requireNonNull(userbound, "userbound");
    this.sessions = new LiveSessions(userbound);
    this.checks = new RequestChecks(b.origins, b.proxies, b.ipv6Prefix);
    this.bearer = b.bearerTokens ? new BearerLogins(userbound) : null;
  }

  /**
   * Starts a builder, for allowed origins and trusted proxies.
   *
   * @return a new builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the instance this service logs people into.
   *
   * @return the Userbound
   */
  public Userbound userbound() {
    return userbound;
  }

  /**
   * Logs a person in for the session of a request: verifies the password with PostgreSQL,
   * rotates the session id and keeps the login in the session. A login kept in the session
   * before is ended (see the class comment). The password array is wiped before this method
   * returns or throws.
   *
   * @param request the current request; its response must not be committed yet, as the new
   *     session id goes out in a cookie
   * @param role the PostgreSQL role name
   * @param password the password; wiped by this method
   * @return the verified login, now kept in the session
   * @throws RequestRefusedException if the query string carries credentials or another site
   *     sent the request; nothing was checked with the database
   * @throws io.userbound.core.LoginFailedException if PostgreSQL refuses the password or role;
   *     the session is left as it was
   * @throws io.userbound.core.LoginThrottledException if too many logins failed recently for
   *     this role or client
   * @throws io.userbound.core.DatabaseUnavailableException if no login database can be reached
   * @throws IllegalStateException if the response is committed or the session was invalidated
   *     meanwhile; the login is ended again
   */
  public Login login(HttpServletRequest request, String role, char[] password) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(password, "password");
    Login login;
    try {
      Objects.requireNonNull(role, "role");
      checks.check(request);
      login = userbound.login(role, password, checks.clientKey(request));
    } finally {
      Arrays.fill(password, '\0');
    }
    return keep(request, login);
  }

  /* Rotates the session id and keeps the login under the new one; ends it on failure. */
  private Login keep(HttpServletRequest request, Login login) {
    LoginHolder holder = sessions.started(login);
    try {
      request.getSession(true);
      request.changeSessionId();
      // Stored only under the new id: the old id never names a logged-in session.
      request.getSession(false).setAttribute(ATTRIBUTE, holder);
    } catch (RuntimeException e) {
      holder.end();
      throw e;
    }
    return login;
  }

  /**
   * Logs a person in for the session of a request with a token from a trusted sign-on (for
   * example the ID token of an OpenID Connect code flow the application ran): {@link
   * Userbound#loginWithToken} checks it with the configured {@link
   * io.userbound.core.IdentityVerifier} and the role on the database; then, as {@link
   * #login(HttpServletRequest, String, char[])} does, the session id rotates and the login is
   * kept in the session, and ends with it. The token is neither kept nor logged.
   *
   * @param request the current request; its response must not be committed yet
   * @param token the token as received
   * @return the verified login, now kept in the session
   * @throws RequestRefusedException if another site sent the request
   * @throws io.userbound.core.LoginFailedException if the token or the role is refused; the
   *     session is left as it was
   * @throws io.userbound.core.TrustedLoginUnsupportedException if the login database is
   *     served with DEDICATED_POOLS
   * @throws IllegalStateException if the response is committed or the session was invalidated
   *     meanwhile; the login is ended again
   */
  public Login loginWithToken(HttpServletRequest request, String token) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(token, "token");
    checks.check(request);
    Login login = userbound.loginWithToken(token, checks.clientKey(request));
    return keep(request, login);
  }

  /**
   * Returns the login of the request's {@code Authorization: Bearer} token, if bearer tokens
   * were {@linkplain Builder#bearerTokens turned on} and the request carries one. The token is
   * checked once ({@link Userbound#loginWithToken}) and its login reused by later requests with
   * the same token until the token expires (at most an hour), keyed by the token's SHA-256;
   * then the login is released. No session is created.
   *
   * @param request the current request
   * @return the token's login, or empty if bearer tokens are off or the request has none
   * @throws io.userbound.core.LoginFailedException if the token or the role is refused (HTTP
   *     401 through {@link UserboundFilter})
   */
  public Optional<Login> bearer(HttpServletRequest request) {
    if (bearer == null) {
      return Optional.empty();
    }
    return bearer.login(request, checks);
  }

  /**
   * Returns the login kept in the request's session, if any. Creates no session. A login
   * that was logged out (for example by {@link Userbound#logout(Login)} elsewhere) or that
   * came back from a serialized session counts as none, and is removed from the session.
   *
   * @param request the current request
   * @return the person's login, or empty if the request has no logged-in session
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
      if (value instanceof LoginHolder h) {
        if (!h.ownedBy(sessions)) {
          return Optional.empty(); // another LoginService's, sharing the session: not ours to drop
        }
        Login login = h.loginFor(sessions);
        if (login != null) {
          return Optional.of(login);
        }
      }
      // Logged out, ended, or read back from storage: drop it (which ends it, once).
      session.removeAttribute(ATTRIBUTE);
      return Optional.empty();
    } catch (IllegalStateException invalidated) {
      return Optional.empty();
    }
  }

  /**
   * Logs out the person of the request's session: invalidates the session, which ends the
   * login (the pools close unless the same person has other live sessions). Does nothing if
   * the request has no session.
   *
   * @param request the current request
   * @return whether the session held a login of this service
   * @throws RequestRefusedException if another site sent the request
   */
  public boolean logout(HttpServletRequest request) {
    checks.check(request);
    HttpSession session = request.getSession(false);
    if (session == null) {
      return false;
    }
    boolean had = current(request).isPresent();
    try {
      Object value = session.getAttribute(ATTRIBUTE);
      session.invalidate();
      // The container unbinds the value on invalidate; end() makes sure, and runs once.
      if (value instanceof LoginHolder h && h.ownedBy(sessions)) {
        h.end();
      }
    } catch (IllegalStateException alreadyInvalidated) {
      // someone else ended it
    }
    return had;
  }

  /**
   * Ends the login kept in the request's session, if it is this one, and leaves the session
   * and its other attributes as they are. Makes no request checks: this is for server-side
   * decisions, such as a filter that finds, at the end of a request, that nothing will ever
   * refer to the login again. The login ends as at logout (its pools close unless the person
   * has other live sessions). Creates no session.
   *
   * @param request the current request
   * @param login the login to end; another login in the session is left alone
   * @return whether the session held this login and it was ended
   */
  public boolean end(HttpServletRequest request, Login login) {
    Objects.requireNonNull(login, "login");
    HttpSession session = request.getSession(false);
    if (session == null) {
      return false;
    }
    try {
      if (session.getAttribute(ATTRIBUTE) instanceof LoginHolder h
          && h.ownedBy(sessions)
          && h.loginFor(sessions) == login) {
        session.removeAttribute(ATTRIBUTE);
        h.end(); // the container unbinds the value on removal; end() makes sure, and runs once
        return true;
      }
    } catch (IllegalStateException invalidated) {
      // someone else ended it
    }
    return false;
  }

  /**
   * Returns how many live sessions hold a login of a role, for monitoring and tests.
   *
   * @param role a role name
   * @return the count; zero if none
   */
  public int liveSessions(String role) {
    return sessions.count(role);
  }

  /**
   * Returns how many distinct roles have at least one live session. The per-role counts
   * never hold more entries than this.
   *
   * @return the number of logged-in people
   */
  public int loggedInRoles() {
    return sessions.roles();
  }

  /** Ends the login of a session that is being destroyed; never throws. */
  void sessionDestroyed(HttpSession session) {
    Object value;
    try {
      value = session.getAttribute(ATTRIBUTE);
    } catch (IllegalStateException invalidated) {
      return; // unbinding the value has ended it already
    }
    if (value instanceof LoginHolder h && h.ownedBy(sessions)) {
      h.end();
    }
  }

  @Override
  public String toString() {
    return "LoginService[" + userbound + ", " + sessions.roles() + " logged-in role(s)]";
  }

  /** Builds a {@link LoginService}. Not thread-safe. */
  public static final class Builder {

    private final Set<String> origins = new LinkedHashSet<>();
    private final List<String> proxies = new ArrayList<>();
    private int ipv6Prefix = ClientKeys.DEFAULT_IPV6_PREFIX;
    private boolean bearerTokens;

    private Builder() {}

    /**
     * Whether a request's {@code Authorization: Bearer} token logs its person in for that
     * request ({@link LoginService#bearer}, used by {@link UserboundFilter} when the session
     * holds no login). Needs an {@link io.userbound.core.IdentityVerifier} in the Userbound
     * configuration. Default false.
     *
     * @param on true to accept bearer tokens
     * @return this builder
     */
    public Builder bearerTokens(boolean on) {
      this.bearerTokens = on;
      return this;
    }

    /**
     * Origins besides the request's own that may send logins and logouts, for a front end
     * served from another origin. Default: none.
     *
     * @param allowed origins written as browsers send them, e.g. {@code https://app.example.com}
     * @return this builder
     * @throws IllegalArgumentException if an origin is not {@code scheme://host[:port]}
     */
    public Builder allowOrigins(String... allowed) {
      for (String o : allowed) {
        Objects.requireNonNull(o, "allowOrigins");
        if (!o.matches("https?://[^/?#\\s]+")) {
          throw new IllegalArgumentException(
              "allowOrigins = " + o + ": write an origin as scheme://host[:port]");
        }
        origins.add(o);
      }
      return this;
    }

    /**
     * Proxies whose {@code X-Forwarded-For} and {@code Forwarded} headers (and {@code
     * X-Forwarded-Proto} and {@code -Host}, for the same-origin check) are believed. Default:
     * none, so the remote address is the client. Never trust a header a client can set
     * directly.
     *
     * <p>Behind a trusted proxy the client is read from every {@code X-Forwarded-For} line
     * in order, each split on commas, and likewise from the {@code for=} parameters of every
     * {@code Forwarded} line (RFC 7239: quoted values, {@code "[2001:db8::1]:4711"}), walking
     * from the nearest hop: trusted proxies are passed, and the first other address is the
     * client. A value that is not an IP address (an obfuscated {@code _hidden}, {@code
     * unknown}, garbage) stops the walk and is itself the key, so nothing a client wrote to
     * its left can choose the key. If both headers are present and name different clients,
     * all such requests share one key: a proxy that writes only one of them passes the other
     * through from the client, so neither can be believed over the other.
     *
     * @param addresses IP addresses or blocks ({@code 10.0.0.5}, {@code 10.0.0.0/8},
     *     {@code fd00::/8}); never host names
     * @return this builder
     * @throws IllegalArgumentException if an entry is not an IP address or block
     */
    public Builder trustProxies(String... addresses) {
      for (String a : addresses) {
        Objects.requireNonNull(a, "trustProxies");
        new ClientKeys(List.of(a), ClientKeys.DEFAULT_IPV6_PREFIX); // checks it now
        proxies.add(a);
      }
      return this;
    }

    /**
     * How much of an IPv6 client address names one client for login throttling: failed
     * logins from addresses that share the first {@code bits} bits count together. Default
     * 64: a home or office usually gets a /64 or more, so per address one attacker would have
     * 2<sup>64</sup> fresh clients. 128 counts each address; 48 or 56 each site, for
     * providers that hand out larger blocks. IPv4 clients (and IPv4-mapped IPv6 addresses)
     * are always counted per address.
     *
     * @param bits the prefix length, from 1 to 128
     * @return this builder
     * @throws IllegalArgumentException if {@code bits} is not from 1 to 128
     */
    public Builder ipv6ThrottlePrefix(int bits) {
      this.ipv6Prefix = ClientKeys.checkPrefix(bits);
      return this;
    }

    /**
     * Builds the service. The builder may build more than one.
     *
     * @param userbound the instance that verifies logins and owns the pools; not closed by this
     * @return the service
     */
    public LoginService build(Userbound userbound) {
      return new LoginService(this, userbound);
    }
  }
}
