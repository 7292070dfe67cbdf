package io.userbound.core;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Decides which roles may log in through Userbound at all, once PostgreSQL has accepted
 * their password. A refused role gets the same {@link LoginFailedException} as a wrong
 * password, so the policy does not tell an attacker which roles exist or are privileged;
 * the reason is logged at DEBUG.
 *
 * <p>The role's attributes come from the same query that checks the new connection's
 * identity ({@code session_user} and {@code current_user}), so the policy costs no round
 * trip of its own. The default, {@link #unprivileged()}, refuses superusers and roles
 * with {@code BYPASSRLS} or {@code REPLICATION}: a web form must not become a password
 * oracle for the cluster's administrators and service accounts.
 *
 * <p>Implementations must be thread-safe and fast (they run on the login thread).
 */
@FunctionalInterface
public interface LoginPolicy {

  /**
   * What PostgreSQL says about a role that just logged in.
   *
   * @param name the role name
   * @param superuser {@code rolsuper}
   * @param bypassRls {@code rolbypassrls}
   * @param replication the role attribute rolreplication in pg_roles
   * @param memberOf every role it is a member of, directly or through other roles
   */
  record Role(
      String name,
      boolean superuser,
      boolean bypassRls,
      boolean replication,
      Set<String> memberOf) {

    /**
     * Creates the description.
     *
     * @param name the role name
     * @param superuser {@code rolsuper}
     * @param bypassRls {@code rolbypassrls}
     * @param replication the role attribute rolreplication in pg_roles
     * @param memberOf every role it is a member of, directly or through other roles
     */
    public Role {
      Objects.requireNonNull(name, "name");
      memberOf = Set.copyOf(memberOf);
    }

    /** {@return whether the role has any of the attributes {@link #unprivileged()} refuses} */
    public boolean privileged() {
      return superuser || bypassRls || replication;
    }
  }

  /**
   * Decides on a role whose password PostgreSQL accepted.
   *
   * @param role the role's attributes and memberships
   * @return {@code null} to let it log in, or the reason for refusing it (for the DEBUG log)
   */
  @Nullable String refusal(Role role);

  /**
   * The default: refuses superusers and roles with {@code BYPASSRLS} or {@code REPLICATION}.
   *
   * @return the policy
   */
  static LoginPolicy unprivileged() {
    return role ->
        role.privileged() ? "the role is a superuser or has BYPASSRLS or REPLICATION" : null;
  }

  /**
   * Refuses privileged roles (as {@link #unprivileged()}) and every role that is not a
   * member of at least one of the given group roles, directly or indirectly.
   *
   * @param groups the group role names, exactly as the server knows them
   * @return the policy
   * @throws IllegalArgumentException if no group is given
   */
  static LoginPolicy allowMembersOf(String... groups) {
    List<String> names = List.of(groups);
    if (names.isEmpty()) {
      throw new IllegalArgumentException("allowMembersOf: name at least one group role");
    }
    LoginPolicy base = unprivileged();
    return role -> {
      String privileged = base.refusal(role);
      if (privileged != null) {
        return privileged;
      }
      for (String g : names) {
        if (role.memberOf().contains(g)) {
          return null;
        }
      }
      return "the role is a member of none of " + names;
    };
  }

  /**
   * Lets every role log in that PostgreSQL lets log in, superusers included. Only for
   * applications whose login form is not reachable by untrusted people.
   *
   * @return the policy
   */
  static LoginPolicy anyRole() {
    return role -> null;
  }
}
