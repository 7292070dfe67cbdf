package io.userbound.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LoginFormTest {

  private static LoginForm parse(String body) {
    return LoginForm.parse(body.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void parse_decodesPercentEscapesPlusAndUtf8() {
    try (LoginForm form = parse("x=1&role=al%20ice&password=p%C3%BC+w%26d%3D&y")) {
      assertThat(form.role()).isEqualTo("al ice");
      assertThat(new String(form.password())).isEqualTo("p\u00fc w&d=");
    }
  }

  @Test
  void close_wipesThePassword() {
    LoginForm form = parse("role=a&password=secret");
    char[] password = form.password();
    form.close();
    assertThat(password).containsOnly('\0');
  }

  @Test
  void parse_refusesMissingEmptyRepeatedOrMalformedFields() {
    assertThatThrownBy(() -> parse("role=a"))
        .isInstanceOf(LoginForm.BadFormException.class)
        .hasMessageContaining("password");
    assertThatThrownBy(() -> parse("password=x"))
        .isInstanceOf(LoginForm.BadFormException.class)
        .hasMessageContaining("role");
    assertThatThrownBy(() -> parse("role=&password=x"))
        .isInstanceOf(LoginForm.BadFormException.class);
    assertThatThrownBy(() -> parse("role=a&password="))
        .isInstanceOf(LoginForm.BadFormException.class);
    assertThatThrownBy(() -> parse("role=a&password=x&password=y"))
        .isInstanceOf(LoginForm.BadFormException.class)
        .hasMessageContaining("twice");
    assertThatThrownBy(() -> parse("role=a&password=x%2"))
        .isInstanceOf(LoginForm.BadFormException.class);
    assertThatThrownBy(() -> parse("role=a&password=x%zz"))
        .isInstanceOf(LoginForm.BadFormException.class);
    assertThatThrownBy(() -> parse("role=a&password=%C3"))
        .isInstanceOf(LoginForm.BadFormException.class)
        .hasMessageContaining("UTF-8");
  }

  @Test
  void badFormMessages_neverContainTheValue() {
    assertThatThrownBy(() -> parse("role=a&password=hunter2%zz"))
        .hasMessageNotContaining("hunter2");
  }
}
