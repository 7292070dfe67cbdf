package io.userbound.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/*
 * The socket under every physical connection: a java.net.Socket that pgjdbc (and, for
 * TLS, the JDK's SSLSocket layered on top) uses as any other, backed by a SocketChannel
 * so that two things java.net.Socket cannot do become possible:
 *
 *   - peek(): without blocking and without losing data, tell whether the server sent
 *     something (bytes waiting) or closed its side (end of stream) while the connection
 *     sat idle. A backend that was terminated or shut down leaves its FATAL message and
 *     then end of stream; if pgjdbc happened to read the message into its own buffer
 *     along with an earlier reply, only the end of stream is left, and available() would
 *     show nothing. peek() reads in non-blocking mode into a small buffer that the input
 *     stream serves first, so pgjdbc never misses a byte. That costs a few system calls
 *     (two blocking-mode switches and a read: five system calls), so a connection that was
 *     not idle for long is only asked for available() (arrivedBytes, one FIONREAD) when
 *     pgjdbc's last read ended exactly at a ReadyForQuery: a terminated backend's FATAL
 *     then shows there, and only a peer that closed without a word goes unseen for that
 *     while (see PhysicalConnection for how long).
 *   - close() waits, at most EXIT_WAIT, until the server has closed its side (that is,
 *     until the backend exited), so that a budget permit is only given back once the
 *     backend no longer holds a server slot.
 *
 * Every other method forwards to the channel's own socket adaptor, which supports
 * SO_TIMEOUT on blocking reads (pgjdbc's socketTimeout and network timeouts). peek() must
 * only be called while nobody reads the socket (the connection is idle in its pool).
 */
@SuppressWarnings(
    "UnsynchronizedOverridesSynchronized") // the channel's socket adaptor locks itself
final class ChannelSocket extends Socket implements ExitAwareSocketFactory.Peek {

  // Usually under a millisecond; on a loaded 2-core machine a backend was seen to take longer
  // than 250 ms (a permit given back early showed as one backend over the budget). Closes
  // run on the closer threads, so only a peer that never answers waits this long.
  private static final long EXIT_WAIT_MILLIS = 1_000;

  private final SocketChannel channel;
  private final Socket socket;
  private final ReentrantLock lock = new ReentrantLock();
  private final ByteBuffer peeked = ByteBuffer.allocate(256).flip();
  private boolean endOfStream;
  private boolean closing;
  private InputStream in;
  private OutputStream out;
  private volatile InputStream rawIn;
  /*
   * Whether the last read ended exactly at a ReadyForQuery, so that pgjdbc's own buffer
   * holds nothing after the reply it waited for. If it did not (a longer read, TLS
   * records, a notification that came with the reply), a FATAL may sit unread in that
   * buffer with only the end of stream left on the socket, and available() would not
   * show it: arrivedBytes() then peeks.
   */
  private volatile boolean endedAtReadyForQuery;

  ChannelSocket() throws IOException {
    this.channel = SocketChannel.open();
    this.socket = channel.socket();
  }

  /** Bytes waiting (including ones already peeked), -1 at end of stream, 0 if none. */
  @Override
  public int pendingBytes() throws IOException {
    lock.lock();
    try {
      if (peeked.hasRemaining()) {
        return peeked.remaining();
      }
      if (endOfStream) {
        return -1;
      }
      peeked.clear();
      int n;
      channel.configureBlocking(false);
      try {
        n = channel.read(peeked);
      } finally {
        channel.configureBlocking(true);
        peeked.flip();
      }
      if (n < 0) {
        endOfStream = true;
        return -1;
      }
      return n;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int arrivedBytes() throws IOException {
    if (!endedAtReadyForQuery) {
      return pendingBytes();
    }
    lock.lock();
    try {
      if (peeked.hasRemaining()) {
        return peeked.remaining();
      }
      InputStream raw = rawIn;
      return endOfStream ? -1 : raw == null ? 0 : raw.available();
    } finally {
      lock.unlock();
    }
  }

  /** Whether bytes end with a ReadyForQuery message: 'Z', length 5, a status byte. */
  static boolean endsAtReadyForQuery(byte[] b, int off, int n) {
    int z = off + n - 6;
    return n >= 6
        && b[z] == 'Z'
        && b[z + 1] == 0
        && b[z + 2] == 0
        && b[z + 3] == 0
        && b[z + 4] == 5;
  }

  @Override
  public synchronized InputStream getInputStream() throws IOException {
    if (in == null) {
      InputStream raw = socket.getInputStream();
      rawIn = raw;
      in =
          new InputStream() {
            @Override
            public int read() throws IOException {
              byte[] one = new byte[1];
              int n = read(one, 0, 1);
              return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
              if (len == 0) {
                return 0;
              }
              lock.lock();
              try {
                endedAtReadyForQuery = false;
                if (peeked.hasRemaining()) {
                  int n = Math.min(len, peeked.remaining());
                  peeked.get(b, off, n);
                  return n;
                }
                if (endOfStream) {
                  return -1;
                }
              } finally {
                lock.unlock();
              }
              int n = raw.read(b, off, len);
              if (n > 0 && endsAtReadyForQuery(b, off, n)) {
                endedAtReadyForQuery = true;
              }
              return n;
            }

            @Override
            public int available() throws IOException {
              return peeked.remaining() + raw.available();
            }

            @Override
            public void close() throws IOException {
              ChannelSocket.this.close(); // see getOutputStream
            }
          };
    }
    return in;
  }

  /*
   * Closing either stream closes the socket, as Socket's contract says, but through close()
   * below, so that the exit wait runs. pgjdbc closes a connection by closing its output
   * stream, then its input stream, then the socket; the socket adaptor's own streams would
   * close the channel at the first step, close() would then find the socket closed, and the
   * permit would go back while the backend still held its server slot (seen as one backend
   * over the budget in the ManyPeople smoke).
   */
  @Override
  public synchronized OutputStream getOutputStream() throws IOException {
    if (out == null) {
      OutputStream raw = socket.getOutputStream();
      out =
          new OutputStream() {
            @Override
            public void write(int b) throws IOException {
              raw.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              raw.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
              raw.flush();
            }

            @Override
            public void close() throws IOException {
              ChannelSocket.this.close();
            }
          };
    }
    return out;
  }

  @Override
  public synchronized void close() throws IOException {
    if (!closing && socket.isConnected() && !socket.isClosed() && !socket.isInputShutdown()) {
      closing = true;
      awaitServerClose();
    }
    socket.close();
  }

  private void awaitServerClose() {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(EXIT_WAIT_MILLIS);
    try {
      socket.shutdownOutput();
      InputStream input = getInputStream();
      byte[] sink = new byte[512];
      while (true) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          return;
        }
        socket.setSoTimeout((int) left);
        if (input.read(sink) < 0) {
          return;
        }
      }
    } catch (IOException e) {
      // Reset, timeout or already closed: nothing more to wait for.
    }
  }

