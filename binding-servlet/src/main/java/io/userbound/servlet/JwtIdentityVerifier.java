package io.userbound.servlet;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.userbound.core.IdentityVerifier;
import io.userbound.core.LoginFailedException;
import io.userbound.core.VerifiedIdentity;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link IdentityVerifier} for signed JSON Web Tokens from an OpenID Connect provider
 * (Keycloak, Entra ID, Okta, ...): ID tokens from a browser sign-on, or bearer access tokens.
 * The checks are Nimbus JOSE+JWT's; this class only chooses them, strictly:
 *
 * <ul>
 *   <li><b>Signature</b> with the issuer's public keys (a JWK set, fetched from its {@code
 *       jwks_uri} and cached; a token signed with a key id the cache does not know makes it
 *       fetch again, rate-limited, so a key rotation needs no restart) and only with the
 *       asymmetric algorithms allowed (default RS256, RS384, RS512, PS256, PS384, PS512, ES256,
 *       ES384, ES512). An unsigned token ({@code alg: none}) and a symmetric one ({@code HS256}
 *       made with the public key's bytes, say) are refused.
 *   <li><b>Issuer</b>: {@code iss} must equal the configured issuer exactly.
 *   <li><b>Audience</b>: {@code aud} must name one of the configured audiences (the client
 *       id, or the API's resource id).
 *   <li><b>Lifetime</b>: {@code exp} is required and must be in the future, and {@code nbf},
 *       if present, in the past, both with a clock skew (default 60 s, at most 5 min).
 *   <li><b>Subject</b>: {@code sub} is required.
 *   <li><b>Role</b>: the configured claim must be a string; the mapping (default: the value as
 *       it is) turns it into a PostgreSQL role name, exactly as the server knows it. Nothing is
 *       case-folded or unquoted: {@code Alice} and {@code "alice"} are not {@code alice}.
 * </ul>
 *
 * <p>Any failure is a {@link LoginFailedException} that says which check failed and never
 * holds the token or a claim's value. Whether the role may be reached at all (the gateway may
 * set it, it is not privileged) is decided afterwards by {@link
 * io.userbound.core.Userbound#loginWithToken}, on the database.
 *
 * <p>A bearer token can be replayed by whoever holds it until it expires: keep lifetimes short
 * and tokens on TLS only. Thread-safe.
 */
public final class JwtIdentityVerifier implements IdentityVerifier {

  private static final Logger log = LoggerFactory.getLogger(JwtIdentityVerifier.class);

  /** The longest token looked at; real ones are a few kilobytes. */
  static final int MAX_TOKEN_CHARS = 16 * 1024;

  private static final Duration MAX_SKEW = Duration.ofMinutes(5);

  private static final Set<JWSAlgorithm> ASYMMETRIC =
      Set.of(
          JWSAlgorithm.RS256,
          JWSAlgorithm.RS384,
          JWSAlgorithm.RS512,
          JWSAlgorithm.PS256,
          JWSAlgorithm.PS384,
          JWSAlgorithm.PS512,
          JWSAlgorithm.ES256,
          JWSAlgorithm.ES384,
          JWSAlgorithm.ES512,
          JWSAlgorithm.EdDSA,
          JWSAlgorithm.Ed25519);

  private final String issuer;
  private final String roleClaim;
  private final UnaryOperator<@Nullable String> roleMapping;
  private final DefaultJWTProcessor<SecurityContext> processor;

  private JwtIdentityVerifier(Builder b, JWKSource<SecurityContext> keys) {
    this.issuer = b.issuer;
    this.roleClaim = b.roleClaim;
    this.roleMapping = b.roleMapping;
    DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
    // ID tokens carry "JWT" or no typ; RFC 9068 access tokens "at+jwt".
    p.setJWSTypeVerifier(
        new DefaultJOSEObjectTypeVerifier<>(
            JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
    p.setJWSKeySelector(new JWSVerificationKeySelector<>(b.algorithms, keys));
    DefaultJWTClaimsVerifier<SecurityContext> claims =
        new DefaultJWTClaimsVerifier<>(
            b.audiences,
            new JWTClaimsSet.Builder().issuer(b.issuer).build(),
            Set.of("sub", "exp", b.roleClaim),
            null);
    claims.setMaxClockSkew((int) b.clockSkew.toSeconds());
    p.setJWTClaimsSetVerifier(claims);
    this.processor = p;
  }

  /**
   * Starts a builder for tokens of one issuer.
   *
   * @param issuer the issuer exactly as its tokens' {@code iss} says it (e.g. {@code
   *     https://sso.example.com/realms/staff})
   * @return a new builder
   */
  public static Builder builder(String issuer) {
    return new Builder(issuer);
  }

  @Override
  public VerifiedIdentity verify(String credential) {
    Objects.requireNonNull(credential, "credential");
    if (credential.isEmpty() || credential.length() > MAX_TOKEN_CHARS) {
      throw refused("the token is empty or longer than " + MAX_TOKEN_CHARS + " characters");
    }
    JWTClaimsSet claims;
    try {
      claims = processor.process(credential, null);
    } catch (ParseException e) {
      throw refused("the token is not a JWT");
    } catch (BadJWSException e) {
      throw refused("the signature does not verify with the issuer's keys");
    } catch (BadJWTException e) {
      throw refused("the issuer, audience, lifetime or a required claim is not as expected");
    } catch (BadJOSEException e) {
      log.debug("token refused: {}", e.getClass().getSimpleName());
      throw refused("the token is unsigned, of an algorithm not allowed, or of an unknown key");
    } catch (JOSEException e) {
      log.debug("token refused: {}", e.getClass().getSimpleName());
      throw refused("the token could not be checked (the issuer's keys could not be read)");
    } catch (RuntimeException e) {
      log.debug("token refused: {}", e.getClass().getSimpleName());
      throw refused("the token could not be read");
    }
    Object value = claims.getClaim(roleClaim);
    if (!(value instanceof String claim) || claim.isEmpty()) {
      throw refused("the claim " + roleClaim + " is not a non-empty string");
    }
    String role = roleMapping.apply(claim);
    if (role == null || role.isEmpty()) {
      throw refused("the role mapping names no role for this token");
    }
    String subject = claims.getSubject();
    if (subject == null || subject.isBlank()) {
      throw refused("the token has no subject");
    }
    Date exp = claims.getExpirationTime();
    return new VerifiedIdentity(issuer, subject, role, exp == null ? null : exp.toInstant());
  }

  private static LoginFailedException refused(String why) {
    return new LoginFailedException(null, "login refused: " + why, null, null);
  }

  @Override
  public String toString() {
    return "JwtIdentityVerifier[issuer=" + issuer + ", roleClaim=" + roleClaim + "]";
  }

  /** Builds a {@link JwtIdentityVerifier}. Not thread-safe. */
  public static final class Builder {
    private final String issuer;
    private @Nullable URI jwkSetUri;
    private @Nullable JWKSet keys;
    private final Set<String> audiences = new LinkedHashSet<>();
    private String roleClaim = "";
    private UnaryOperator<@Nullable String> roleMapping = r -> r;
    private Duration clockSkew = Duration.ofSeconds(60);
    private Set<JWSAlgorithm> algorithms = ASYMMETRIC;
    private Duration refetch = Duration.ofSeconds(30);

    private Builder(String issuer) {
      Objects.requireNonNull(issuer, "issuer");
      if (issuer.isBlank()) {
        throw new IllegalArgumentException("issuer: must not be blank");
      }
      this.issuer = issuer;
    }

    /**
     * Where the issuer publishes its public keys (its discovery document's {@code jwks_uri},
     * e.g. {@code https://sso.example.com/realms/staff/protocol/openid-connect/certs}).
     * Fetched on first use and cached; fetched again when a token names a key id not in the
     * cache.
     *
     * @param uri an {@code https} URI ({@code http} only for a provider on this host)
     * @return this builder
     */
    public Builder jwkSetUri(URI uri) {
      this.jwkSetUri = Objects.requireNonNull(uri, "jwkSetUri");
      this.keys = null;
      return this;
    }

    /**
     * How often, at most, a token signed with a key id the cache does not know makes the
     * verifier fetch the {@link #jwkSetUri} again: a flood of tokens with made-up key ids
     * then costs the issuer one request per interval. Default 30 s; zero fetches for every
     * unknown key id.
     *
     * @param interval from zero to 10 minutes
     * @return this builder
     */
    public Builder keyRefetchInterval(Duration interval) {
      Objects.requireNonNull(interval, "keyRefetchInterval");
      if (interval.isNegative() || interval.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException(
            "keyRefetchInterval = " + interval + ": must be 0 to 10 minutes");
      }
      this.refetch = interval;
      return this;
    }

    /**
     * A fixed set of public keys, instead of {@link #jwkSetUri}: for tests, or keys
     * distributed out of band. Private keys in it are refused.
     *
     * @param publicKeys the keys
     * @return this builder
     * @throws IllegalArgumentException if the set holds a private or symmetric key
     */
    public Builder keys(JWKSet publicKeys) {
      Objects.requireNonNull(publicKeys, "keys");
      if (publicKeys.getKeys().stream().anyMatch(k -> k.isPrivate())) {
        throw new IllegalArgumentException(
            "keys: the set holds a private or symmetric key; give the public keys only");
      }
      this.keys = publicKeys;
      this.jwkSetUri = null;
      return this;
    }

    /**
     * The audiences a token must name in {@code aud}, at least one (the client id of this
     * application at the provider, or the API's identifier).
     *
     * @param values the accepted audiences
     * @return this builder
     */
    public Builder audiences(String... values) {
      for (String v : values) {
        Objects.requireNonNull(v, "audiences");
        if (v.isBlank()) {
          throw new IllegalArgumentException("audiences: an audience must not be blank");
        }
        audiences.add(v);
      }
      return this;
    }

    /**
     * The claim that names the person's PostgreSQL role (e.g. {@code preferred_username}, or a
     * claim a provider mapper adds, such as {@code pg_role}). Required.
     *
     * @param claim the claim's name
     * @return this builder
     */
    public Builder roleClaim(String claim) {
      Objects.requireNonNull(claim, "roleClaim");
      if (claim.isBlank()) {
        throw new IllegalArgumentException("roleClaim: must not be blank");
      }
      this.roleClaim = claim;
      return this;
    }

    /**
     * Turns the claim's value into a role name; {@code null} or empty refuses the token.
     * Default: the value as it is. Whatever it returns is still checked on the database.
     *
     * @param mapping the mapping, e.g. {@code v -> "app_" + v}
     * @return this builder
     */
    public Builder roleMapping(UnaryOperator<@Nullable String> mapping) {
      this.roleMapping = Objects.requireNonNull(mapping, "roleMapping");
      return this;
    }

    /**
     * How far the issuer's clock and this one may disagree when {@code exp} and {@code nbf}
     * are checked. Default 60 s.
     *
     * @param skew from zero to 5 minutes
     * @return this builder
     */
    public Builder clockSkew(Duration skew) {
      Objects.requireNonNull(skew, "clockSkew");
      if (skew.isNegative() || skew.compareTo(MAX_SKEW) > 0) {
        throw new IllegalArgumentException("clockSkew = " + skew + ": must be 0 to 5 minutes");
      }
      this.clockSkew = skew;
      return this;
    }

    /**
     * The signature algorithms accepted; a subset of the asymmetric ones (RSA, RSA-PSS, EC,
     * EdDSA). Default: all of those.
     *
     * @param names JWS algorithm names, e.g. {@code RS256}, {@code ES256}
     * @return this builder
     * @throws IllegalArgumentException for {@code none}, an HMAC algorithm or an unknown name
     */
    public Builder algorithms(String... names) {
      List<JWSAlgorithm> list = new ArrayList<>();
      for (String n : names) {
        JWSAlgorithm a = JWSAlgorithm.parse(Objects.requireNonNull(n, "algorithms"));
        if (!ASYMMETRIC.contains(a)) {
          throw new IllegalArgumentException(
              "algorithms: " + n + " is not an asymmetric signature algorithm");
        }
        list.add(a);
      }
      if (list.isEmpty()) {
        throw new IllegalArgumentException("algorithms: name at least one");
      }
      this.algorithms = Set.copyOf(list);
      return this;
    }

    /**
     * Checks the settings and builds the verifier. Fetches nothing yet.
     *
     * @return the verifier
     * @throws IllegalArgumentException if the keys, an audience or the role claim are missing
     */
    public JwtIdentityVerifier build() {
      if (audiences.isEmpty()) {
        throw new IllegalArgumentException(
            "audiences: name at least one (the client id, or the API's identifier)");
      }
      if (roleClaim.isEmpty()) {
        throw new IllegalArgumentException(
            "roleClaim: name the claim that holds the PostgreSQL role");
      }
      JWKSource<SecurityContext> source;
      if (keys != null) {
        source = new ImmutableJWKSet<>(keys);
      } else if (jwkSetUri != null) {
        try {
          JWKSourceBuilder<SecurityContext> b =
              JWKSourceBuilder.create(jwkSetUri.toURL()).retrying(true);
          b = refetch.isZero() ? b.rateLimited(false) : b.rateLimited(refetch.toMillis());
          source = b.build();
        } catch (MalformedURLException | IllegalArgumentException e) {
          throw new IllegalArgumentException("jwkSetUri = " + jwkSetUri + ": not a URL", e);
        }
      } else {
        throw new IllegalArgumentException(
            "keys: give the issuer's jwkSetUri (or a fixed set of public keys)");
      }
      return new JwtIdentityVerifier(this, source);
    }
  }
}
