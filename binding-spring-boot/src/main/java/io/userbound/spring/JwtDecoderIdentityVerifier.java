package io.userbound.spring;

import io.userbound.core.IdentityVerifier;
import io.userbound.core.LogText;
import io.userbound.core.LoginFailedException;
import io.userbound.core.VerifiedIdentity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;

/*
 * Design notes. The decoder is Spring Security's NimbusJwtDecoder; nothing here parses a
 * token. What this class decides:
 *
 * - Algorithms: RS256 and ES256 only. Nimbus's key selector then refuses an unsigned token
 *   (alg "none"; a PlainJWT is never accepted by a JWS key selector) and a token "signed"
 *   with HS256 (the alg-confusion attack that uses the public key's bytes as an HMAC secret):
 *   no key of the JWK Set is selected for an algorithm outside the list.
 * - Claims: iss equal to the configured issuer, aud naming one configured audience, exp
 *   present and not passed and nbf not ahead (both with the clock skew), sub present.
 * - Keys come from the JWK Set (the issuer's discovery document's jwks_uri, or jwk-set-uri);
 *   Nimbus caches them and fetches the set again when a token names a kid it does not know,
 *   which is how a rotated key is picked up. The decoder is built on first use, so the
 *   application starts while the provider is down; a token checked then is refused.
 * - Messages: never the token, never a part of it. Nimbus's parse errors can quote a
 *   token's header; only the validators' own descriptions (which name claims, not values)
 *   reach a message.
 */
/**
 * An {@link IdentityVerifier} for OpenID Connect: checks a signed JWT (an ID token, or an
 * access token in JWT form) with Spring Security's {@link JwtDecoder}, then names its person's
 * role with a {@link JwtRoleMapper}.
 *
 * <p>The auto-configuration builds one from {@code userbound.security.oidc.*} ({@link
 * #forIssuer}) and sets it into the {@link io.userbound.core.UserboundConfig}; declare an
 * {@code IdentityVerifier} bean to replace it.
 *
 * <p>Thread-safe.
 */
public final class JwtDecoderIdentityVerifier implements IdentityVerifier {

  /** The signature algorithms accepted: asymmetric only. */
  public static final Set<SignatureAlgorithm> ALGORITHMS =
      Set.of(SignatureAlgorithm.RS256, SignatureAlgorithm.ES256);

  private final JwtDecoder decoder;
  private final JwtRoleMapper roles;

  /**
   * Creates a verifier from a decoder that already checks everything (signature, algorithm,
   * issuer, audience, lifetime). Prefer {@link #forIssuer}, which builds such a decoder.
   *
   * @param decoder the decoder; its exceptions are refusals
   * @param roles names the role of a verified token
   */
  public JwtDecoderIdentityVerifier(JwtDecoder decoder, JwtRoleMapper roles) {
    this.decoder = Objects.requireNonNull(decoder, "decoder");
    this.roles = Objects.requireNonNull(roles, "roles");
  }

  /**
   * Creates a verifier for one issuer: a {@link NimbusJwtDecoder} with the issuer's keys (from
   * {@code jwkSetUri}, or from the issuer's discovery document, fetched on first use), RS256
   * and ES256 only, and validators for {@code iss}, {@code aud}, {@code exp}/{@code nbf}
   * (with the clock skew) and {@code sub}.
   *
   * @param issuer the issuer; tokens must carry exactly this {@code iss}
   * @param jwkSetUri where the keys are, or {@code null} for the discovery document's
   * @param audiences tokens must name one of these in {@code aud}; not empty
   * @param clockSkew how far clocks may disagree; zero to five minutes
   * @param roles names the role of a verified token
   * @return the verifier
   * @throws IllegalArgumentException if an argument is out of range
   */
  public static JwtDecoderIdentityVerifier forIssuer(
      String issuer,
      @Nullable String jwkSetUri,
      Collection<String> audiences,
      Duration clockSkew,
      JwtRoleMapper roles) {
    if (issuer == null || issuer.isBlank()) {
      throw new IllegalArgumentException("the issuer must be set (issuer-uri)");
    }
    List<String> aud = checkAudiences(audiences);
    checkClockSkew(clockSkew);
    OAuth2TokenValidator<Jwt> validators = validators(issuer, aud, clockSkew);
    JwtDecoder lazy =
        new SupplierJwtDecoder(
            () -> {
              NimbusJwtDecoder.JwkSetUriJwtDecoderBuilder b =
                  jwkSetUri == null
                      ? NimbusJwtDecoder.withIssuerLocation(issuer)
                      : NimbusJwtDecoder.withJwkSetUri(jwkSetUri);
              NimbusJwtDecoder d =
                  b.jwsAlgorithms(
                          algorithms -> {
                            algorithms.clear();
                            algorithms.addAll(ALGORITHMS);
                          })
                      .build();
              d.setJwtValidator(validators);
              return d;
            });
    return new JwtDecoderIdentityVerifier(lazy, roles);
  }