  // ---- everything else is the channel's socket ------------------------------------------

  @Override
  public void connect(SocketAddress endpoint) throws IOException {
    socket.connect(endpoint);
  }

  @Override
  public void connect(SocketAddress endpoint, int timeout) throws IOException {
    socket.connect(endpoint, timeout);
  }

  @Override
  public void bind(SocketAddress bindpoint) throws IOException {
    socket.bind(bindpoint);
  }

  @Override
  public InetAddress getInetAddress() {
    return socket.getInetAddress();
  }

  @Override
  public InetAddress getLocalAddress() {
    return socket.getLocalAddress();
  }

  @Override
  public int getPort() {
    return socket.getPort();
  }

  @Override
  public int getLocalPort() {
    return socket.getLocalPort();
  }

  @Override
  public SocketAddress getRemoteSocketAddress() {
    return socket.getRemoteSocketAddress();
  }

  @Override
  public SocketAddress getLocalSocketAddress() {
    return socket.getLocalSocketAddress();
  }

  @Override
  public void setTcpNoDelay(boolean on) throws SocketException {
    socket.setTcpNoDelay(on);
  }

  @Override
  public boolean getTcpNoDelay() throws SocketException {
    return socket.getTcpNoDelay();
  }

  @Override
  public void setSoLinger(boolean on, int linger) throws SocketException {
    socket.setSoLinger(on, linger);
  }

  @Override
  public int getSoLinger() throws SocketException {
    return socket.getSoLinger();
  }

  @Override
  public void sendUrgentData(int data) throws IOException {
    socket.sendUrgentData(data);
  }

  @Override
  public void setOOBInline(boolean on) throws SocketException {
    socket.setOOBInline(on);
  }

  @Override
  public boolean getOOBInline() throws SocketException {
    return socket.getOOBInline();
  }

  @Override
  public void setSoTimeout(int timeout) throws SocketException {
    socket.setSoTimeout(timeout);
  }

  @Override
  public int getSoTimeout() throws SocketException {
    return socket.getSoTimeout();
  }

  @Override
  public void setSendBufferSize(int size) throws SocketException {
    socket.setSendBufferSize(size);
  }

  @Override
  public int getSendBufferSize() throws SocketException {
    return socket.getSendBufferSize();
  }

  @Override
  public void setReceiveBufferSize(int size) throws SocketException {
    socket.setReceiveBufferSize(size);
  }

  @Override
  public int getReceiveBufferSize() throws SocketException {
    return socket.getReceiveBufferSize();
  }

  @Override
  public void setKeepAlive(boolean on) throws SocketException {
    socket.setKeepAlive(on);
  }

  @Override
  public boolean getKeepAlive() throws SocketException {
    return socket.getKeepAlive();
  }

  @Override
  public void setTrafficClass(int tc) throws SocketException {
    socket.setTrafficClass(tc);
  }

  @Override
  public int getTrafficClass() throws SocketException {
    return socket.getTrafficClass();
  }

  @Override
  public void setReuseAddress(boolean on) throws SocketException {
    socket.setReuseAddress(on);
  }

  @Override
  public boolean getReuseAddress() throws SocketException {
    return socket.getReuseAddress();
  }

  @Override
  public void shutdownInput() throws IOException {
    socket.shutdownInput();
  }

  @Override
  public void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  @Override
  public boolean isConnected() {
    return socket.isConnected();
  }

  @Override
  public boolean isBound() {
    return socket.isBound();
  }

  @Override
  public boolean isClosed() {
    return socket.isClosed();
  }

  @Override
  public boolean isInputShutdown() {
    return socket.isInputShutdown();
  }

  @Override
  public boolean isOutputShutdown() {
    return socket.isOutputShutdown();
  }

  @Override
  public void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
    socket.setPerformancePreferences(connectionTime, latency, bandwidth);
  }

  @Override
  public <T> Socket setOption(SocketOption<T> name, T value) throws IOException {
    socket.setOption(name, value);
    return this;
  }

  @Override
  public <T> T getOption(SocketOption<T> name) throws IOException {
    return socket.getOption(name);
  }

  @Override
  public Set<SocketOption<?>> supportedOptions() {
    return socket.supportedOptions();
  }

  @Override
  public String toString() {
    return "ChannelSocket[" + socket + "]";
  }
}
