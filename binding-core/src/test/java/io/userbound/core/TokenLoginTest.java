package io.userbound.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.userbound.testkit.CapturedLogs;
import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Token logins (Userbound.loginWithToken): a person with no database password, vouched for
 * by the configured IdentityVerifier, served through a ROLE_SWITCHING gateway. PostgreSQL
 * decides whether the gateway may set the role; the login policy and the token rules refuse
 * what must not be reached; the token never appears in an event, a log line or a message.
 *
 * <p>The verifier here is a table of tokens: it stands for a real one (binding-servlet's
 * JwtIdentityVerifier is tested with signed tokens), and is the SPI's whole contract.
 */
@ExtendWith(PostgresExtension.class)
class TokenLoginTest {

  private static final String ISSUER = "https://sso.example.test/realms/demo";

  /** Tokens it knows, and how often it was asked. */
  static final class TableVerifier implements IdentityVerifier {
    final Map<String, String> roles = new ConcurrentHashMap<>();
    final AtomicInteger calls = new AtomicInteger();

    private final AtomicInteger serial = new AtomicInteger();

    String issue(String role) {
      String token = "tok-" + serial.incrementAndGet() + "-" + role;
      roles.put(token, role);
      return token;
    }

    @Override
    public VerifiedIdentity verify(String credential) {
      calls.incrementAndGet();
      if (credential.startsWith("boom")) {
        throw new IllegalStateException("verifier bug, token " + credential);
      }
      String role = roles.get(credential);
      if (role == null) {
        throw new LoginFailedException(null, "the token is not valid", null, null);
      }
      return new VerifiedIdentity(ISSUER, "sub-" + role, role, Instant.now().plusSeconds(300));
    }
  }

