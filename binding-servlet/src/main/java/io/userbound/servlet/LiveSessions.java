package io.userbound.servlet;

import io.userbound.core.Login;
import io.userbound.core.Userbound;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Counts the live HTTP sessions that hold a login, per role, so that the end of one of
 * several sessions of the same person releases only that session's login (the pools stay
 * for the others) and the end of the last one logs the person out (the pools close).
 *
 * Bounded: only a login PostgreSQL accepted adds an entry, every entry is the count of live
 * sessions holding such a login, and an entry is removed when its count reaches zero.
 *
 * A known, harmless race: when the last session of a person ends while a new session of the
 * same person is logging in, logout may close the pools the new login just opened. The new
 * session keeps its own login, so its next request opens them again.
 */

/** Per-role counts of live sessions of one {@link Userbound}; thread-safe. */
final class LiveSessions {

  private static final Logger log = LoggerFactory.getLogger(LiveSessions.class);

  private final Userbound userbound;
  private final ConcurrentHashMap<String, Integer> counts = new ConcurrentHashMap<>();

  /**
   * Creates the counts.
   *
   * @param userbound whose logins are counted
   */
  LiveSessions(Userbound userbound) {
    this.userbound = Objects.requireNonNull(userbound, "userbound");
  }

  /**
   * Counts a new session holding a verified login.
   *
   * @param login the login
   * @return the holder to keep in the session; ending it counts the session down once
   */
  LoginHolder started(Login login) {
    counts.merge(login.role(), 1, Integer::sum);
    return new LoginHolder(this, login);
  }

  /** Counts a session down; called once per holder. Never throws. */
  void ended(Login login) {
    boolean[] last = {false};
    Integer left =
        counts.computeIfPresent(
            login.role(),
            (role, n) -> {
              if (n <= 1) {
                last[0] = true;
                return null;
              }
              return n - 1;
            });
    if (left == null) {
      // last[0] is false only if the role was not counted at all; then no session is known
      // to need the pools either.
      last[0] = true;
    }
    try {
      if (last[0]) {
        userbound.logout(login);
        log.debug("last session of {} ended: logged out, pools closed", login);
      } else {
        userbound.release(login);
        log.debug(
            "a session of {} ended: login released, {} other session(s) keep the pools",
            login,
            left);
      }
    } catch (RuntimeException e) {
      log.warn("ending the session of {} failed: {}", login, e.toString());
    }
  }

  /**
   * Returns how many live sessions hold a login of a role.
   *
   * @param role the role name
   * @return the count, zero if none
   */
  int count(String role) {
    return counts.getOrDefault(role, 0);
  }

  /**
   * Returns how many roles have a live session.
   *
   * @return the number of entries
   */
  int roles() {
    return counts.size();
  }

  /**
   * Returns the instance whose logins are counted.
   *
   * @return the Userbound
   */
  Userbound userbound() {
    return userbound;
  }
}
