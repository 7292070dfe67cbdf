package io.userbound.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.userbound.core.LoginThrottledException;
import io.userbound.core.LoginThrottling;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Throttling rules on a hand-driven clock; no server, no waiting. */
class LoginGuardTest {

  private final AtomicLong clock = new AtomicLong(1_000_000_000L);

  private LoginGuard guard(LoginThrottling.Builder settings) {
    return new LoginGuard(settings.build(), clock::get);
  }

  private void advance(Duration d) {
    clock.addAndGet(d.toNanos());
  }

  private static void fail(LoginGuard g, String role, String client) {
    g.admit(role, client);
    g.done(role, client, true);
  }

  @Test
  void role_backsOffAfterItsFreeFailures_doublingUpToTheMaximum() {
    LoginGuard g =
        guard(
            LoginThrottling.builder()
                .failuresPerRole(3)
                .backoff(Duration.ofSeconds(1))
                .maxBackoffPerRole(Duration.ofSeconds(5)));
    fail(g, "alice", null);
    fail(g, "alice", null);
    fail(g, "alice", null); // the third failure starts the back-off: 1 s
    assertThatThrownBy(() -> g.admit("alice", null))
        .isInstanceOf(LoginThrottledException.class)
        .satisfies(
            e ->
                assertThat(((LoginThrottledException) e).retryAfter())
                    .isEqualTo(Duration.ofSeconds(1)));
    assertThatCode(() -> g.admit("bob", null))
        .as("other roles are not affected")
        .doesNotThrowAnyException();
    g.done("bob", null, false);
    advance(Duration.ofMillis(1_001));
    fail(g, "alice", null); // 2 s
    advance(Duration.ofMillis(1_500));
    assertThatThrownBy(() -> g.admit("alice", null)).isInstanceOf(LoginThrottledException.class);
    advance(Duration.ofMillis(600));
    fail(g, "alice", null); // 4 s
    advance(Duration.ofMillis(4_001));
    fail(g, "alice", null); // 8 s, capped at 5 s
    advance(Duration.ofMillis(4_900));
    assertThatThrownBy(() -> g.admit("alice", null)).isInstanceOf(LoginThrottledException.class);
    advance(Duration.ofMillis(200));
    g.admit("alice", null);
    g.done("alice", null, false); // a success clears the role
    fail(g, "alice", null);
    assertThatCode(() -> g.admit("alice", null)).doesNotThrowAnyException();
    g.done("alice", null, false);
  }

  @Test
  void attemptsDuringTheBackOff_doNotExtendIt() {
    LoginGuard g =
        guard(
            LoginThrottling.builder()
                .failuresPerRole(1)
                .backoff(Duration.ofSeconds(2))
                .maxBackoffPerRole(Duration.ofSeconds(2)));
    fail(g, "alice", null);
    for (int i = 0; i < 100; i++) {
      assertThatThrownBy(() -> g.admit("alice", null)).isInstanceOf(LoginThrottledException.class);
      advance(Duration.ofMillis(10));
    }
    advance(Duration.ofMillis(1_001));
    assertThatCode(() -> g.admit("alice", null)).doesNotThrowAnyException();
    g.done("alice", null, false);
  }

  @Test
  void client_isThrottledAcrossRoles_andASuccessDoesNotClearIt() {
    LoginGuard g =
        guard(
            LoginThrottling.builder()
                .failuresPerClient(3)
                .backoff(Duration.ofSeconds(1))
                .maxBackoffPerClient(Duration.ofMinutes(1)));
    fail(g, "r1", "203.0.113.9");
    g.admit("mine", "203.0.113.9");
    g.done("mine", "203.0.113.9", false); // the guesser's own good account
    fail(g, "r2", "203.0.113.9");
    fail(g, "r3", "203.0.113.9");
    assertThatThrownBy(() -> g.admit("r4", "203.0.113.9"))
        .isInstanceOf(LoginThrottledException.class);
    assertThatThrownBy(() -> g.admitClient("203.0.113.9"))
        .isInstanceOf(LoginThrottledException.class);
    assertThatCode(() -> g.admit("r4", "198.51.100.1"))
        .as("another client")
        .doesNotThrowAnyException();
    g.done("r4", "198.51.100.1", false);
  }

  @Test
  void inFlight_isCapped_andSlotsComeBack() {
    LoginGuard g = guard(LoginThrottling.builder().maxConcurrentLogins(2));
    g.admit("a", null);
    g.admit("b", null);
    assertThatThrownBy(() -> g.admit("c", null))
        .isInstanceOf(LoginThrottledException.class)
        .hasMessageContaining("at once");
    g.done("a", null, false);
    assertThatCode(() -> g.admit("c", null)).doesNotThrowAnyException();
    g.done("b", null, false);
    g.done("c", null, false);
    assertThat(g.throttled.sum()).isEqualTo(1);
  }

  @Test
  void state_isBounded_howeverManyNamesAreTried() {
    LoginGuard g =
        guard(
            LoginThrottling.builder()
                .maxTracked(100)
                .failuresPerRole(1)
                .failuresPerClient(1_000_000));
    for (int i = 0; i < 20_000; i++) {
      fail(g, "guess" + i, "client" + i);
    }
    assertThat(g.trackedRoles()).isLessThanOrEqualTo(100);
    assertThat(g.trackedClients()).isLessThanOrEqualTo(100);
  }

  @Test
  void records_areForgottenAfterTheirTime() {
    LoginGuard g =
        guard(LoginThrottling.builder().failuresPerRole(2).forgetAfter(Duration.ofMinutes(15)));
    fail(g, "alice", null);
    advance(Duration.ofMinutes(16));
    fail(g, "alice", null); // the first was forgotten: this is failure 1 of 2 again
    assertThatCode(() -> g.admit("alice", null)).doesNotThrowAnyException();
    g.done("alice", null, false);
  }

  @Test
  void longClientKeys_areCut() {
    LoginGuard g = guard(LoginThrottling.builder().failuresPerClient(1));
    String huge = "x".repeat(100_000);
    fail(g, "r", huge);
    assertThatThrownBy(() -> g.admitClient(huge + "y"))
        .as("same first 128 characters, same client")
        .isInstanceOf(LoginThrottledException.class);
  }
}
