package io.userbound.testkit.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/*
 * PgBouncer's admin console, spoken to in the wire protocol's simple query flow. pgjdbc
 * cannot be used: the console reports server_version "1.18.0/bouncer", which pgjdbc reads as
 * older than 9.0 and answers with "SET extra_float_digits = 3", which the console refuses.
 * The console trusts its admin user on loopback (pg_hba line of the test kit's PgBouncer), so
 * no password crosses here.
 */
final class PgBouncerConsole {
  private static final int PROTOCOL_3 = 196608;
  private static final int TIMEOUT_MILLIS = 5_000;

  private PgBouncerConsole() {}

  /** Runs one SHOW command; each row as column name to text value (null for NULL). */
  static List<Map<String, String>> query(int port, String user, String command) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MILLIS);
      s.setSoTimeout(TIMEOUT_MILLIS);
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      DataInputStream in = new DataInputStream(s.getInputStream());
      out.write(startup(user));
      out.flush();
      awaitReady(in);
      byte[] sql = (command + "\0").getBytes(StandardCharsets.UTF_8);
      out.writeByte('Q');
      out.writeInt(4 + sql.length);
      out.write(sql);
      out.flush();
      List<String> columns = new ArrayList<>();
      List<Map<String, String>> rows = new ArrayList<>();
      IOException failure = null;
      while (true) {
        int type = in.readUnsignedByte();
        byte[] body = body(in);
        switch (type) {
          case 'T' -> columns = columns(body);
          case 'D' -> rows.add(row(body, columns));
          case 'E' -> failure = new IOException("PgBouncer's console: " + field(body, 'M'));
          case 'Z' -> {
            out.writeByte('X');
            out.writeInt(4);
            out.flush();
            if (failure != null) {
              throw failure;
            }
            return rows;
          }
          default -> {
            // C (command complete), N (notice): nothing to keep
          }
        }
      }
    }
  }

  private static void awaitReady(DataInputStream in) throws IOException {
    while (true) {
      int type = in.readUnsignedByte();
      byte[] body = body(in);
      if (type == 'E') {
        throw new IOException("PgBouncer's console refused the login: " + field(body, 'M'));
      }
      if (type == 'R' && readInt(body, 0) != 0) {
        throw new IOException(
            "PgBouncer's console asked for a password (" + readInt(body, 0) + ")");
      }
      if (type == 'Z') {
        return;
      }
    }
  }

  private static byte[] startup(String user) {
    ByteArrayOutputStream params = new ByteArrayOutputStream();
    for (String kv : new String[] {"user", user, "database", "pgbouncer"}) {
      params.writeBytes(kv.getBytes(StandardCharsets.UTF_8));
      params.write(0);
    }
    params.write(0);
    byte[] p = params.toByteArray();
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    writeInt(message, 8 + p.length);
    writeInt(message, PROTOCOL_3);
    message.writeBytes(p);
    return message.toByteArray();
  }

  private static byte[] body(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 4 || length > 16 * 1024 * 1024) {
      throw new IOException("PgBouncer's console sent a message of length " + length);
    }
    byte[] body = new byte[length - 4];
    in.readFully(body);
    return body;
  }

  private static List<String> columns(byte[] body) {
    int n = readShort(body, 0);
    List<String> names = new ArrayList<>(n);
    int at = 2;
    for (int i = 0; i < n; i++) {
      int end = at;
      while (body[end] != 0) {
        end++;
      }
      names.add(new String(body, at, end - at, StandardCharsets.UTF_8));
      at = end + 1 + 18; // table oid, column, type oid, size, modifier, format
    }
    return names;
  }

  private static Map<String, String> row(byte[] body, List<String> columns) {
    int n = readShort(body, 0);
    Map<String, String> row = new LinkedHashMap<>();
    int at = 2;
    for (int i = 0; i < n; i++) {
      int length = readInt(body, at);
      at += 4;
      String value = null;
      if (length >= 0) {
        value = new String(body, at, length, StandardCharsets.UTF_8);
        at += length;
      }
      row.put(i < columns.size() ? columns.get(i) : "column" + i, value);
    }
    return row;
  }

  private static String field(byte[] body, char code) {
    int at = 0;
    while (at < body.length && body[at] != 0) {
      int end = at + 1;
      while (end < body.length && body[end] != 0) {
        end++;
      }
      if (body[at] == code) {
        return new String(body, at + 1, end - at - 1, StandardCharsets.UTF_8);
      }
      at = end + 1;
    }
    return "?";
  }

  private static int readShort(byte[] b, int at) {
    return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
  }

  private static int readInt(byte[] b, int at) {
    return ((b[at] & 0xff) << 24)
        | ((b[at + 1] & 0xff) << 16)
        | ((b[at + 2] & 0xff) << 8)
        | (b[at + 3] & 0xff);
  }

  private static void writeInt(ByteArrayOutputStream out, int v) {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
  }
}
