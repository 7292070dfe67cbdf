package io.userbound.core.internal;

import static io.userbound.core.internal.SqlClassifier.CLEAN;
import static io.userbound.core.internal.SqlClassifier.PREPARED;
import static io.userbound.core.internal.SqlClassifier.ROLE;
import static io.userbound.core.internal.SqlClassifier.SESSION;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The statement-text half of the TRACKED reset; no server needed. */
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
        "begin",
        "COMMIT",
        "rollback",
        "savepoint s1",
        "release savepoint s1",
        "start transaction read only",
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
      })
  void statementsThatCannotChangeTheSession_areClean(String sql) {
    assertThat(SqlClassifier.classify(sql)).as(sql).isEqualTo(CLEAN);
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
        "select * into temp x from t",
        "select 1; set role other",
        "{call f(?)}",
        "vacuum (verbose) t",
      })
  void statementsThatMayChangeTheSession_areSession(String sql) {
    assertThat(SqlClassifier.classify(sql) & SESSION).as(sql).isEqualTo(SESSION);
  }

  @ParameterizedTest
  @ValueSource(strings = {"PREPARE p AS select 1", "select 1; prepare q (int) as select $1"})
  void sqlLevelPrepare_needsAFullDiscard(String sql) {
    assertThat(SqlClassifier.classify(sql) & PREPARED).as(sql).isEqualTo(PREPARED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"prepare transaction 'x'", "commit prepared 'x'"})
  void twoPhaseCommit_isNotAPreparedStatement(String sql) {
    assertThat(SqlClassifier.classify(sql) & PREPARED).as(sql).isZero();
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
        "set session_authorization = 'x'",
        "SET \"role\" = 'x'",
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
        "select 1; set role alice",
      })
  void statementsThatMayChangeTheRole_areRole(String sql) {
    assertThat(SqlClassifier.classify(sql) & ROLE).as(sql).isEqualTo(ROLE);
    assertThat(SqlClassifier.classify(sql) & SESSION).as(sql).isEqualTo(SESSION);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "select set_config('app.user', 'alice', false)",
        "select set_config('app.role', ?, true)",
        "SET search_path = public",
        "set application_name = 'role'",
        "set local statement_timeout = 5",
        "reset search_path",
        "discard temp",
        "select role from grants where role = 'set role x'",
        "select 'reset role'",
        "select 1",
      })
  void otherStatements_areNotRole(String sql) {
    assertThat(SqlClassifier.classify(sql) & ROLE).as(sql).isZero();
  }
}
