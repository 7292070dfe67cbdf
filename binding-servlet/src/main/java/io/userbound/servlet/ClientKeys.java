package io.userbound.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/*
 * The client key for login throttling: who is guessing, as far as the proxies we trust can
 * tell. Everything a client sends is hostile; only what a trusted proxy added is believed.
 *
 *   - Not behind a trusted proxy (the remote address is not one): the remote address.
 *   - Behind one: every X-Forwarded-For line in order (request.getHeaders: HAProxy's
 *     "option forwardfor" and some ingress controllers add a line of their own per hop,
 *     others append ", addr" to the last line), each split on commas, and likewise every
 *     Forwarded line (RFC 7239), its for= parameters. The list is walked from the right,
 *     the nearest hop: trusted proxies are passed, and the first address that is not one is
 *     the client. Anything unparsable (an obfuscated "_hidden", "unknown", garbage, an
 *     element without for=) stops the walk and is itself the key: what lies left of it was
 *     written by someone we cannot vouch for, and skipping past it would let a client choose
 *     its own key. If every hop is a trusted proxy, the left-most is the client.
 *   - Both headers present: each gives a key; if they agree, that is the key, if not, the
 *     request is counted under one shared key (CONFLICT). A proxy that writes only one of the
 *     two passes the other through from the client untouched, so neither may simply win:
 *     preferring Forwarded when present (as some frameworks do) lets a client behind an
 *     X-Forwarded-For-only proxy pick a fresh key per attempt with one made-up Forwarded
 *     header, and the reverse holds for a Forwarded-only proxy. One shared key for all
 *     disagreeing requests means a forged header buys an attacker nothing: they are all
 *     throttled together. Legitimate clients rarely send either header.
 *   - Elements are split on every comma and semicolon, quotes or not: a for= value (an
 *     address, "[v6]:port", an obfuscated token) never holds either, and a quote a client
 *     never closes must not swallow the elements the proxies appended after it.
 *   - The key of an IPv4 address is the address; of an IPv6 address, its network of
 *     ipv6Prefix bits (64 by default: one site gets a /64 or more, so per address would
 *     give one attacker 2^64 keys). IPv4-mapped IPv6 (::ffff:a.b.c.d) is IPv4.
 *   - No DNS, ever: a literal that does not parse is not an address.
 */
final class ClientKeys {

  static final int DEFAULT_IPV6_PREFIX = 64;

  /** The key of every request whose X-Forwarded-For and Forwarded disagree. */
  static final String CONFLICT = "conflicting-forwarded-headers";

  private static final int MAX_KEY = 64;

  private final List<Cidr> trusted;
  private final int ipv6Prefix;

  ClientKeys(List<String> trustedProxies, int ipv6Prefix) {
    List<Cidr> proxies = new ArrayList<>();
    for (String p : trustedProxies) {
      proxies.add(Cidr.parse(p));
    }
    this.trusted = List.copyOf(proxies);
    this.ipv6Prefix = checkPrefix(ipv6Prefix);
  }

  static int checkPrefix(int bits) {
    if (bits < 1 || bits > 128) {
      throw new IllegalArgumentException(
          "ipv6ThrottlePrefix = "
              + bits
              + ": must be from 1 to 128 (the bits of an IPv6 address that name one client;"
              + " 64 counts a site's subnet as one client, 128 each address)");
    }
    return bits;
  }

  @Nullable String of(HttpServletRequest request) {
    return of(
        request.getRemoteAddr(), lines(request, "X-Forwarded-For"), lines(request, "Forwarded"));
  }

  private static List<String> lines(HttpServletRequest request, String name) {
    var values = request.getHeaders(name);
    return values == null ? List.of() : Collections.list(values);
  }

  /**
   * The key for a request from {@code remote} with these header lines, in the order received.
   */
  @Nullable String of(
      @Nullable String remote, List<String> forwardedForLines, List<String> forwardedLines) {
    if (remote == null || !isTrusted(remote)) {
      return addressKey(remote);
    }
    String xff = forwardedForLines.isEmpty() ? null : walk(hops(forwardedForLines, false));
    String fwd = forwardedLines.isEmpty() ? null : walk(hops(forwardedLines, true));
    if (xff == null && fwd == null) {
      return addressKey(remote);
    }
    if (xff == null) {
      return fwd;
    }
    if (fwd == null || fwd.equals(xff)) {
      return xff;
    }
    return CONFLICT;
  }

  /** Whether an address (an IP literal, no port) is one of the trusted proxies. */
  boolean isTrusted(String address) {
    if (trusted.isEmpty() || address == null) {
      return false;
    }
    byte[] bytes = literal(address.strip());
    if (bytes == null) {
      return false;
    }
    for (Cidr c : trusted) {
      if (c.contains(bytes)) {
        return true;
      }
    }
    return false;
  }

  /** The hops, left to right: X-Forwarded-For entries, or the for= of Forwarded elements. */
  private static List<String> hops(List<String> lines, boolean forwarded) {
    List<String> hops = new ArrayList<>();
    for (String line : lines) {
      for (String element : line.split(",", -1)) {
        hops.add(forwarded ? forParameter(element) : element.strip());
      }
    }
    return hops;
  }

