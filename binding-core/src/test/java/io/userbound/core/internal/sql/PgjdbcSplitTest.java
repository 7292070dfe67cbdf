package io.userbound.core.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.core.NativeQuery;
import org.postgresql.core.Parser;

/**
 * PgjdbcSplit reads statement text as the pgjdbc on the class path does: the same pieces,
 * with ? turned into $n and ?? into ?. When a pgjdbc upgrade changes its lexer, this fails,
 * and PgjdbcSplit (and its comment) must follow.
 */
class PgjdbcSplitTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "select 1; select 2",
        "select ?, ?; select ?",
        "select 'a;b' ; select \"c;d\"; select $$e;f$$; select $t$;$t$",
        "select 1 -- ;\r; select 2",
        "select 1 /* ; /* ; */ ; */ ; select 2",
        "select 1 /*/ ; select 2 */ ; select 3",
        "select E'a''\\'' -- ' ; select 2",
        "select 1$$ ; $$; select 2",
        "select $a$x$a$$b$;select 2;--$b$",
        "E'\\'' ; select 2",
        "select (1; 2); select 3",
        "select a ?? b, c ??| d, ?",
        ";;  ;select 1;;",
        " ",
        "",
      })
  void examples_splitAsPgjdbcDoes(String sql) throws SQLException {
    assertThat(PgjdbcSplit.of(sql).pieces()).as(sql).isEqualTo(pgjdbc(sql));
  }

  @Test
  void fuzzedText_splitsAsPgjdbcDoes() throws SQLException {
    long seed = Long.getLong("guard.fuzz.seed", SqlGuardDifferentialTest.DEFAULT_SEED);
    int count = Integer.getInteger("guard.fuzz.count", 3_000) * 4;
    SqlFuzz fuzz = new SqlFuzz(seed, "fuzz_canary", "fuzz_gateway");
    List<String> failures = new ArrayList<>();
    for (int k = 0; k < count && failures.size() < 10; k++) {
      String sql = fuzz.next();
      List<String> ours = PgjdbcSplit.of(sql).pieces();
      List<String> theirs = pgjdbc(sql);
      if (!ours.equals(theirs)) {
        failures.add("\"" + SqlFuzz.escape(sql) + "\": ours " + ours + ", pgjdbc " + theirs);
      }
    }
    assertThat(failures).as("seed " + seed).isEmpty();
  }

  private static List<String> pgjdbc(String sql) throws SQLException {
    List<String> pieces = new ArrayList<>();
    for (NativeQuery q : Parser.parseJdbcSql(sql, true, true, true, false, true)) {
      pieces.add(q.nativeSql);
    }
    return pieces;
  }
}
