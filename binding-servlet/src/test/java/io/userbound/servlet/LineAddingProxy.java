package io.userbound.servlet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A reverse proxy on loopback that, like HAProxy's {@code option forwardfor}, adds a header line
 * of its own, {@code X-Forwarded-For: <the address it was connected from>}, after whatever
 * {@code X-Forwarded-For} lines the client sent, and forwards the request to the server from
 * 127.0.0.1. One request per connection ({@code Connection: close}), one connection at a time.
 */
final class LineAddingProxy implements AutoCloseable {

  private static final byte[] END_OF_HEAD = {'\r', '\n', '\r', '\n'};
  private static final int MAX_HEAD = 64 * 1024;

  private final ServerSocket listener;
  private final URI upstream;
  private final Thread acceptor;

  LineAddingProxy(URI upstream) throws IOException {
    this.upstream = upstream;
    this.listener = new ServerSocket(0, 50, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
    this.acceptor = new Thread(this::serve, "line-adding-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  private void serve() {
    while (!listener.isClosed()) {
      try (Socket client = listener.accept()) {
        relay(client);
      } catch (IOException e) {
        // the listener closed, or one connection failed: the client sees it
      }
    }
  }

  private void relay(Socket client) throws IOException {
    InputStream in = client.getInputStream();
    byte[] head = readHead(in);
    String text = new String(head, StandardCharsets.ISO_8859_1);
    String added =
        text.substring(0, text.length() - 2)
            + "X-Forwarded-For: "
            + client.getInetAddress().getHostAddress()
            + "\r\n\r\n";
    try (Socket server = new Socket()) {
      server.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0));
      server.connect(new InetSocketAddress(upstream.getHost(), upstream.getPort()));
      OutputStream toServer = server.getOutputStream();
      toServer.write(added.getBytes(StandardCharsets.ISO_8859_1));
      int length = contentLength(text);
      toServer.write(in.readNBytes(length));
      toServer.flush();
      server.getInputStream().transferTo(client.getOutputStream());
    }
  }

  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < END_OF_HEAD.length) {
      int b = in.read();
      if (b < 0 || head.size() >= MAX_HEAD) {
        throw new IOException("no complete request head");
      }
      head.write(b);
      matched = b == END_OF_HEAD[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toByteArray();
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
        return Integer.parseInt(line.substring(colon + 1).trim());
      }
    }
    return 0;
  }

  @Override
  public void close() throws Exception {
    listener.close();
    acceptor.join(5_000);
  }
}