  /** The for= value of a Forwarded element, unquoted; the element itself if it has none. */
  private static String forParameter(String element) {
    for (String pair : element.split(";", -1)) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).strip().toLowerCase(Locale.ROOT).equals("for")) {
        String value = pair.substring(eq + 1).strip();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1).replaceAll("\\\\(.)", "$1");
        }
        return value;
      }
    }
    return "(no for=) " + element.strip(); // never an address: stops the walk
  }

  /** From the right: the first hop that is not a trusted proxy, or what stops the walk. */
  private @Nullable String walk(List<String> hops) {
    String leftMost = null;
    for (int i = hops.size() - 1; i >= 0; i--) {
      String hop = hops.get(i);
      String address = nodeAddress(hop);
      if (address == null) {
        return unparsableKey(hop);
      }
      if (!isTrusted(address)) {
        return addressKey(address);
      }
      leftMost = address;
    }
    return leftMost == null ? null : addressKey(leftMost);
  }

  /**
   * The address of a node ({@code 192.0.2.1}, {@code 192.0.2.1:80}, {@code 2001:db8::1},
   * {@code [2001:db8::1]}, {@code [2001:db8::1]:4711}), or null if it is not an IP literal.
   */
  static @Nullable String nodeAddress(String node) {
    String n = node.strip();
    String address;
    if (n.startsWith("[")) {
      int end = n.indexOf(']');
      if (end < 0 || !isPort(n.substring(end + 1))) {
        return null;
      }
      address = n.substring(1, end);
      if (address.indexOf(':') < 0) {
        return null; // brackets hold IPv6 only
      }
    } else {
      int colon = n.indexOf(':');
      if (colon >= 0 && colon == n.lastIndexOf(':')) {
        if (!isPort(n.substring(colon))) {
          return null;
        }
        address = n.substring(0, colon); // IPv4 with a port
        if (address.indexOf('.') < 0) {
          return null;
        }
      } else {
        address = n;
      }
    }
    return literal(address) == null ? null : address;
  }

  /** Empty, or ":" and a port number or an obfuscated port (RFC 7239). */
  private static boolean isPort(String s) {
    return s.isEmpty() || s.matches(":(\\d{1,5}|_[A-Za-z0-9._-]{1,64})");
  }

  private static String unparsableKey(String hop) {
    String s = hop.strip();
    if (s.isEmpty()) {
      return "(empty)";
    }
    return s.length() > MAX_KEY ? s.substring(0, MAX_KEY) : s;
  }

  /** The key of an address: IPv4 itself, IPv6 its network; anything else cut as it is. */
  @Nullable String addressKey(@Nullable String address) {
    if (address == null) {
      return null;
    }
    byte[] bytes = literal(address.strip());
    if (bytes == null) {
      String s = address.strip();
      return s.length() > MAX_KEY ? s.substring(0, MAX_KEY) : s;
    }
    if (bytes.length == 4) {
      return (bytes[0] & 0xFF)
          + "."
          + (bytes[1] & 0xFF)
          + "."
          + (bytes[2] & 0xFF)
          + "."
          + (bytes[3] & 0xFF);
    }
    for (int bit = ipv6Prefix; bit < 128; bit++) {
      bytes[bit / 8] = (byte) (bytes[bit / 8] & ~(0x80 >> (bit % 8)));
    }
    StringBuilder sb = new StringBuilder(48);
    for (int g = 0; g < 8; g++) {
      if (g > 0) {
        sb.append(':');
      }
      sb.append(Integer.toHexString(((bytes[2 * g] & 0xFF) << 8) | (bytes[2 * g + 1] & 0xFF)));
    }
    return ipv6Prefix == 128 ? sb.toString() : sb.append('/').append(ipv6Prefix).toString();
  }

  /**
   * The bytes of an IP literal, 4 for IPv4 and IPv4-mapped IPv6, else 16; null if it is not
   * one. Never a DNS lookup: IPv4 is parsed here, IPv6 only in brackets, which the JDK never
   * resolves. Zone ids ({@code %eth0}) are not accepted.
   */
  static byte @Nullable [] literal(String address) {
    String a = address;
    if (a.startsWith("[") && a.endsWith("]")) {
      a = a.substring(1, a.length() - 1);
    }
    if (a.isEmpty() || a.length() > 45) {
      return null;
    }
    if (a.indexOf(':') < 0) {
      return ipv4(a);
    }
    if (!a.matches("[0-9A-Fa-f:.]+")) {
      return null;
    }
    try {
      return InetAddress.getByName("[" + a + "]").getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static byte @Nullable [] ipv4(String a) {
    String[] parts = a.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (!p.matches("0|[1-9]\\d{0,2}")) {
        return null; // no leading zeros: "010" is octal to some parsers
      }
      int v = Integer.parseInt(p);
      if (v > 255) {
        return null;
      }
      bytes[i] = (byte) v;
    }
    return bytes;
  }

  /** An address or address block, written 10.0.0.1, 10.0.0.0/8 or fd00::/8. */
  @SuppressWarnings("ArrayRecordComponent") // only matched against, never compared
  record Cidr(byte[] network, int bits) {

    static Cidr parse(String text) {
      int slash = text.indexOf('/');
      String address = slash < 0 ? text.strip() : text.substring(0, slash).strip();
      byte[] bytes = literal(address);
      if (bytes == null) {
        throw new IllegalArgumentException(
            "trustedProxies: '" + text + "' is not an IP address or block");
      }
      int bits = bytes.length * 8;
      if (slash >= 0) {
        try {
          bits = Integer.parseInt(text.substring(slash + 1).strip());
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
