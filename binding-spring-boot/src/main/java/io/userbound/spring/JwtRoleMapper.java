package io.userbound.spring;

import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Chooses the PostgreSQL role of a person from their verified token, for Sign in with SSO.
 *
 * <p>The default ({@link #claim(String, String)}, from {@code userbound.security.oidc.role-claim}
 * and {@code role-prefix}) takes one string claim as it is, behind an optional prefix. Declare
 * a bean of this type to map otherwise (a lookup table, a group claim). Whatever it returns is
 * used exactly as PostgreSQL knows role names: no case folding and no quoting happen anywhere,
 * so {@code Alice} and {@code alice} are two roles; Userbound then checks the role on the
 * database (it must exist, log in, be one the gateway may set, and not be privileged).
 *
 * <p>Called on request threads at once; implementations must be thread-safe. Never put the
 * token into a log line or an exception.
 */
@FunctionalInterface
public interface JwtRoleMapper {

  /**
   * Names the role of a token's person.
   *
   * @param jwt the token, already verified (signature, issuer, audience, lifetime)
   * @return the role name, or {@code null} if the token maps to no role (the login is refused)
   */
  @Nullable String role(Jwt jwt);

  /**
   * The mapping of {@code userbound.security.oidc.role-claim}: the claim's value, which must be
   * a non-empty string, behind {@code prefix}.
   *
   * @param claim the claim's name, such as {@code preferred_username}
   * @param prefix put before the value; empty for none
   * @return the mapper
   * @throws IllegalArgumentException if the claim name is blank
   */
  static JwtRoleMapper claim(String claim, String prefix) {
    if (claim == null || claim.isBlank()) {
      throw new IllegalArgumentException("the role claim must name a claim, not '" + claim + "'");
    }
    String p = prefix == null ? "" : prefix;
    return jwt -> {
      Object value = jwt.getClaims().get(claim);
      if (!(value instanceof String s) || s.isEmpty()) {
        return null;
      }
      return p + s;
    };
  }
}
