package io.userbound.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A loopback TCP proxy in front of a server, for tests and benchmarks that need a network
 * between client and server which they control: a stall (bytes stop flowing both ways
 * while every TCP connection stays open), a cut (every connection is reset), a fixed
 * one-way delay (to price round trips as on a real network), and byte counters (to count
 * what a client sends).
 *
 * <pre>{@code
 * try (TcpProxy proxy = TcpProxy.start(server.host(), server.port())) {
 *   String url = proxy.jdbcUrl(server, "postgres");
 *   ...
 *   proxy.stall();      // the server seems to stop answering
 *   proxy.resume();
 *   proxy.cut();        // every connection through the proxy is reset
 * }
 * }</pre>
 *
 * <p>Two daemon threads per proxied connection and one for accepting; nothing outlives
 * {@link #close()}. Thread-safe.
 */
public final class TcpProxy implements AutoCloseable {

  private final ServerSocket listener;
  private final String upstreamHost;
  private final int upstreamPort;
  private final long delayNanos;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicLong toServer = new AtomicLong();
  private final AtomicLong toClient = new AtomicLong();
  private final AtomicLong connections = new AtomicLong();
  private final Object gate = new Object();
  private volatile boolean stalled;
  private volatile boolean closed;

  private TcpProxy(String upstreamHost, int upstreamPort, Duration oneWayDelay) throws IOException {
    this.listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    this.upstreamHost = upstreamHost;
    this.upstreamPort = upstreamPort;
    this.delayNanos = oneWayDelay.toNanos();
    Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept-" + listener.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * Starts a proxy that forwards at once.
   *
   * @param host the server's host
   * @param port the server's port
   * @return the running proxy, listening on a free loopback port
   */
  public static TcpProxy start(String host, int port) {
    return start(host, port, Duration.ZERO);
  }

  /**
   * Starts a proxy that holds each chunk of bytes, in each direction, for a fixed time
   * before passing it on: a round trip through it costs twice that.
   *
   * @param host the server's host
   * @param port the server's port
   * @param oneWayDelay how long each direction holds its bytes; zero for none
   * @return the running proxy, listening on a free loopback port
   */
  public static TcpProxy start(String host, int port, Duration oneWayDelay) {
    if (oneWayDelay.isNegative()) {
      throw new IllegalArgumentException("oneWayDelay = " + oneWayDelay + ": must not be negative");
    }
    try {
      return new TcpProxy(host, port, oneWayDelay);
    } catch (IOException e) {
      throw new UncheckedIOException("could not open a loopback port for the proxy", e);
    }
  }

  /** {@return the loopback port the proxy listens on} */
  public int port() {
    return listener.getLocalPort();
  }

  /**
   * Returns the server's JDBC URL for a database, pointed at this proxy instead.
   *
   * @param server the server behind the proxy
   * @param database the database name
   * @return the URL
   */
  public String jdbcUrl(PostgresServer server, String database) {
    String url = server.jdbcUrl(database);
    String direct = "//" + server.host() + ":" + server.port() + "/";
    int at = url.indexOf(direct);
    if (at < 0) {
      throw new IllegalStateException("unexpected JDBC URL shape: " + url);
    }
    return url.substring(0, at)
        + "//127.0.0.1:"
        + port()
        + "/"
        + url.substring(at + direct.length());
  }

  /** Stops forwarding in both directions; connections stay open, bytes wait. */
  public void stall() {
    stalled = true;
  }

  /** Forwards again after {@link #stall()}. */
  public void resume() {
    synchronized (gate) {
      stalled = false;
      gate.notifyAll();
    }
  }

  /** Resets every connection through the proxy (new ones are accepted as before). */
  public void cut() {
    for (Socket s : sockets) {
      try {
        s.setSoLinger(true, 0); // RST, not FIN
        s.close();
      } catch (IOException e) {
        // closed already
      }
    }
    sockets.clear();
  }

  /** {@return bytes passed from clients to the server so far} */
  public long bytesToServer() {
    return toServer.get();
  }

  /** {@return bytes passed from the server to clients so far} */
  public long bytesToClient() {
    return toClient.get();
  }

  /** {@return TCP connections accepted so far} */
  public long connections() {
    return connections.get();
  }

  @Override
  public void close() {
    closed = true;
    resume();
    try {
      listener.close();
    } catch (IOException e) {
      // nothing to do
    }
    cut();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return;
      }
      connections.incrementAndGet();
      try {
        Socket server = new Socket();
        server.connect(new InetSocketAddress(upstreamHost, upstreamPort), 5_000);
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(server);
        pump(client, server, toServer);
        pump(server, client, toClient);
      } catch (IOException e) {
        closeQuietly(client);
      }
    }
  }

  private void pump(Socket from, Socket to, AtomicLong counter) throws IOException {
    InputStream in = from.getInputStream();
    OutputStream out = to.getOutputStream();
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[16 * 1024];
              try {
                while (true) {
                  int n = in.read(buffer);
                  if (n < 0) {
                    break;
                  }
                  long due = System.nanoTime() + delayNanos;
                  awaitForwarding();
                  if (delayNanos > 0) {
                    holdUntil(due);
                  }
                  counter.addAndGet(
                      n); // before the peer can see them, so a reader never undercounts
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException | InterruptedException e) {
                // reset or closed
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "tcp-proxy-" + from.getPort() + "-" + to.getPort());
    t.setDaemon(true);
    t.start();
  }

  private void awaitForwarding() throws InterruptedException {
    if (!stalled) {
      return;
    }
    synchronized (gate) {
      while (stalled && !closed) {
        gate.wait();
      }
    }
  }

  private static void holdUntil(long due) {
    long left;
    while ((left = due - System.nanoTime()) > 0) {
      if (left > TimeUnit.MICROSECONDS.toNanos(60)) {
        LockSupport.parkNanos(left - TimeUnit.MICROSECONDS.toNanos(50));
      } else {
        Thread.onSpinWait();
      }
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closed already
    }
  }

  @Override
  public String toString() {
    List<String> state = new ArrayList<>();
    if (stalled) {
      state.add("stalled");
    }
    if (delayNanos > 0) {
      state.add("delay " + TimeUnit.NANOSECONDS.toMicros(delayNanos) + " µs");
    }
    return "TcpProxy[127.0.0.1:"
        + port()
        + " -> "
        + upstreamHost
        + ":"
        + upstreamPort
        + (state.isEmpty() ? "" : ", " + String.join(", ", state))
        + "]";
  }
}
