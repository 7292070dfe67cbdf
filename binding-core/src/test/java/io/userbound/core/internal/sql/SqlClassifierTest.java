package io.userbound.core.internal.sql;

import static io.userbound.core.internal.sql.SqlClassifier.CLEAN;
import static io.userbound.core.internal.sql.SqlClassifier.PREPARED;
import static io.userbound.core.internal.sql.SqlClassifier.ROLE;
import static io.userbound.core.internal.sql.SqlClassifier.SESSION;
import static io.userbound.core.internal.sql.SqlClassifier.UNREADABLE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The statement-text half of the TRACKED reset and of ROLE_SWITCHING's refusals; no server. */
class SqlClassifierTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "select 1",
        "SELECT * FROM invoice WHERE id = ?",
        "select i1_0.id,i1_0.amount,i1_0.customer_id from invoice i1_0 where i1_0.id=?",
        "insert into invoice (amount,customer_id,id) values (?,?,?)",
        "insert into public.invoice(amount) values (?)",
        "insert into \"Invoice\" (\"Amount\") values (?)",
        "update invoice set amount=? where id=?",
        "delete from invoice where id=?",
        "with recent(id) as (select id from invoice) select count(*) from recent",
        "select count(*), coalesce(sum(amount), 0), max(lower(name)) from t group by upper(x)",
        "select cast(? as varchar(255)), ?::numeric(10,2), extract(epoch from now())",
        "select row_number() over (partition by a order by b) from t",
        "select * from generate_series(1, 10) as g(n)",
        "select x from t where exists (select 1 from u where u.id = t.id) and y in (?, ?)",
        "insert into t (a) values (1) on conflict (a) do update set a = excluded.a",
        "savepoint s1",
        "release savepoint s1",
        "rollback to savepoint s1",
        "ROLLBACK WORK TO s1",
        "rollback transaction to savepoint s1",
        "SET LOCAL statement_timeout = 1000",
        "set transaction isolation level serializable",
        "show search_path",
        "explain select 1",
        "copy t (a, b) from stdin",
        "lock table t",
        "select pg_advisory_xact_lock(1)",
        "select currval('seq'), pg_backend_pid()",
        "select 'set_config(' as text, $$ nextval(x) $$ as body -- set_config(",
        "/* temp */ select 1",
        "select E'it''s \\' set_config(' ",
        "create table t (x int)",
        "drop table t",
        "",
        "select 1; select 2",
        "(select 1) union (select 2)",
        "select * from pg_settings where name = 'role'",
        "select 0x1F, 1_000, 1.5e-3, .5, 1..2",
        "select a$b$ from t",
        "select $1, $2::int",
      })
  void statementsThatCannotChangeTheSession_areClean(String sql) {
    assertThat(SqlClassifier.classify(sql)).as(sql).isEqualTo(CLEAN);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "begin",
        "BEGIN ISOLATION LEVEL SERIALIZABLE",
        "start transaction read only",
        "COMMIT",
        "commit and chain",
        "end",
        "rollback",
        "ROLLBACK AND NO CHAIN",
        "abort",
        "commit prepared 'x'",
        "rollback prepared 'x'",
        "select 1; commit; select 2",
      })
  void transactionControl_isCleanForTracked_butRefusedUnderRoleSwitching(String sql) {
    assertThat(SqlClassifier.classify(sql)).as(sql).isEqualTo(ROLE);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SET application_name = 'x'",
        "set search_path to pg_catalog",
        "SET SESSION statement_timeout = 5",
        "set session characteristics as transaction isolation level serializable",
        "RESET ALL",
        "discard temp",
        "LISTEN news",
        "unlisten *",
        "DECLARE c CURSOR WITH HOLD FOR select 1",
        "CALL proc()",
        "DO $$ begin perform 1; end $$",
        "EXECUTE stmt",
        "LOAD 'x'",
        "DEALLOCATE p",
        "select set_config('app.x', '1', false)",
        "SELECT pg_catalog.set_config('a', 'b', false)",
        "select pg_advisory_lock(1)",
        "select pg_try_advisory_lock(1)",
        "select pg_advisory_lock_shared(1)",
        "select nextval('seq')",
        "select setval('seq', 1)",
        "select my_function(1)",
        "select * from my_function()",
        "select \"MyFunction\"(1)",
        "select app.f(1)",
        "create temp table x (y int)",
        "CREATE TEMPORARY TABLE x (y int)",
        "create table pg_temp.x (y int)",
        "create table \"pg_temp\".x (y int)",
        "create table pg_temp_3.x (y int)",
        "select * into temp x from t",
        "select 1; set role other",
        "{call f(?)}",
        "vacuum (verbose) t",
        "'literal first'",
      })
  void statementsThatMayChangeTheSession_areSession(String sql) {
    assertThat(SqlClassifier.classify(sql) & SESSION).as(sql).isEqualTo(SESSION);
  }

  @ParameterizedTest
  @ValueSource(strings = {"PREPARE p AS select 1", "select 1; prepare q (int) as select $1"})
  void sqlLevelPrepare_needsAFullDiscard_andIsRefusedUnderRoleSwitching(String sql) {
    assertThat(SqlClassifier.classify(sql)).as(sql).isEqualTo(SESSION | PREPARED | ROLE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"prepare transaction 'x'", "commit prepared 'x'"})
  void twoPhaseCommit_isNotAPreparedStatement(String sql) {
    assertThat(SqlClassifier.classify(sql) & PREPARED).as(sql).isZero();
    assertThat(SqlClassifier.classify(sql) & ROLE).as(sql).isEqualTo(ROLE);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SET ROLE alice",
        "set session role none",
        "SET LOCAL ROLE alice",
        "reset role",
        "RESET ALL",
        "RESET SESSION AUTHORIZATION",
        "SET SESSION AUTHORIZATION DEFAULT",
        "set local session authorization default",
        "set session_authorization = 'x'",
        "SET \"role\" = 'x'",
        "SET \"ROLE\" = 'x'",
        "set \"application_name\" = 'x'",
        "RESET \"role\"",
        "discard all",
        "do $$ begin null; end $$",
        "select set_config('role', 'x', false)",
        "select set_config('Role', 'x', false)",
        "select pg_catalog.set_config('session_authorization', 'x', false)",
        "select \"set_config\"('role', 'x', false)",
        "select set_config($$role$$, 'x', false)",
        "select set_config(E'role', 'x', false)",
        "select set_config('ro' || 'le', 'x', false)",
        "select set_config(?, ?, false)",
        "select set_config('role'::text, 'x', false)",
        "select set_config(N'role', 'x', false)",
        "select 1; set role alice",
        "SET standard_conforming_strings = off",
        "set local standard_conforming_strings to off",
        "reset standard_conforming_strings",
        "select set_config('standard_conforming_strings', 'off', false)",
        "update pg_settings set setting = 'off' where name = 'standard_conforming_strings'",
        "UPDATE pg_catalog.pg_settings SET setting = 'x' WHERE name = 'role'",
        "with s as (update pg_settings set setting = 'x' returning 1) select 1",
      })
  void statementsThatMayChangeTheRole_areRole(String sql) {
    assertThat(SqlClassifier.classify(sql) & ROLE).as(sql).isEqualTo(ROLE);
    assertThat(SqlClassifier.classify(sql) & SESSION).as(sql).isEqualTo(SESSION);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'select 1'",
        "create or replace function f() returns int as $$ select 1 $$ language sql",
        "CREATE PROCEDURE p() LANGUAGE sql AS $$ select 1 $$",
        "create or replace procedure p() begin atomic select 1; end",
        "ALTER FUNCTION f() SET role = 'x'",
        "alter procedure p() security definer",
        "ALTER ROUTINE r() RESET ALL",
        "ALTER ROLE alice SET role = 'bob'",
        "alter database d set \"role\" to bob",
        "create view v as select * from pg_settings",
        "create rule r as on insert to t do instead update pg_settings set setting = new.x",
        "select query_to_xml('select 1', true, true, '')",
        "SELECT pg_catalog.query_to_xmlschema('select 1', true, true, '')",
        "select * from query_to_xml_and_xmlschema('select 1', true, true, '')",
        "select * from dblink('dbname=x', 'select 1') as t(a int)",
        "select dblink_exec('set role x')",
        "select public.dblink_open('c', 'select 1')",
        "select \"dblink_send_query\"('c', 'select 1')",
        "select ts_stat('select v from t')",
        "select * from crosstab('select 1')",
        "create aggregate a(text, boolean) (sfunc = set_config, stype = text, initcond = 'role')",
        "CREATE OPERATOR ===> (FUNCTION = pg_catalog.\"set_config\", LEFTARG = text)",
        "create cast (text as int) with function query_to_xml(text, bool, bool, text)",
      })
  void routinesAndSqlRunningFunctions_areRefusedUnderRoleSwitching(String sql) {
    assertThat(SqlClassifier.classify(sql) & ROLE).as(sql).isEqualTo(ROLE);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "select set_config('app.user', 'alice', false)",
        "select set_config('app.role', ?, true)",
        "select set_config(E'app\\x2erole', 'x', false)",
        "select set_config(U&'app\\002erole', 'x', false)",
        "select set_config($x$app.role$x$, 'x', false)",
        "SET search_path = public",
        "set application_name = 'role'",
        "set local statement_timeout = 5",
        "reset search_path",
        "discard temp",
        "select role from grants where role = 'set role x'",
        "select 'reset role'",
        "select 1",
        "select 1 -- ; set role x",
        "select 1 /* ; set role x */",
        "select 1 /* /* nested */ ; set role x */",
        "select $$ ; set role x $$",
        "select $€$ ; set role x $€$",
        "select $a1$ ; set role x $a1$",
        "select ' ; set role x '",
        "select 'it''s ; set role x'",
        "select E' \\' ; set role x '",
        "select U&' ; set role x '",
        "select \" ; set role x \" from t",
        "select 'a'\n' ; set role x '",
        "create table t (role text, setting text)",
        "insert into t (role) values ('x')",
        "savepoint s",
        "rollback to s",
      })
  void otherStatements_areNotRole(String sql) {
    assertThat(SqlClassifier.classify(sql) & ROLE).as(sql).isZero();
  }

  /**
   * Texts the guard once let through although the server reads a role change (or another
   * refused statement) in them: each escape found, by review or by SqlGuardDifferentialTest,
   * stays here. The second column names how the server reads it.
   */
  static Stream<Arguments> escapes() {
    return Stream.of(
        // comments end at CR as well as LF (scan.l non_newline [^\n\r])
        Arguments.of("SELECT 1 --\r; SET ROLE bob", "a -- comment ends at CR"),
        Arguments.of("SELECT 1 -- x\r\n; SET ROLE bob", "CR LF"),
        // dollar-quote tags may hold any character from U+0080 up
        Arguments.of("select $€$ $$ $€$; set role bob; select $$ x $$", "$€$ is a tag"),
        Arguments.of("select $é1$ $$ $é1$; reset role", "tag with digit"),
        // a $ after an identifier character belongs to the identifier
        Arguments.of("select a$b$ from t; set role bob; select $b$ x $b$", "a$b$ is a name"),
        // a $ after a number starts a dollar quote (pgjdbc disagrees: unreadable)
        Arguments.of("select 1$$ ; set role bob; $$", "1$$..$$"),
        // $1 is a parameter, not a tag
        Arguments.of("select $1$$ ; set role bob ; $$", "a parameter, then $$"),
        // identifiers: any character from U+0080 up is an identifier character
        Arguments.of(
            "select 1 as a\u00a0$$; set role bob; select 1 as b$$", "U+00A0 is a name character"),
        // whitespace is exactly [ \t\n\r\f\v]
        Arguments.of("SET\u000bROLE bob", "vertical tab"),
        Arguments.of("SET\fROLE bob", "form feed"),
        // quoted and escaped parameter names
        Arguments.of("SET U&\"\\0072ole\" TO bob", "U& name"),
        Arguments.of("SET U&\"d!0061t!+000061\" UESCAPE '!' TO x", "U& name with UESCAPE"),
        Arguments.of("RESET U&\"\\0072ole\"", "RESET of an escaped name"),
        Arguments.of("SET \"r\"\"ole\" TO bob", "quoted name"),
        // set_config's first argument in every spelling
        Arguments.of("select set_config(E'r\\157le', 'bob', false)", "octal escape"),
        Arguments.of("select set_config(E'\\562ole', 'bob', false)", "octal escape, low 8 bits"),
        Arguments.of("select set_config(E'\\x72ole', 'bob', false)", "hex escape"),
        Arguments.of("select set_config(E'\\u0072ole', 'bob', false)", "unicode escape"),
        Arguments.of("select set_config(E'\\U00000072ole', 'bob', false)", "long unicode escape"),
        Arguments.of("select set_config(U&'\\0072ole', 'bob', false)", "U& literal"),
        Arguments.of("select set_config(U&'!0072ole' UESCAPE '!', 'bob', false)", "UESCAPE"),
        Arguments.of("select set_config(U&'!0072ole' uescape $$!$$, 'bob', false)", "UESCAPE $$"),
        Arguments.of("select set_config('ro'\n'le', 'bob', false)", "continuation"),
        Arguments.of("select set_config('ro' -- x\n'le', 'bob', false)", "continuation, comment"),
        Arguments.of("select set_config('ro'\r\n\t'le', 'bob', false)", "continuation, CR LF"),
        Arguments.of("select set_config(E'ro'\n'\\154e', 'bob', false)", "E continuation"),
        Arguments.of("select set_config($€$role$€$, 'bob', false)", "non-ASCII tag"),
        Arguments.of("select set_config(U&\"\\0072ole\", 'bob', false)", "a name, not a literal"),
        Arguments.of("select U&\"set_config\"('role', 'bob', false)", "escaped function name"),
        Arguments.of("select \"SET_CONFIG\"('role', 'bob', false)", "quoted function name"),
        // prefixes count only at the start of a token
        Arguments.of("select e'\\''; set role bob; select '\\'", "E'' with \\'"),
        Arguments.of("select b'1'''; set role bob; select ''''", "B'' ends at the first quote"),
        Arguments.of("select x'1'''; set role bob; select ''''", "X'' ends at the first quote"),
        // block comments nest
        Arguments.of("/* /* */ */ select 1; set role bob", "nested, closed"),
        Arguments.of("select 1 /*/ ; set role bob; select 2 */", "slash-star-slash stays open"),
        Arguments.of("select 1 +/* x */; set role bob", "comment inside an operator"),
        Arguments.of("select 1 --/*\n; set role bob", "-- hides a /* start"),
        // found by the fuzzers: pgjdbc 42.7 takes identifier characters by Java's rules, so
        // after U+0001 it sees no dollar quote and sends "reset role" on its own
        Arguments.of("select 1 as x\u0001$$; reset role; $$", "pgjdbc: no $$ after U+0001"),
        Arguments.of("select 1 as x\u007f$$; reset role; $$", "pgjdbc: no $$ after U+007F"),
        // found by review: the rule of pg_settings calls set_config; an aggregate made of it
        Arguments.of(
            "update pg_settings set setting = 'off' where name = 'standard_conforming_strings'",
            "UPDATE pg_settings"),
        Arguments.of(
            "create aggregate a(text, boolean) (sfunc = set_config, stype = text, initcond ="
                + " 'role'); select a('bob', false)",
            "set_config as a state function"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("escapes")
  void escapes_areRefusedUnderRoleSwitching(String sql, String how) {
    assertThat(SqlClassifier.classify(sql) & ROLE).as(how + ": " + sql).isEqualTo(ROLE);
  }

  /**
   * Where pgjdbc and the server read the text differently, a piece pgjdbc sends on its own
   * can run what the server's reading of the whole text hides: unreadable.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "select E'a''\\'' -- ' ; set role bob",
        "select 1 /*/ ; select 2 */",
        "select 1$$ ; $$",
        "select $a$x$a$$b$;select 2;--$b$",
        "select\u000bE'\\'' -- ' ; select 2\n",
        "select a?$$ x $$",
        "select a?b",
        "select 1$$ ? $$",
        "select 1$$ {fn now()} $$",
      })
  void pgjdbcDisagreements_areUnreadable(String sql) {
    assertThat(SqlClassifier.unreadable(sql)).as(sql).isNotNull();
    assertThat(SqlClassifier.classify(sql))
        .as(sql)
        .isEqualTo(SESSION | PREPARED | ROLE | UNREADABLE);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "select 1 /* open",
        "select 1 /* /* */",
        "select 'open",
        "select E'open\\'",
        "select \"open",
        "select $$ open",
        "select $a$ open $b$",
        "select U&'open",
        "select 1\u0000; set role bob",
        "select '\ud800'",
        "select 1\udc00",
        "select U&'\\0000'",
        "select U&'\\d800'",
        "select U&'\\12'",
        "select U&\"\\zzzz\"",
        "select U&'x' UESCAPE '+'",
        "select U&'x' UESCAPE 'ab'",
        "select U&'x' UESCAPE N'!'",
        "select U&'x' UESCAPE",
        "select E'\\u12'",
        "select E'\\u0000'",
        "select E'\\ud800'",
        "select E'\\U00110000'",
        "select 1abc",
        "select 0x",
        "select 1e--5",
        "select $1abc",
        "select 1e'\\''; set role bob; select '\\'",
      })
  void textTheServerRefusesOrReadsByVersion_isUnreadable(String sql) {
    assertThat(SqlClassifier.unreadable(sql)).as(sql).isNotNull();
    assertThat(SqlClassifier.classify(sql))
        .as(sql)
        .isEqualTo(SESSION | PREPARED | ROLE | UNREADABLE);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "select * from t where a = ? and b = ?",
        "insert into t values (?, ?)",
        "select ?::int, ? as x, (?)",
        "select data ?? 'key', data ??| array['a']",
        "{call f(?)}",
        "select {fn now()}",
        "select 'a'\n'b'",
        "select E'\\n\\t\\\\'",
        "select U&'d!0061t!+000061' UESCAPE '!'",
        "select $tag$ body $tag$",
        "select \"a\"\"b\"",
        "select x'1F', b'101', n'abc'",
        "select 1; select 2;",
        "select a -- comment\r\n, b",
        "select 0x1F, 0o17, 0b101, 1_000_000",
      })
  void ordinaryText_isReadable(String sql) {
    assertThat(SqlClassifier.unreadable(sql)).as(sql).isNull();
    assertThat(SqlClassifier.classify(sql) & (ROLE | UNREADABLE)).as(sql).isZero();
  }
}
