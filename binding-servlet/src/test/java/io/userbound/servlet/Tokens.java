package io.userbound.servlet;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.function.UnaryOperator;

/** A test issuer: an RSA key of its own, and tokens made as a provider would, or worse. */
final class Tokens {

  static final String ISSUER = "https://sso.example.test/realms/demo";
  static final String AUDIENCE = "userbound-app";
  static final String CLAIM = "pg_role";

  final RSAKey key;

  Tokens(String keyId) {
    try {
      key = new RSAKeyGenerator(2048).keyID(keyId).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  JWKSet publicKeys() {
    return new JWKSet(key.toPublicJWK());
  }

  /** The claims of a good token for a role, valid for five minutes. */
  static JWTClaimsSet.Builder claims(String role) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .subject("sub-" + role)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
        .claim(CLAIM, role);
  }

  String token(String role) {
    return sign(claims(role).build());
  }

  String token(String role, UnaryOperator<JWTClaimsSet.Builder> tweak) {
    return sign(tweak.apply(claims(role)).build());
  }

  String sign(JWTClaimsSet claims) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** alg: none. */
  static String unsigned(String role) {
    return new PlainJWT(claims(role).build()).serialize();
  }

  /** HS256 with the public key's bytes as the secret: the classic algorithm confusion. */
  String hmacWithPublicKey(String role) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.getKeyID()).build(),
              claims(role).build());
      jwt.sign(new MACSigner(key.toRSAPublicKey().getEncoded()));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