  private static String[] who(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select current_user, session_user")) {
      rs.next();
      return new String[] {rs.getString(1), rs.getString(2)};
    }
  }

  private static UserboundConfig.Builder twoSwitchingDatabases(
      PostgresServer server, RoleSwitchingTest.Gateway gw, IdentityVerifier verifier) {
    return UserboundConfig.builder()
        .identityVerifier(verifier)
        .database(RoleSwitchingTest.switching(server, gw).budget(2).build())
        .database(
            Fixtures.database("other", server, "postgres")
                .roleSwitching(gw.role(), gw.password())
                .budget(2)
                .build());
  }

  @Test
  void aTokenLogin_runsAsItsRole_onEveryDatabase_withNoPassword(
      PostgresServer server, TestNames names) throws Exception {
    RoleSwitchingTest.Gateway gw = RoleSwitchingTest.gateway(server, names);
    Fixtures.Person alice = RoleSwitchingTest.person(server, names, gw);
    Fixtures.Person bob = RoleSwitchingTest.person(server, names, gw);
    TableVerifier tokens = new TableVerifier();
    OperationsTest.Recorder events = new OperationsTest.Recorder();
    Userbound ub =
        Fixtures.userbound(twoSwitchingDatabases(server, gw, tokens).listener(events).build());
    String aliceToken = tokens.issue(alice.role());
    Login a = ub.loginWithToken(aliceToken, "203.0.113.7");
    Login b = ub.loginWithToken(tokens.issue(bob.role()), null);

    assertThat(a.role()).isEqualTo(alice.role());
    assertThat(a.identity()).hasValueSatisfying(i -> assertThat(i.issuer()).isEqualTo(ISSUER));
    assertThat(a.identity().orElseThrow().subject()).isEqualTo("sub-" + alice.role());
    assertThat(a.toString()).doesNotContain(aliceToken);
    for (String db : new String[] {"main", "other"}) {
      try (Connection c = ub.connection(a, db)) {
        assertThat(who(c)).containsExactly(alice.role(), gw.role());
      }
      try (Connection c = ub.connection(b, db)) {
        assertThat(who(c)).containsExactly(bob.role(), gw.role());
      }
    }
    // A password login of the same person is a login of its own, and both work.
    Login byPassword = ub.login(alice.role(), alice.password());
    try (Connection c = ub.connection(byPassword, "main")) {
      assertThat(who(c)).containsExactly(alice.role(), gw.role());
    }
    assertThat(byPassword.identity()).isEmpty();

    UserboundEvent accepted =
        events.of(UserboundEvent.Type.LOGIN_ACCEPTED).stream()
            .filter(e -> e.role().equals(alice.role()) && e.detail().contains("token"))
            .findFirst()
            .orElseThrow();
    assertThat(accepted.detail()).contains(ISSUER).contains("sub-" + alice.role());
    assertThat(accepted.client()).isEqualTo("203.0.113.7");

    // Logout ends it as it ends a password login.
    ub.logout(a);
    assertThatThrownBy(() -> ub.connection(a, "main")).isInstanceOf(LoginFailedException.class);
    try (Connection c = ub.connection(b, "main")) {
      assertThat(who(c)).containsExactly(bob.role(), gw.role());
    }
    for (UserboundEvent e : events.events) {
      assertThat(e.detail()).doesNotContain("tok-");
    }
    assertThat(CapturedLogs.lines()).noneMatch(l -> l.contains(aliceToken));
  }

  @Test
  void everyRoleThatMustNotBeReached_isRefused_alikeAndWithNothingLeft(
      PostgresServer server, TestNames names) throws Exception {
    RoleSwitchingTest.Gateway gw = RoleSwitchingTest.gateway(server, names);
    Fixtures.Person alice = RoleSwitchingTest.person(server, names, gw);
    Fixtures.Person member = RoleSwitchingTest.person(server, names, gw);
    Fixtures.Person outsider = RoleSwitchingTest.person(server, names, gw);
    Fixtures.Person nologin = RoleSwitchingTest.person(server, names, gw);
    Fixtures.Person expired = RoleSwitchingTest.person(server, names, gw);
    Fixtures.Person notGranted = Fixtures.person(names); // the gateway may not set it
    Fixtures.Person superuser = Fixtures.person(names);
    Fixtures.Person stats = RoleSwitchingTest.person(server, names, gw);
    Fixtures.Person createRole = RoleSwitchingTest.person(server, names, gw);
    Fixtures.Person replication = RoleSwitchingTest.person(server, names, gw);
    Fixtures.Person bypassRls = RoleSwitchingTest.person(server, names, gw);
    String group = names.role("grp");
    server.execute("postgres", "CREATE ROLE " + group + " NOLOGIN");
    server.execute("postgres", "GRANT " + group + " TO " + alice.role() + ", " + member.role());
    server.execute("postgres", "ALTER ROLE " + nologin.role() + " NOLOGIN");
    server.execute("postgres", "ALTER ROLE " + expired.role() + " VALID UNTIL '2000-01-01'");
    server.execute("postgres", "ALTER ROLE " + superuser.role() + " SUPERUSER");
    TableVerifier tokens = new TableVerifier();
    OperationsTest.Recorder events = new OperationsTest.Recorder();
    Userbound ub =
        Fixtures.userbound(
            UserboundConfig.builder()
                .identityVerifier(tokens)
                .listener(events)
                .loginPolicy(LoginPolicy.allowMembersOf(group))
                .database(
                    RoleSwitchingTest.switching(server, gw)
                        .budget(1)
                        .maxConnectionsPerPerson(1)
                        .build())
                .build());
    // Granted after the gateway's connection was checked (budget 1: no new one opens):
    // the token rules refuse a member of a predefined role on their own.
    server.execute("postgres", "GRANT pg_read_all_stats TO " + stats.role());
    server.execute("postgres", "GRANT " + group + " TO " + stats.role());
    // Members of the policy's group too, so that only the token rules can refuse them.
    server.execute(
        "postgres",
        "GRANT "
            + group
            + " TO "
            + createRole.role()
            + ", "
            + replication.role()
            + ", "
            + bypassRls.role()
            + "; ALTER ROLE "
            + createRole.role()
            + " CREATEROLE; ALTER ROLE "
            + replication.role()
            + " REPLICATION; ALTER ROLE "
            + bypassRls.role()
            + " BYPASSRLS");

    String[] refusedRoles = {
      outsider.role(), // the login policy
      nologin.role(), // NOLOGIN
      expired.role(), // VALID UNTIL passed
      notGranted.role(), // the gateway may not set it
      superuser.role(), // a superuser (never granted to a safe gateway)
      gw.role(), // the gateway itself
      stats.role(), // a member of pg_read_all_stats
      createRole.role(), // CREATEROLE
      replication.role(), // REPLICATION
      bypassRls.role(), // BYPASSRLS
      "pg_read_all_data", // a predefined role
      "postgres", // the bootstrap superuser
      names.role("nobody"), // no such role
      "Alice", // case folding: not alice's role
      "\"" + alice.role() + "\"" // quoting: not alice's role either
    };
    for (String role : refusedRoles) {
      String token = tokens.issue(role);
      Throwable t = null;
      try {
        ub.loginWithToken(token, null);
      } catch (RuntimeException e) {
        t = e;
      }
      assertThat(t).as(role).isInstanceOf(LoginFailedException.class);
      assertThat(t.getMessage()).doesNotContain(token);
      // One message for every refusal, so that it says nothing of which rule refused.
      assertThat(t.getMessage())
          .as(role)
          .contains("refused the login of")
          .endsWith("(wrong password, unknown role, or a role that may not log in)");
      DatabaseStats s = ub.stats("main");
      assertThat(s.activeConnections()).as(role).isZero();
      assertThat(s.budgetUsed()).as(role).isLessThanOrEqualTo(1);
    }
    // Refused early, before any database: a role name PostgreSQL would change.
    for (String role : new String[] {"a\0b", "x".repeat(64)}) {
      String token = tokens.issue(role);
      assertThatThrownBy(() -> ub.loginWithToken(token, null))
          .isInstanceOf(LoginFailedException.class);
    }
    // The one allowed person still logs in, on the very connection the refusals used.
    Login a = ub.loginWithToken(tokens.issue(alice.role()), null);
    try (Connection c = ub.connection(a, "main")) {
      assertThat(who(c)).containsExactly(alice.role(), gw.role());
    }
    for (UserboundEvent e : events.events) {
      assertThat(e.detail()).doesNotContain("tok-");
    }
    assertThat(events.of(UserboundEvent.Type.LOGIN_REFUSED)).hasSizeGreaterThanOrEqualTo(12);
  }

  @Test
  void aRoleWithoutConnect_isDenied_likeAPasswordLogin(PostgresServer server, TestNames names)
      throws Exception {
    RoleSwitchingTest.Gateway gw = RoleSwitchingTest.gateway(server, names);
    Fixtures.Person alice = RoleSwitchingTest.person(server, names, gw);
    Fixtures.Person bob = RoleSwitchingTest.person(server, names, gw);
    String closed = names.createDatabase();
    server.execute("postgres", "REVOKE CONNECT ON DATABASE " + closed + " FROM PUBLIC");
    server.execute(
        "postgres",
        "GRANT CONNECT ON DATABASE " + closed + " TO " + gw.role() + ", " + alice.role());
    TableVerifier tokens = new TableVerifier();
    Userbound ub =
        Fixtures.userbound(
            UserboundConfig.builder()
                .identityVerifier(tokens)
                .database(RoleSwitchingTest.switching(server, gw).budget(2).build())
                .database(
                    Fixtures.database("closed", server, closed)
                        .roleSwitching(gw.role(), gw.password())
                        .budget(2)
                        .build())
                .build());
    Login a = ub.loginWithToken(tokens.issue(alice.role()), null);
    Login b = ub.loginWithToken(tokens.issue(bob.role()), null);
    try (Connection c = ub.connection(a, "closed")) {
      assertThat(who(c)).containsExactly(alice.role(), gw.role());
    }
    assertThatThrownBy(() -> ub.connection(b, "closed"))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("may not connect");
    try (Connection c = ub.connection(b, "main")) {
      assertThat(who(c)).containsExactly(bob.role(), gw.role());
    }
    // A login database that bob may not CONNECT to: the token is proven, the login stands,
    // and that database answers AccessDeniedException, as for a password.
    Userbound closedFirst =
        Fixtures.userbound(
            UserboundConfig.builder()
                .identityVerifier(tokens)
                .database(
                    Fixtures.database("closed", server, closed)
                        .roleSwitching(gw.role(), gw.password())
                        .budget(2)
                        .build())
                .build());
    Login b2 = closedFirst.loginWithToken(tokens.issue(bob.role()), null);
    assertThatThrownBy(() -> closedFirst.connection(b2, "closed"))
        .isInstanceOf(AccessDeniedException.class);
  }

  @Test
  void badTokens_andNoVerifier_areRefused_beforeAnyDatabase(
      PostgresServer server, TestNames names) {
    RoleSwitchingTest.Gateway gw = RoleSwitchingTest.gateway(server, names);
    TableVerifier tokens = new TableVerifier();
    Userbound ub =
        Fixtures.userbound(
            UserboundConfig.builder()
                .identityVerifier(tokens)
                .database(
                    RoleSwitchingTest.switching(server, gw)
                        .budget(1)
                        .maxConnectionsPerPerson(1)
                        .build())
                .build());
    assertThatThrownBy(() -> ub.loginWithToken("not-a-token", null))
        .isInstanceOf(LoginFailedException.class)
        .hasMessageNotContaining("not-a-token");
    // A verifier that fails unexpectedly refuses; its exception (which names the token) is
    // neither the cause nor in the message.
    assertThatThrownBy(() -> ub.loginWithToken("boom-secret", null))
        .isInstanceOf(LoginFailedException.class)
        .hasMessageNotContaining("boom-secret")
        .hasNoCause();
    assertThat(CapturedLogs.lines()).noneMatch(l -> l.contains("boom-secret"));

    Userbound without =
        Fixtures.userbound(
            RoleSwitchingTest.switching(server, gw).budget(1).maxConnectionsPerPerson(1).build());
    assertThatThrownBy(() -> without.loginWithToken("anything", null))
        .isInstanceOf(LoginFailedException.class)
        .hasMessageContaining("identityVerifier");
  }

  @Test
  void dedicatedPools_refuseATokenLogin_namingTheFix(PostgresServer server, TestNames names)
      throws Exception {
    RoleSwitchingTest.Gateway gw = RoleSwitchingTest.gateway(server, names);
    Fixtures.Person alice = RoleSwitchingTest.person(server, names, gw);
    TableVerifier tokens = new TableVerifier();
    // Only DEDICATED_POOLS: refused at login.
    Userbound dedicated =
        Fixtures.userbound(
            UserboundConfig.builder()
                .identityVerifier(tokens)
                .database(Fixtures.database("main", server, "postgres").build())
                .build());
    String token = tokens.issue(alice.role());
    assertThatThrownBy(() -> dedicated.loginWithToken(token, null))
        .isInstanceOf(TrustedLoginUnsupportedException.class)
        .hasMessageContaining("ROLE_SWITCHING")
        .hasMessageNotContaining(token);
    assertThat(server.backendCount(alice.role())).isZero();

    // A switching login database and a dedicated one: the token login works where it can,
    // and the dedicated database refuses it with the same typed error.
    Userbound mixed =
        Fixtures.userbound(
            UserboundConfig.builder()
                .identityVerifier(tokens)
                .database(
                    RoleSwitchingTest.switching(server, gw)
                        .budget(1)
                        .maxConnectionsPerPerson(1)
                        .build())
                .database(Fixtures.database("own", server, "postgres").budget(2).build())
                .build());
    Login a = mixed.loginWithToken(token, null);
    try (Connection c = mixed.connection(a, "main")) {
      assertThat(who(c)).containsExactly(alice.role(), gw.role());
    }
    assertThatThrownBy(() -> mixed.connection(a, "own"))
        .isInstanceOf(TrustedLoginUnsupportedException.class)
        .hasMessageContaining("ROLE_SWITCHING");
    assertThat(mixed.stats("own").pools()).isZero();
  }
}
