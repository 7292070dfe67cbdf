package io.userbound.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
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
 * process exits), for at most EXIT_WAIT. PhysicalConnection releases the permit after
 * that.
 *
 * pgjdbc instantiates this class by name (connection property socketFactory), so it must
 * be public with a public no-argument constructor. Not API.
 */
public final class ExitAwareSocketFactory extends SocketFactory {

  private static final long EXIT_WAIT_MILLIS = 250;

  /** Called by pgjdbc. */
  public ExitAwareSocketFactory() {
  }

  @Override
  public Socket createSocket() {
    return new ExitAwareSocket();
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    Socket s = new ExitAwareSocket();
    s.connect(new InetSocketAddress(host, port));
    return s;
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    Socket s = new ExitAwareSocket();
    s.bind(new InetSocketAddress(localHost, localPort));
    s.connect(new InetSocketAddress(host, port));
    return s;
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    Socket s = new ExitAwareSocket();
    s.connect(new InetSocketAddress(host, port));
    return s;
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    Socket s = new ExitAwareSocket();
    s.bind(new InetSocketAddress(localAddress, localPort));
    s.connect(new InetSocketAddress(address, port));
    return s;
  }

  private static final class ExitAwareSocket extends Socket {

    private boolean closing;

    @Override
    public synchronized void close() throws IOException {
      if (!closing && isConnected() && !isClosed() && !isInputShutdown()) {
        closing = true;
        awaitServerClose();
      }
      super.close();
    }

    private void awaitServerClose() {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(EXIT_WAIT_MILLIS);
      try {
        shutdownOutput();
        InputStream in = getInputStream();
        byte[] sink = new byte[512];
        while (true) {
          long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
          if (left <= 0) {
            return;
          }
          setSoTimeout((int) left);
          if (in.read(sink) < 0) {
            return;
          }
        }
      } catch (IOException e) {
        // Reset, timeout or already closed: nothing more to wait for.
      }
    }
  }
}
