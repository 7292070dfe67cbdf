package io.userbound.core.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.SocketFactory;

/*
 * Makes closing a physical connection wait until the server backend is gone.
 *
 * pgjdbc's close() sends Terminate and drops the socket at once; the backend then exits
 * on its own time, and until it has, it still holds one of the server's max_connections
 * slots and a row in pg_stat_activity. If the budget permit were given back at that
 * moment, a new connection could be opened while the old backend still exists, and the
 * server would briefly see budget + 1 backends. So the socket's close() first shuts its
 * output and reads until the server closes its side (which happens when the backend
 * process exits), for a short while (ChannelSocket). PhysicalConnection releases the
 * permit after that.
 *
 * It also lets the connection look at its own socket later (PhysicalConnection's local
 * liveness check: has the server sent anything while the connection sat idle?). pgjdbc
 * does not expose its socket, and with loginTimeout it connects on a thread of its own,
 * so each connect gets a token (connection property socketFactoryArg): the factory that
 * pgjdbc makes for that connect files the socket it creates under the token, and the
 * connector takes it out right after connecting. Sockets made later by the same factory
 * (pgjdbc's cancel requests) find no open token and are filed nowhere.
 *
 * pgjdbc instantiates this class by name (connection property socketFactory), so it must
 * be public with public constructors, and it must not take pgjdbc's Properties (which
 * hold the password). Not API.
 */
public final class ExitAwareSocketFactory extends SocketFactory {

  private static final AtomicLong TOKENS = new AtomicLong();
  private static final ConcurrentHashMap<String, Slot> OPEN = new ConcurrentHashMap<>();

  private final String token;

  /** Called by pgjdbc when no token is given. */
  public ExitAwareSocketFactory() {
    this(null);
  }

  /**
   * Called by pgjdbc with the connection's socketFactoryArg.
   *
   * @param token the token of the connect, or {@code null}
   */
  public ExitAwareSocketFactory(String token) {
    this.token = token;
  }

  /** A socket's view for the liveness check. */
  interface Peek {
    /** Bytes that arrived and were not read yet, or -1 if the server closed its side. */
    int pendingBytes() throws IOException;

    /**
     * Bytes that arrived and were not read yet, in one system call; cannot see an end of
     * stream with nothing before it (then 0).
     */
    int arrivedBytes() throws IOException;
  }

  private static final class Slot {
    volatile ChannelSocket socket;
  }

  /** Opens a token for one connect; pass it as socketFactoryArg, then {@link #take}. */
  static String open() {
    String t = "userbound-" + TOKENS.incrementAndGet();
    OPEN.put(t, new Slot());
    return t;
  }

  /** Closes a token; returns the socket the connect made, or null. */
  static Peek take(String token) {
    Slot s = OPEN.remove(token);
    return s == null ? null : s.socket;
  }

  @Override
  public Socket createSocket() throws IOException {
    ChannelSocket s = new ChannelSocket();
    if (token != null) {
      Slot slot = OPEN.get(token);
      if (slot != null) {
        slot.socket = s;
      }
    }
    return s;
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    Socket s = createSocket();
    s.connect(new InetSocketAddress(host, port));
    return s;
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    Socket s = createSocket();
    s.bind(new InetSocketAddress(localHost, localPort));
    s.connect(new InetSocketAddress(host, port));
    return s;
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    Socket s = createSocket();
    s.connect(new InetSocketAddress(host, port));
    return s;
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    Socket s = createSocket();
    s.bind(new InetSocketAddress(localAddress, localPort));
    s.connect(new InetSocketAddress(address, port));
    return s;
  }
}
