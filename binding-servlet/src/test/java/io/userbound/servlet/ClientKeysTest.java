package io.userbound.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The client key behind proxies, for every header layout real proxies produce and for what
 * clients forge. The trusted proxies are 10.0.0.0/8, fd00::/8 and 127.0.0.1; the request comes
 * from 10.0.0.1 (a trusted proxy) unless the row says otherwise.
 */
class ClientKeysTest {

  private static final String PROXY = "10.0.0.1";
  private static final ClientKeys KEYS =
      new ClientKeys(List.of("10.0.0.0/8", "fd00::/8", "127.0.0.1"), 64);

  private static Arguments row(
      String name, String remote, List<String> xff, List<String> forwarded, String key) {
    return Arguments.of(name, remote, xff, forwarded, key);
  }

  private static Arguments xff(String name, List<String> lines, String key) {
    return row(name, PROXY, lines, List.of(), key);
  }

  private static Arguments fwd(String name, List<String> lines, String key) {
    return row(name, PROXY, List.of(), lines, key);
  }

  static Stream<Arguments> layouts() {
    return Stream.of(
        // Not behind a trusted proxy: the headers are the client's own, never read.
        row("direct client", "198.51.100.1", List.of("203.0.113.5"), List.of(), "198.51.100.1"),
        row(
            "direct client, forged Forwarded",
            "198.51.100.1",
            List.of(),
            List.of("for=203.0.113.5"),
            "198.51.100.1"),
        row(
            "direct IPv6 client: its /64",
            "2001:db8:1:2:3:4:5:6",
            List.of(),
            List.of(),
            "2001:db8:1:2:0:0:0:0/64"),
        row(
            "direct IPv4-mapped client is IPv4",
            "::ffff:198.51.100.1",
            List.of(),
            List.of(),
            "198.51.100.1"),
        row("trusted proxy, no header: the proxy", PROXY, List.of(), List.of(), PROXY),
        // X-Forwarded-For, one line, comma-joined (nginx $proxy_add_x_forwarded_for).
        xff("one line", List.of("203.0.113.5"), "203.0.113.5"),
        xff("one line, two proxies", List.of("203.0.113.5, 10.0.0.2"), "203.0.113.5"),
        xff("one line, forged left part", List.of("1.1.1.1, 8.8.8.8, 203.0.113.5"), "203.0.113.5"),
        xff("one line, no spaces", List.of("1.1.1.1,203.0.113.5,10.0.0.2"), "203.0.113.5"),
        // One line per hop (HAProxy option forwardfor, some ingress controllers).
        xff("a line per hop, forged first line", List.of("1.1.1.1", "203.0.113.5"), "203.0.113.5"),
        xff(
            "a line per hop, forged list, two proxies",
            List.of("6.6.6.6, 7.7.7.7", "203.0.113.5", "10.0.0.2"),
            "203.0.113.5"),
        xff("every hop trusted: the left-most", List.of("10.0.0.7, 10.0.0.2"), "10.0.0.7"),
        xff("IPv4 with a port", List.of("203.0.113.5:4711"), "203.0.113.5"),
        xff("bare IPv6", List.of("2001:db8::1"), "2001:db8:0:0:0:0:0:0/64"),
        xff("IPv6 in brackets", List.of("[2001:db8::1]"), "2001:db8:0:0:0:0:0:0/64"),
        xff(
            "IPv6 in brackets with a port",
            List.of("[2001:db8::1]:4711"),
            "2001:db8:0:0:0:0:0:0/64"),
        xff(
            "one /64, two addresses, one key",
            List.of("2001:db8:0:0:ffff:ffff:ffff:ffff"),
            "2001:db8:0:0:0:0:0:0/64"),
        xff("IPv4-mapped IPv6 is IPv4", List.of("::ffff:203.0.113.5"), "203.0.113.5"),
        xff("trusted IPv6 proxy passed", List.of("203.0.113.5, fd00::7"), "203.0.113.5"),
        // Garbage stops the walk and is the key: nothing left of it can choose the key.
        xff("garbage", List.of("203.0.113.9, garbage, 10.0.0.2"), "garbage"),
        xff("unknown", List.of("1.2.3.4, unknown, 10.0.0.2"), "unknown"),
        xff("an empty element", List.of("1.2.3.4, , 10.0.0.2"), "(empty)"),
        xff("an empty line", List.of("1.2.3.4", ""), "(empty)"),
        xff("a host name is never resolved", List.of("1.2.3.4, localhost"), "localhost"),
        xff("leading zeros are not 10.0.0.1", List.of("1.2.3.4, 010.0.0.1"), "010.0.0.1"),
        xff("an octet over 255", List.of("1.2.3.4, 10.0.0.256"), "10.0.0.256"),
        xff("a zone id", List.of("1.2.3.4, fe80::1%eth0"), "fe80::1%eth0"),
        xff("brackets around IPv4", List.of("1.2.3.4, [10.0.0.2]"), "[10.0.0.2]"),
        xff("a bad port", List.of("1.2.3.4, 203.0.113.5:http"), "203.0.113.5:http"),
        xff("a long element is cut", List.of("1.2.3.4, " + "x".repeat(100)), "x".repeat(64)),
        // Forwarded (RFC 7239).
        fwd("Forwarded, one element", List.of("for=203.0.113.5"), "203.0.113.5"),
        fwd(
            "Forwarded, elements with more parameters",
            List.of("for=1.1.1.1;proto=https, for=203.0.113.5;by=10.0.0.1, for=10.0.0.2;host=a"),
            "203.0.113.5"),
        fwd(
            "Forwarded, a line per hop",
            List.of("for=1.1.1.1", "for=203.0.113.5", "proto=https;for=10.0.0.2"),
            "203.0.113.5"),
        fwd("Forwarded, parameter names in any case", List.of("FOR=203.0.113.5"), "203.0.113.5"),
        fwd("Forwarded, quoted IPv4", List.of("for=\"203.0.113.5\""), "203.0.113.5"),
        fwd(
            "Forwarded, quoted IPv6 with a port",
            List.of("for=\"[2001:db8:cafe::17]:4711\""),
            "2001:db8:cafe:0:0:0:0:0/64"),
        fwd(
            "Forwarded, quoted IPv6 with an obfuscated port",
            List.of("for=\"[2001:db8:cafe::17]:_p1\""),
            "2001:db8:cafe:0:0:0:0:0/64"),
        fwd("Forwarded, obfuscated", List.of("for=1.1.1.1, for=_hidden, for=10.0.0.2"), "_hidden"),
        fwd("Forwarded, unknown", List.of("for=1.1.1.1, for=unknown"), "unknown"),
        fwd(
            "Forwarded, an element without for=",
            List.of("for=1.1.1.1, proto=https"),
            "(no for=) proto=https"),
        fwd(
            "Forwarded, a quote the client never closed, proxy appended on the same line",
            List.of("for=\"1.1.1.1, for=203.0.113.5"),
            "203.0.113.5"),
        fwd(
            "Forwarded, quoted IPv6 without brackets (lenient)",
            List.of("for=\"2001:db8::1\""),
            "2001:db8:0:0:0:0:0:0/64"),
        // Both headers: they must agree.
        row(
            "both, agreeing",
            PROXY,
            List.of("1.1.1.1, 203.0.113.5"),
            List.of("for=203.0.113.5"),
            "203.0.113.5"),
        row(
            "both: a forged Forwarded behind an X-Forwarded-For proxy",
            PROXY,
            List.of("203.0.113.5"),
            List.of("for=198.51.100.99"),
            ClientKeys.CONFLICT),
        row(
            "both: a forged X-Forwarded-For behind a Forwarded proxy",
            PROXY,
            List.of("198.51.100.99"),
            List.of("for=203.0.113.5"),
            ClientKeys.CONFLICT));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("layouts")
  void clientKey_layout(
      String name, String remote, List<String> xff, List<String> forwarded, String key) {
    assertThat(KEYS.of(remote, xff, forwarded)).isEqualTo(key);
  }

  @Test
  void ipv6Prefix_isConfigurable_ipv4StaysPerAddress() {
    ClientKeys perAddress = new ClientKeys(List.of(PROXY), 128);
    ClientKeys perSite = new ClientKeys(List.of(PROXY), 48);
    List<String> none = List.of();
    assertThat(perAddress.of(PROXY, List.of("2001:db8:1:2:3:4:5:6"), none))
        .isEqualTo("2001:db8:1:2:3:4:5:6");
    assertThat(perSite.of(PROXY, List.of("2001:db8:1:2:3:4:5:6"), none))
        .isEqualTo("2001:db8:1:0:0:0:0:0/48");
    assertThat(perSite.of(PROXY, List.of("203.0.113.5"), none)).isEqualTo("203.0.113.5");
    assertThat(new ClientKeys(List.of(), 1).of("2001:db8::1", none, none))
        .isEqualTo("0:0:0:0:0:0:0:0/1");
  }

  @Test
  void ipv6ThrottlePrefix_outOfRange_isRefusedWithItsName() {
    for (int bad : new int[] {0, -1, 129}) {
      assertThatThrownBy(() -> LoginService.builder().ipv6ThrottlePrefix(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("ipv6ThrottlePrefix = " + bad + ": must be from 1 to 128");
    }
    LoginService.Builder ok = LoginService.builder().ipv6ThrottlePrefix(1).ipv6ThrottlePrefix(128);
    assertThat(ok).isNotNull();
  }

  @Test
  void trustProxies_refusesNamesAndBadBlocks() {
    for (String bad : List.of("proxy.example", "10.0.0.0/33", "10.0.0.0/x", "fd00::/129", "")) {
      assertThatThrownBy(() -> LoginService.builder().trustProxies(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("trustedProxies: '" + bad + "'");
    }
  }
}
