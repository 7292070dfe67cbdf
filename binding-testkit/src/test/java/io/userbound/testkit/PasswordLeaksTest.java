package io.userbound.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PasswordLeaksTest {

  @Test
  void in_findsPlainAndUrlEncodedPasswords_andMasksThem() {
    char[] pw = TestPasswords.remember("pa ss+w/rd%42".toCharArray());
    List<String> hits =
        PasswordLeaks.in(
            List.of(
                "INFO login ok",
                "DEBUG url=jdbc:postgresql://h/d?password=pa ss+w/rd%42",
                "DEBUG body=user=alice&password=pa+ss%2Bw%2Frd%2542"));
    assertThat(hits)
        .hasSize(2)
        .allSatisfy(line -> assertThat(line).contains("<pw>").doesNotContain(new String(pw)));
  }

  @Test
  void fresh_isRememberedAndRandom() {
    char[] a = TestPasswords.fresh();
    char[] b = TestPasswords.fresh();
    assertThat(new String(a)).isNotEqualTo(new String(b)).hasSize(20);
    assertThat(TestPasswords.all()).contains(new String(a), new String(b));
  }
}
