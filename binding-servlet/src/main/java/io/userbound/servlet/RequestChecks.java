package io.userbound.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

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
 *     address is a trusted proxy, the right-most X-Forwarded-For address that is not one.
 */
final class RequestChecks {

  private static final Set<String> CREDENTIAL_NAMES =
      Set.of("role", "password", "user", "username", "pass", "passwd", "pwd");

  private final Set<String> allowedOrigins;
  private final List<Cidr> trustedProxies;

  RequestChecks(Set<String> allowedOrigins, List<String> trustedProxies) {
    this.allowedOrigins = Set.copyOf(allowedOrigins);
    List<Cidr> proxies = new ArrayList<>();
    for (String p : trustedProxies) {
      proxies.add(Cidr.parse(p));
    }
    this.trustedProxies = List.copyOf(proxies);
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

  String clientKey(HttpServletRequest request) {
    String remote = request.getRemoteAddr();
    if (!isTrustedProxy(remote)) {
      return remote;
    }
    String forwarded = request.getHeader("X-Forwarded-For");
    if (forwarded == null) {
      return remote;
    }
    String[] hops = forwarded.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].strip();
      if (!hop.isEmpty() && !isTrustedProxy(hop)) {
        return hop.length() > 64 ? hop.substring(0, 64) : hop;
      }
    }
    return remote;
  }

  private boolean isTrustedProxy(String address) {
    if (trustedProxies.isEmpty() || address == null) {
      return false;
    }
    byte[] bytes = Cidr.literal(address);
    if (bytes == null) {
      return false;
    }
    for (Cidr c : trustedProxies) {
      if (c.contains(bytes)) {
        return true;
      }
    }
    return false;
  }

  /** An address or address block, written 10.0.0.1, 10.0.0.0/8 or fd00::/8. */
  @SuppressWarnings("ArrayRecordComponent") // only matched against, never compared
  private record Cidr(byte[] network, int bits) {

    static Cidr parse(String text) {
      int slash = text.indexOf('/');
      String address = slash < 0 ? text : text.substring(0, slash);
      byte[] bytes = literal(address);
      if (bytes == null) {
        throw new IllegalArgumentException(
            "trustedProxies: '" + text + "' is not an IP address or block");
      }
      int bits = bytes.length * 8;
      if (slash >= 0) {
        try {
          bits = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "trustedProxies: '" + text + "' has no valid prefix length");
        }
        if (bits < 0 || bits > bytes.length * 8) {
          throw new IllegalArgumentException(
              "trustedProxies: '" + text + "' has no valid prefix length");
        }
      }
      return new Cidr(bytes, bits);
    }

    /** The bytes of an IP literal; never a DNS lookup. Null if it is not a literal. */
    static byte[] literal(String address) {
      String a = address.strip();
      if (a.startsWith("[") && a.endsWith("]")) {
        a = a.substring(1, a.length() - 1);
      }
      boolean v4 = a.matches("\\d{1,3}(\\.\\d{1,3}){3}");
      boolean v6 = a.indexOf(':') >= 0 && a.matches("[0-9A-Fa-f:.%a-zA-Z0-9]+");
      if (!v4 && !v6) {
        return null;
      }
      try {
        return InetAddress.getByName(a).getAddress();
      } catch (UnknownHostException e) {
        return null;
      }
    }

    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      for (int i = 0; i < bits; i++) {
        int mask = 0x80 >> (i % 8);
        if ((address[i / 8] & mask) != (network[i / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }
}
