package io.userbound.core;

import static io.userbound.core.Fixtures.person;
import static org.assertj.core.api.Assertions.assertThat;

import io.userbound.core.Fixtures.Person;
import io.userbound.testkit.Await;
import io.userbound.testkit.PostgresExtension;
import io.userbound.testkit.PostgresServer;
import io.userbound.testkit.TestNames;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Userbound behind the libraries users plug it into. Each closes connections its own way
 * (Spring closes the statement's connection after a stream, for example); every way must
 * be the hand-back, and nothing a request set may reach the next one.
 */
@ExtendWith(PostgresExtension.class)
class ClientsTest {

  private PostgresServer server;
  private Person alice;
  private Userbound ub;
  private Login login;

  private void setUp(PostgresServer s, TestNames names) {
    server = s;
    alice = person(names);
    String db = names.createDatabase();
    server.execute(
        db,
        "CREATE TABLE item (id int PRIMARY KEY, name text);"
            + " GRANT ALL ON item TO \""
            + alice.role()
            + "\";"
            + " GRANT CREATE ON DATABASE \""
            + db
            + "\" TO \""
            + alice.role()
            + "\"");
    ub =
        Fixtures.userbound(
            Fixtures.database("main", server, db).maxConnectionsPerPerson(2).build());
    login = ub.login(alice.role(), alice.password());
  }

  private String leftovers() throws Exception {
    try (Connection c = ub.connection(login, "main");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "select coalesce(current_setting('app.stream', true), '') || '|' || (select"
                    + " count(*) from pg_locks where locktype = 'advisory' and pid ="
                    + " pg_backend_pid()) || '|' || current_user || '|' ||"
                    + " current_setting('search_path')")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private void assertNothingLeaked() {
    ub.logout(login);
    Await.until(
        "no pool, no permit, no backend after logout",
        Duration.ofSeconds(10),
        () ->
            ub.stats("main").pools() == 0
                && ub.stats("main").budgetUsed() == 0
                && server.backendCount(alice.role()) == 0);
  }

  @Test
  void springQueryForStream_outsideATransaction_handsBackAndResets(
      PostgresServer s, TestNames names) throws Exception {
    setUp(s, names);
    JdbcTemplate jdbc = new JdbcTemplate(ub.dataSource("main"));
    try (Binding ignored = ub.bind(login)) {
      jdbc.update("insert into item values (1, 'a'), (2, 'b')");
      try (Stream<Integer> ids =
          jdbc.queryForStream(
              "select id, set_config('app.stream', 'yes', false),"
                  + " pg_advisory_lock(7) from item order by id",
              (rs, n) -> rs.getInt(1))) {
        assertThat(ids.toList()).containsExactly(1, 2);
      }
      assertThat(ub.stats("main").activeConnections())
          .as("the stream's connection came back")
          .isZero();
      assertThat(leftovers()).isEqualTo("|0|" + alice.role() + "|\"$user\", public");
    }
    assertNothingLeaked();
  }

  @Test
  void springQueryForStream_insideATransaction_keepsTheTransaction(
      PostgresServer s, TestNames names) throws Exception {
    setUp(s, names);
    DataSource forTemplate = ub.dataSource("main");
    DataSource forTransactions = ub.dataSource("main"); // a second look-up: the same instance
    JdbcTemplate jdbc = new JdbcTemplate(forTemplate);
    TransactionTemplate tx =
        new TransactionTemplate(new DataSourceTransactionManager(forTransactions));
    try (Binding ignored = ub.bind(login)) {
      tx.executeWithoutResult(
          status -> {
            jdbc.update("insert into item values (1, 'a')");
            try (Stream<String> names1 =
                jdbc.queryForStream("select name from item", (rs, n) -> rs.getString(1))) {
              assertThat(names1.toList()).containsExactly("a");
            }
            jdbc.update("insert into item values (2, 'b')"); // still in the same transaction
          });
      assertThat(jdbc.queryForObject("select count(*) from item", Integer.class))
          .as("both rows committed")
          .isEqualTo(2);
      tx.executeWithoutResult(
          status -> {
            jdbc.update("insert into item values (3, 'c')");
            status.setRollbackOnly();
          });
      assertThat(jdbc.queryForObject("select count(*) from item", Integer.class)).isEqualTo(2);
    }
    assertNothingLeaked();
  }

  @Test
  void jooq_runsAsThePerson_andStreamsHandBack(PostgresServer s, TestNames names) throws Exception {
    setUp(s, names);
    DSLContext dsl = DSL.using(ub.dataSource("main"), SQLDialect.POSTGRES);
    try (Binding ignored = ub.bind(login)) {
      dsl.execute("insert into item values (1, 'a'), (2, 'b')");
      assertThat(dsl.fetchValue("select current_user")).isEqualTo(alice.role());
      try (Stream<org.jooq.Record> rows =
          dsl.resultQuery("select id, set_config('app.stream', 'yes', false)" + " from item")
              .fetchStream()) {
        assertThat(rows.count()).isEqualTo(2);
      }
      dsl.transaction(cfg -> DSL.using(cfg).execute("insert into item values (3, 'c')"));
      assertThat(dsl.fetchCount(DSL.table("item"))).isEqualTo(3);
      assertThat(leftovers()).isEqualTo("|0|" + alice.role() + "|\"$user\", public");
    }
    assertNothingLeaked();
  }

  /** A MyBatis mapper, by annotations. */
  public interface ItemMapper {
    @Select("select name from item order by id")
    List<String> names();

    @Select("select current_user")
    String whoAmI();

    @Insert("insert into item values (#{id}, #{name})")
    int add(@Param("id") int id, @Param("name") String name);
  }

  @Test
  void myBatis_sessionsRunAsThePerson(PostgresServer s, TestNames names) throws Exception {
    setUp(s, names);
    Configuration configuration =
        new Configuration(
            new Environment("main", new JdbcTransactionFactory(), ub.dataSource("main")));
    configuration.addMapper(ItemMapper.class);
    SqlSessionFactory factory = new SqlSessionFactoryBuilder().build(configuration);
    try (Binding ignored = ub.bind(login)) {
      try (SqlSession session = factory.openSession()) {
        session.getMapper(ItemMapper.class).add(1, "a");
        session.commit();
        ItemMapper mapper = session.getMapper(ItemMapper.class);
        assertThat(mapper.whoAmI()).isEqualTo(alice.role());
        assertThat(mapper.names()).containsExactly("a");
      }
      try (SqlSession session = factory.openSession()) {
        session.getMapper(ItemMapper.class).add(2, "b");
        // no commit: closing the session rolls back
      }
      assertThat(ub.stats("main").activeConnections()).isZero();
      try (SqlSession session = factory.openSession()) {
        assertThat(session.getMapper(ItemMapper.class).names()).containsExactly("a");
      }
    }
    assertNothingLeaked();
  }

  @Test
  void flyway_migratesAsThePerson_andLeavesTheSessionClean(PostgresServer s, TestNames names)
      throws Exception {
    setUp(s, names);
    try (Binding ignored = ub.bind(login)) {
      Flyway flyway =
          Flyway.configure()
              .dataSource(ub.dataSource("main"))
              .locations("classpath:db/clients")
              .schemas("app")
              .defaultSchema("app")
              .createSchemas(true)
              .load();
      assertThat(flyway.migrate().migrationsExecuted).isEqualTo(1);
      assertThat(ub.stats("main").activeConnections()).isZero();
      assertThat(leftovers()).isEqualTo("|0|" + alice.role() + "|\"$user\", public");
      try (Connection c = ub.connection("main");
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "select count(*), min(pg_catalog.pg_get_userbyid(c.relowner))"
                      + " from app.thing, pg_class c where c.relname = 'thing'")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(2);
        assertThat(rs.getString(2)).as("the migration ran as the person").isEqualTo(alice.role());
      }
    }
    assertNothingLeaked();
  }
}
