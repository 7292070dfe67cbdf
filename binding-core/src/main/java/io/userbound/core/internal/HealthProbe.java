package io.userbound.core.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import org.postgresql.Driver;

/*
 * Is the server there? What pg_isready does, without libpq: a startup message for a role
 * that is never authenticated. The server answering with an authentication request (or
 * an error about the role, the database or pg_hba) is alive and accepting connections;
 * 57P03 means starting up, shutting down or in recovery; 53300 means no free connection
 * slot. The socket is closed when the server asks for a password, which PostgreSQL does
 * not log (it is the ping case). No account, no password, no backend left behind.
 *
 * One probe at a time per database, and a result younger than MAX_AGE is reused, so a
 * health endpoint flooded with requests costs the server one connection attempt a second.
 */
final class HealthProbe {

  private static final long MAX_AGE_NANOS = 1_000_000_000L;
  private static final int PROTOCOL_3 = 196608;

  record Result(boolean reachable, String sqlState, String detail, long millis) {}

  private record Host(String name, int port) {}

  private final List<Host> hosts = new ArrayList<>();
  private final String database;
  private final String applicationName;
  private final int timeoutMillis;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile Result last;
  private volatile long lastAt;

  HealthProbe(String jdbcUrl, String applicationName, long timeoutMillis) {
    Properties p = Driver.parseURL(jdbcUrl, null);
    String[] names = p == null ? new String[0] : p.getProperty("PGHOST", "localhost").split(",");
    String[] ports = p == null ? new String[0] : p.getProperty("PGPORT", "5432").split(",");
    for (int i = 0; i < names.length; i++) {
      int port;
      try {
        port = Integer.parseInt(ports[Math.min(i, ports.length - 1)].trim());
      } catch (NumberFormatException e) {
        port = 5432;
      }
      hosts.add(new Host(names[i].trim(), port));
    }
    this.database = p == null ? "" : p.getProperty("PGDBNAME", "");
    this.applicationName = applicationName;
    this.timeoutMillis = (int) Math.max(100, Math.min(2_000, timeoutMillis));
  }

  /** The latest result, probing now unless a fresh one exists or a probe is in flight. */
  Result probe() {
    Result r = last;
    if (r != null && System.nanoTime() - lastAt < MAX_AGE_NANOS) {
      return new Result(r.reachable, r.sqlState, r.detail, -1);
    }
    if (!lock.tryLock()) {
      // Another caller is probing: wait for it rather than probe again.
      lock.lock();
      try {
        r = last;
        return r == null ? probeNow() : new Result(r.reachable, r.sqlState, r.detail, -1);
      } finally {
        lock.unlock();
      }
    }
    try {
      return probeNow();
    } finally {
      lock.unlock();
    }
  }

  private Result probeNow() {
    long started = System.nanoTime();
    Result r = null;
    for (Host h : hosts) {
      r = probe(h, started);
      if (r.reachable) {
        break;
      }
    }
    if (r == null) {
      r = new Result(false, null, "no host in the JDBC URL", 0);
    }
    last = r;
    lastAt = System.nanoTime();
    return r;
  }

  private Result probe(Host h, long started) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(h.name, h.port), timeoutMillis);
      s.setSoTimeout(timeoutMillis);
      OutputStream out = s.getOutputStream();
      out.write(startup());
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      int type = in.readUnsignedByte();
      long millis = (System.nanoTime() - started) / 1_000_000;
      if (type == 'R' || type == 'N' || type == 'S') {
        return new Result(true, null, "the server answers", millis);
      }
      if (type != 'E') {
        return new Result(false, null, "not a PostgreSQL server (message '" + type + "')", millis);
      }
      int length = in.readInt();
      if (length < 4 || length > 8192) {
        return new Result(false, null, "not a PostgreSQL server (bad error message)", millis);
      }
      byte[] body = new byte[length - 4];
      in.readFully(body);
      String state = field(body, 'C');
      String message = field(body, 'M');
      // PgBouncer answers for a server it cannot reach with 08P01 and a message of its own.
      boolean alive = !"57P03".equals(state) && !PoolerErrors.isOutage(state, message);
      return new Result(
          alive, state, "the server says: " + (message == null ? "?" : message), millis);
    } catch (EOFException e) {
      return new Result(
          false,
          null,
          "the server closed the connection",
          (System.nanoTime() - started) / 1_000_000);
    } catch (IOException | RuntimeException e) {
      return new Result(
          false,
          null,
          h.name + ":" + h.port + ": " + e.getClass().getSimpleName() + ": " + e.getMessage(),
          (System.nanoTime() - started) / 1_000_000);
    }
  }

  private byte[] startup() {
    ByteArrayOutputStream params = new ByteArrayOutputStream();
    for (String kv :
        new String[] {
          "user",
          "userbound_health_probe",
          "database",
          database.isEmpty() ? "postgres" : database,
          "application_name",
          applicationName + " health"
        }) {
      params.writeBytes(kv.getBytes(StandardCharsets.UTF_8));
      params.write(0);
    }
    params.write(0);
    byte[] p = params.toByteArray();
    return ByteBuffer.allocate(8 + p.length).putInt(8 + p.length).putInt(PROTOCOL_3).put(p).array();
  }

  private static String field(byte[] body, char code) {
    int i = 0;
    while (i < body.length && body[i] != 0) {
      byte c = body[i++];
      int end = i;
      while (end < body.length && body[end] != 0) {
        end++;
      }
      if (c == code) {
        return new String(body, i, end - i, StandardCharsets.UTF_8);
      }
      i = end + 1;
    }
    return null;
  }
}
