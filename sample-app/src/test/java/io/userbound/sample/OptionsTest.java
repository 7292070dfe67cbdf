package io.userbound.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionsTest {

  private static final String FIN = "jdbc:postgresql://db1:5432/finance";
  private static final String STAFF = "jdbc:postgresql://db2:5432/staff";

  @Test
  void noArguments_isTheEmbeddedDefaultOnPort8080() {
    Options o = Options.parse(new String[0], Map.of()).orElseThrow();
    assertThat(o.port()).isEqualTo(8080);
    assertThat(o.embedded()).isTrue();
  }

  @Test
  void port_zeroAndEqualsForm_areAccepted() {
    assertThat(Options.parse(new String[] {"--port", "0"}, Map.of()).orElseThrow().port()).isZero();
    assertThat(Options.parse(new String[] {"--port=9090"}, Map.of()).orElseThrow().port())
        .isEqualTo(9090);
  }

  @Test
  void urls_fromArgumentsOrEnvironment_selectExistingServers() {
    Options args =
        Options.parse(new String[] {"--finance-url", FIN, "--staff-url", STAFF}, Map.of())
            .orElseThrow();
    assertThat(args.embedded()).isFalse();
    assertThat(args.financeUrl()).isEqualTo(FIN);
    Options env =
        Options.parse(new String[0], Map.of(Options.FINANCE_ENV, FIN, Options.STAFF_ENV, STAFF))
            .orElseThrow();
    assertThat(env.staffUrl()).isEqualTo(STAFF);
    Options both =
        Options.parse(
                new String[] {"--staff-url", "jdbc:postgresql://db3/staff"},
                Map.of(Options.FINANCE_ENV, FIN, Options.STAFF_ENV, STAFF))
            .orElseThrow();
    assertThat(both.staffUrl()).isEqualTo("jdbc:postgresql://db3/staff");
  }

  @Test
  void help_asksForUsage() {
    assertThat(Options.parse(new String[] {"--help"}, Map.of())).isEmpty();
  }

  @Test
  void mistakes_areNamed() {
    assertThatThrownBy(() -> Options.parse(new String[] {"--finance-url", FIN}, Map.of()))
        .hasMessageContaining("--staff-url");
    assertThatThrownBy(() -> Options.parse(new String[] {"--port", "http"}, Map.of()))
        .hasMessage("--port http: not a number");
    assertThatThrownBy(() -> Options.parse(new String[] {"--port", "70000"}, Map.of()))
        .hasMessageContaining("between 0 and 65535");
    assertThatThrownBy(() -> Options.parse(new String[] {"--port"}, Map.of()))
        .hasMessage("--port: needs a value");
    assertThatThrownBy(() -> Options.parse(new String[] {"--verbose"}, Map.of()))
        .hasMessage("unknown argument: --verbose");
    assertThatThrownBy(
            () ->
                Options.parse(
                    new String[] {
                      "--finance-url", "postgres://x?password=s3cret", "--staff-url", STAFF
                    },
                    Map.of()))
        .hasMessageContaining("must start with jdbc:postgresql:")
        .hasMessageNotContaining("s3cret");
  }
}
