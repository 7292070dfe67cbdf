package io.userbound.core;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy in front of PostgreSQL that reads each startup packet and, for
 * the role names it is told to hang, accepts the connection and never answers. All other
 * connections are passed through to the real server unchanged.
 */
final class HangingProxy implements AutoCloseable {

  private final ServerSocket listener;
  private final String upstreamHost;
  private final int upstreamPort;
  private final Set<String> hangRoles;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  HangingProxy(String upstreamHost, int upstreamPort, Set<String> hangRoles) throws IOException {
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.upstreamHost = upstreamHost;
    this.upstreamPort = upstreamPort;
    this.hangRoles = hangRoles;
    this.acceptor = new Thread(this::acceptLoop, "hanging-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        sockets.add(client);
        Thread t = new Thread(() -> handle(client), "hanging-proxy-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void handle(Socket client) {
    try {
      DataInputStream in = new DataInputStream(client.getInputStream());
      int length = in.readInt();
      byte[] body = new byte[length - 4];
      in.readFully(body);
      if (hangRoles.contains(user(body))) {
        return; // keep the socket open, never answer
      }
      Socket upstream = new Socket(upstreamHost, upstreamPort);
      sockets.add(upstream);
      OutputStream up = upstream.getOutputStream();
      new DataOutputHelper(up).writeInt(length);
      up.write(body);
      up.flush();
      Thread back = new Thread(() -> pipe(upstream, client), "hanging-proxy-back");
      back.setDaemon(true);
      back.start();
      pipe(client, upstream);
    } catch (IOException e) {
      // Connection ended.
    }
  }

  /** The "user" parameter of a startup packet body (protocol version, then key\0value\0 pairs). */
  private static String user(byte[] body) {
    String params = new String(body, 4, body.length - 4, StandardCharsets.UTF_8);
    String[] parts = params.split("\0");
    for (int i = 0; i + 1 < parts.length; i += 2) {
      if (parts[i].equals("user")) {
        return parts[i + 1];
      }
    }
    return "";
  }

  private static void pipe(Socket from, Socket to) {
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // One side closed.
    } finally {
      try {
        from.close();
        to.close();
      } catch (IOException ignored) {
        // Already closed.
      }
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket s : sockets) {
      s.close();
    }
  }

  private static final class DataOutputHelper {
    private final OutputStream out;

    DataOutputHelper(OutputStream out) {
      this.out = out;
    }

    void writeInt(int v) throws IOException {
      out.write(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }
  }
}