  static List<String> checkAudiences(Collection<String> audiences) {
    List<String> aud = List.copyOf(audiences);
    if (aud.isEmpty() || aud.stream().anyMatch(String::isBlank)) {
      throw new IllegalArgumentException(
          "name the audience (your client id, as the provider puts it in aud): without one, a"
              + " token the provider issued to any other application would log people in here");
    }
    return aud;
  }

  static void checkClockSkew(Duration clockSkew) {
    if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException(
          "the clock skew must be between 0 and 5 minutes, not " + clockSkew);
    }
  }

  /**
   * The validators of {@link #forIssuer}, for a decoder built elsewhere.
   *
   * @param issuer the required {@code iss}
   * @param audiences accepted values of {@code aud}
   * @param clockSkew how far clocks may disagree
   * @return the validators, all of which must pass
   */
  public static OAuth2TokenValidator<Jwt> validators(
      String issuer, Collection<String> audiences, Duration clockSkew) {
    Set<String> aud = Set.copyOf(audiences);
    JwtTimestampValidator lifetime = new JwtTimestampValidator(clockSkew);
    lifetime.setAllowEmptyExpiryClaim(false);
    List<OAuth2TokenValidator<Jwt>> all = new ArrayList<>();
    all.add(lifetime);
    all.add(new JwtIssuerValidator(issuer));
    all.add(
        new JwtClaimValidator<@Nullable Collection<?>>(
            JwtClaimNames.AUD, a -> a != null && a.stream().anyMatch(aud::contains)));
    all.add(
        new JwtClaimValidator<@Nullable String>(JwtClaimNames.SUB, s -> s != null && !s.isBlank()));
    return new DelegatingOAuth2TokenValidator<>(all);
  }

  /**
   * Checks the token and names its person.
   *
   * @param credential the token as received
   * @return the issuer, subject, role and expiry of the token
   * @throws LoginFailedException if the decoder refuses the token, or it maps to no role; the
   *     message never holds the token
   */
  @Override
  public VerifiedIdentity verify(String credential) {
    Jwt jwt;
    try {
      jwt = decoder.decode(credential);
    } catch (JwtValidationException e) {
      throw refused(
          "its claims are not valid: "
              + e.getErrors().stream()
                  .map(OAuth2Error::getDescription)
                  .filter(Objects::nonNull)
                  .map(d -> LogText.escape(d, 200))
                  .collect(Collectors.joining("; ")));
    } catch (JwtException e) {
      // Malformed, unsigned, another algorithm, no matching key, a bad signature, or the
      // provider's keys out of reach: Nimbus's message may quote the token, so it stays out.
      throw refused(
          "its signature, algorithm or form is not accepted, or the keys are out of reach");
    }
    String role = roles.role(jwt);
    if (role == null || role.isEmpty()) {
      throw refused("it names no role (see userbound.security.oidc.role-claim)");
    }
    String issuer = Objects.requireNonNullElse(jwt.getClaimAsString(JwtClaimNames.ISS), "");
    String subject = Objects.requireNonNullElse(jwt.getSubject(), "");
    try {
      return new VerifiedIdentity(issuer, subject, role, jwt.getExpiresAt());
    } catch (IllegalArgumentException e) {
      throw refused("it names no issuer or subject");
    }
  }

  // LoginFailedException's database is nullable (core passes null for a refusal before any
  // database was asked) but its constructor does not say so yet.
  @SuppressWarnings("NullAway")
  private static LoginFailedException refused(String why) {
    return new LoginFailedException(
        null, "login refused: the token was not accepted: " + why, null, null);
  }

  @Override
  public String toString() {
    return "JwtDecoderIdentityVerifier[" + decoder.getClass().getSimpleName() + "]";
  }
}
