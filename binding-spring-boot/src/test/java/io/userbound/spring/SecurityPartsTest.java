package io.userbound.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.userbound.core.DatabaseConfig;
import io.userbound.core.Userbound;
import io.userbound.core.UserboundConfig;
import io.userbound.servlet.LoginService;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** The token and the provider, where no database is needed to tell. */
class SecurityPartsTest {

  private final Userbound userbound =
      Userbound.create(
          UserboundConfig.builder()
              .jmx(false)
              .database(DatabaseConfig.builder("one", "jdbc:postgresql://127.0.0.1:9/one").build())
              .build());
  private final UserboundAuthenticationProvider provider =
      new UserboundAuthenticationProvider(
          new LoginService(userbound), List.of(new SimpleGrantedAuthority("ROLE_USER")));

  @AfterEach
  void close() {
    userbound.close();
  }

  @Test
  void token_serializesToRoleAndAuthoritiesOnly() throws Exception {
    UserboundAuthentication token =
        new UserboundAuthentication(
            "alice", List.of(new SimpleGrantedAuthority("ROLE_USER")), null);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(token);
    }
    String serialized = bytes.toString(StandardCharsets.ISO_8859_1);
    assertThat(serialized).doesNotContain("io.userbound.core").doesNotContain("Login");
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      UserboundAuthentication back = (UserboundAuthentication) in.readObject();
      assertThat(back.getName()).isEqualTo("alice");
      assertThat(back.getCredentials()).isNull();
      assertThat(back.isAuthenticated()).isTrue();
      assertThat(back).isEqualTo(token);
    }
  }

  @Test
  void provider_takesUsernameAndPasswordOnly() {
    assertThat(provider.supports(UsernamePasswordAuthenticationToken.class)).isTrue();
    assertThat(provider.supports(TestingAuthenticationToken.class)).isFalse();
  }

  @Test
  void provider_emptyOrMissingPassword_isBadCredentialsWithoutAsking() {
    assertThatThrownBy(
            () ->
                provider.authenticate(
                    UsernamePasswordAuthenticationToken.unauthenticated("alice", null)))
        .isInstanceOf(BadCredentialsException.class);
    assertThatThrownBy(
            () ->
                provider.authenticate(
                    UsernamePasswordAuthenticationToken.unauthenticated("", "pw")))
        .isInstanceOf(BadCredentialsException.class);
    assertThat(userbound.stats("one").loginsRefused()).isZero();
  }

  @Test
  void provider_outsideAnHttpRequest_saysWhatIsMissing() {
    assertThatThrownBy(
            () ->
                provider.authenticate(
                    UsernamePasswordAuthenticationToken.unauthenticated("alice", "pw")))
        .isInstanceOf(AuthenticationServiceException.class)
        .hasMessageContaining("RequestContextFilter");
  }
}
