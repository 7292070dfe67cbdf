package io.userbound.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/*
 * The checks LoginService makes on a login or logout request before the database hears
 * of it. All inputs here are hostile:
 *   - credentials in the query string: parameter names are percent-decoded and compared
 *     without case, so "?%72ole=...&%70assword=..." is caught like "?role=...";
 *   - cross-site requests: Sec-Fetch-Site must be same-origin (or none, a user's own
 *     navigation), and an Origin header must be the request's own origin or an allowed
 *     one. Browsers send at least one of them with every cross-origin POST; a request
 *     with neither comes from a client that cannot be made to send it by another site;
 *   - the client key for throttling: the remote address, or, only when the remote
 *     address is a trusted proxy, what the proxies report (X-Forwarded-For and Forwarded,
 *     every line); the rules are in ClientKeys.
 */
final class RequestChecks {

  private static final Set<String> CREDENTIAL_NAMES =
      Set.of("role", "password", "user", "username", "pass", "passwd", "pwd");

  private final Set<String> allowedOrigins;
  private final ClientKeys clientKeys;

  RequestChecks(Set<String> allowedOrigins, List<String> trustedProxies, int ipv6Prefix) {
    this.allowedOrigins = Set.copyOf(allowedOrigins);
    this.clientKeys = new ClientKeys(trustedProxies, ipv6Prefix);
  }

  void check(HttpServletRequest request) {
    if (carriesCredentials(request.getQueryString())) {
      throw new RequestRefusedException(
          HttpError.BAD_REQUEST, "role and password belong in the body, never in the URL");
    }
    String site = request.getHeader("Sec-Fetch-Site");
    String origin = request.getHeader("Origin");
    if (origin != null) {
      if (!origin.equals(ownOrigin(request)) && !allowedOrigins.contains(origin)) {
        throw new RequestRefusedException(
            HttpError.CROSS_SITE, "a login or logout from another origin");
      }
    } else if (site != null && !site.equals("same-origin") && !site.equals("none")) {
      throw new RequestRefusedException(
          HttpError.CROSS_SITE, "a login or logout from another site");
    }
  }

  static boolean carriesCredentials(String query) {
    if (query == null || query.isEmpty()) {
      return false;
    }
    for (String pair : query.split("[&;]")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String decoded;
      try {
        decoded = URLDecoder.decode(name, StandardCharsets.UTF_8);
      } catch (IllegalArgumentException malformed) {
        return true; // cannot tell what it says: refuse
      }
      if (CREDENTIAL_NAMES.contains(decoded.strip().toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }

  /** scheme://host[:port] of the request, as the browser would write it in Origin. */
  private String ownOrigin(HttpServletRequest request) {
    String scheme = request.getScheme().toLowerCase(Locale.ROOT);
    String host = request.getServerName();
    int port = request.getServerPort();
    if (isTrustedProxy(request.getRemoteAddr())) {
      String proto = request.getHeader("X-Forwarded-Proto");
      String fwdHost = request.getHeader("X-Forwarded-Host");
      if (proto != null) {
        scheme = proto.strip().toLowerCase(Locale.ROOT);
      }
      if (fwdHost != null) {
        try {
          URI u = URI.create(scheme + "://" + fwdHost.strip());
          host = u.getHost();
          port = u.getPort();
        } catch (IllegalArgumentException e) {
          return "invalid";
        }
      }
    }
    if (host != null && host.indexOf(':') >= 0 && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    boolean defaultPort =
        port < 0
            || (scheme.equals("http") && port == 80)
            || (scheme.equals("https") && port == 443);
    return scheme + "://" + host + (defaultPort ? "" : ":" + port);
  }

  /** The key a failed login from this request is counted under; see ClientKeys. */
  @Nullable String clientKey(HttpServletRequest request) {
    return clientKeys.of(request);
  }

  private boolean isTrustedProxy(String address) {
    return clientKeys.isTrusted(address);
  }
}
