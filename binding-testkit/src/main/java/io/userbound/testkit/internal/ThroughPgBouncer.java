package io.userbound.testkit.internal;

import io.userbound.testkit.Backend;
import io.userbound.testkit.PgBouncer;
import io.userbound.testkit.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/*
 * A server seen through a PgBouncer in front of it: what every test gets from
 * PostgresServer.start when USERBOUND_TEST_PGBOUNCER is session or transaction (PgBouncers,
 * the server side's ServerFront), so that unchanged suites run through PgBouncer.
 *
 * jdbcUrl, host and port are PgBouncer's; the superuser operations go to the server directly
 * (the lookup function never returns a superuser). backends() and backendCount() list
 * PgBouncer's client connections: what a test means by "the connections Userbound holds",
 * since the server's own backends belong to PgBouncer and outlive their clients. stop, start,
 * restart and crashAndRestart act on the server; PgBouncer stays up, as in production.
 */
final class ThroughPgBouncer implements PostgresServer {
  private final PostgresServer server;
  private final LocalPgBouncer bouncer;

  ThroughPgBouncer(PostgresServer server, LocalPgBouncer bouncer) {
    this.server = server;
    this.bouncer = bouncer;
  }

  static PostgresServer wrap(PostgresServer server, PgBouncer.PoolMode mode) {
    try {
      return new ThroughPgBouncer(server, LocalPgBouncer.create(server, mode));
    } catch (RuntimeException | Error e) {
      server.close();
      throw e;
    }
  }

  PgBouncer bouncer() {
    return bouncer;
  }

  @Override
  public String name() {
    return server.name();
  }

  @Override
  public String host() {
    return bouncer.host();
  }

  @Override
  public int port() {
    return bouncer.port();
  }

  @Override
  public String jdbcUrl(String database) {
    return bouncer.jdbcUrl(database);
  }

  @Override
  public Optional<Path> rootCertificate() {
    return Optional.empty(); // clients talk to PgBouncer on loopback without TLS
  }

  @Override
  public String adminUser() {
    return server.adminUser();
  }

  @Override
  public char[] adminPassword() {
    return server.adminPassword();
  }

  @Override
  public Connection adminConnection(String database) throws SQLException {
    return server.adminConnection(database);
  }

  @Override
  public void createDatabase(String name) {
    server.createDatabase(name);
    bouncer.grantConnect(name);
  }

  @Override
  public void dropDatabase(String name) {
    server.dropDatabase(name);
  }

  @Override
  public void createLogin(String role, char[] password) {
    server.createLogin(role, password);
  }

  @Override
  public void createGroupRole(String role) {
    server.createGroupRole(role);
  }

  @Override
  public void dropRole(String role) {
    server.dropRole(role);
  }

  @Override
  public void execute(String database, String sql) {
    server.execute(database, sql);
  }

  @Override
  public int majorVersion() {
    return server.majorVersion();
  }

  @Override
  public void grantToGateway(String gateway, String... persons) {
    server.grantToGateway(gateway, persons);
  }

  @Override
  public void runScript(String database, Path script) {
    server.runScript(database, script);
  }

  @Override
  public List<Backend> backends() {
    return bouncer.clients();
  }

  @Override
  public long backendCount(String role) {
    return bouncer.clientCount(role);
  }

  @Override
  public boolean supportsLifecycle() {
    return server.supportsLifecycle();
  }

  @Override
  public void stop() {
    server.stop();
  }

  @Override
  public void start() {
    server.start();
  }

  @Override
  public void restart() {
    server.restart();
  }

  @Override
  public void crashAndRestart() {
    server.crashAndRestart();
  }

  @Override
  public boolean isRunning() {
    return server.isRunning();
  }

  @Override
  public void close() {
    bouncer.close();
    server.close();
  }

  @Override
  public String toString() {
    return server + " through " + bouncer;
  }
}
