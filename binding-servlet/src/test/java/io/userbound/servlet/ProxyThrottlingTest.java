package io.userbound.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.userbound.core.LoginThrottling;
import io.userbound.core.Userbound;
import io.userbound.core.UserboundConfig;
import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Login throttling per client behind a real (if small) proxy that adds its own {@code
 * X-Forwarded-For} line, through Jetty: a guesser who sends a fresh made-up {@code
 * X-Forwarded-For} with every attempt is still one client.
 */
@ExtendWith(PostgresExtension.class)
class ProxyThrottlingTest {

  private static final int ATTEMPTS = 30;
  private static final int FREE = 5;

  @Test
  void rotatingForgedXForwardedFor_behindAProxyAddingItsOwnLine_isThrottled(
      PostgresServer server, TestNames names) throws Exception {
    Userbound ub =
        Fixtures.userbound(
            UserboundConfig.builder()
                .database(Fixtures.twoDatabases(server, names).databases().get(0))
                .loginThrottling(
                    LoginThrottling.builder()
                        .failuresPerClient(FREE)
                        .backoff(Duration.ofMinutes(1))
                        .build())
                .build());
    TestApp app = new TestApp(ub, LoginService.builder().trustProxies("127.0.0.1").build(ub));
    TestServer web = app.start("two-line-proxy");
    int throttled = 0;
    int refused = 0;
    try (LineAddingProxy proxy = new LineAddingProxy(web.uri("/"))) {
      for (int i = 0; i < ATTEMPTS; i++) {
        // The guesser, on 127.0.0.2, behind the proxy on 127.0.0.1 (the one trusted proxy).
        int status =
            postFrom(
                new byte[] {127, 0, 0, 2},
                proxy.port(),
                "role=" + names.role("nobody" + i) + "&password=Wrong-pw-1",
                "203.0.113." + (i + 1));
        if (status == 429) {
          throttled++;
        } else if (status == 401) {
          refused++;
        }
      }
    }
    assertThat(throttled)
        .as("throttled of %d (%d refused by the database)", ATTEMPTS, refused)
        .isEqualTo(ATTEMPTS - FREE);
    assertThat(refused).isEqualTo(FREE);
  }

  /** A raw HTTP/1.1 login post from a local address, with one X-Forwarded-For line. */
  private static int postFrom(byte[] local, int port, String form, String forgedFor)
      throws IOException {
    byte[] body = form.getBytes(StandardCharsets.UTF_8);
    String head =
        "POST /login HTTP/1.1\r\n"
            + "Host: 127.0.0.1:"
            + port
            + "\r\n"
            + "Content-Type: application/x-www-form-urlencoded\r\n"
            + "Content-Length: "
            + body.length
            + "\r\n"
            + "X-Forwarded-For: "
            + forgedFor
            + "\r\n"
            + "Connection: close\r\n\r\n";
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(InetAddress.getByAddress(local), 0));
      s.connect(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port));
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      InputStream in = s.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      // "HTTP/1.1 429 Too Many Requests"
      return Integer.parseInt(response.substring(9, 12));
    }
  }
}
