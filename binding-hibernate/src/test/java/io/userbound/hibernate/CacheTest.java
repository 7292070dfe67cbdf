package io.userbound.hibernate;

import static io.userbound.hibernate.TestDatabases.assertNothingBorrowed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.userbound.core.AccessDeniedException;
import io.userbound.core.Binding;
import io.userbound.core.Login;
import io.userbound.core.Userbound;
import io.userbound.hibernate.TestDatabases.Person;
import io.userbound.hibernate.it.finance.Invoice;
import io.userbound.hibernate.it.staff.Hour;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Second-level and query caches turned on, with a real provider (JCache on Caffeine): a
 * cached row never reaches a person whose role may not read it; PostgreSQL decides.
 */
class CacheTest {

  private static final String AMOUNT_OF_INVOICE_2 = "select i.amount from Invoice i where i.id = 2";
  /*
   * Long enough that a test's own requests fall in one window most of the time, short for the
   * REVOKE test.
   */
  private static final Duration STALENESS = Duration.ofSeconds(2);

  private static TestDatabases dbs;
  private static Person alice; // finance_clerk, staff_member
  private static Person bob; // hr, staff_member: no SELECT on invoice

  private Userbound userbound;
  private UserboundHibernate hibernate;
  private Login aliceLogin;
  private Login bobLogin;

  @BeforeAll
  static void startServers() {
    dbs = TestDatabases.start(100);
    alice = dbs.person("alice", "finance_clerk", "staff_member");
    bob = dbs.person("bob", "hr", "staff_member");
    dbs.staff.execute(
        "staff",
        "insert into hour values"
            + " (1, 1, '"
            + alice.role()
            + "', 7.5), (2, 2, '"
            + bob.role()
            + "', 3), (3, 2, '"
            + alice.role()
            + "', 1)");
  }

  @AfterAll
  static void stopServers() {
    if (dbs != null) {
      dbs.close();
    }
  }

  @BeforeEach
  void start() {
    userbound = dbs.userbound();
    hibernate =
        UserboundHibernate.builder(userbound, TestDatabases.MAPPING)
            .secondLevelCache(STALENESS)
            .setting("hibernate.cache.region.factory_class", "jcache")
            .setting(
                "hibernate.javax.cache.provider",
                "com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider")
            .setting("hibernate.javax.cache.missing_cache_strategy", "create")
            .setting("hibernate.generate_statistics", "true")
            .build();
    aliceLogin = userbound.login(alice.role(), alice.password());
    bobLogin = userbound.login(bob.role(), bob.password());
  }

  @AfterEach
  void stop() {
    try {
      assertNothingBorrowed(userbound);
    } finally {
      hibernate.close();
      userbound.close();
    }
  }

  @Test
  void cacheOn_personWithoutSelect_getsAccessDeniedNeverTheCachedRow() {
    Statistics stats = hibernate.sessionFactory("finance").getStatistics();
    assertThat(
            hibernate
                .sessionFactory("finance")
                .unwrap(SessionFactoryImplementor.class)
                .getCache()
                .getDefaultQueryResultsCache()
                .getRegion()
                .getClass()
                .getSimpleName())
        .as("query results keyed by tenant")
        .isEqualTo("TenantKeyedQueryResults");
    // Both requests must fall in one staleness window (windows are aligned to the clock,
    // see CachePartitions): if the second one crossed into the next, it rightly missed the
    // cache, and the pair runs again (at most three times).
    long statements = -1;
    for (int attempt = 0; ; attempt++) {
      long window = Math.floorDiv(System.nanoTime(), STALENESS.toNanos());
      try (Binding b = userbound.bind(aliceLogin);
          UnitOfWork work = hibernate.openUnitOfWork()) {
        assertThat(work.of(Invoice.class).find(Invoice.class, 2L).getAmount())
            .isEqualByComparingTo("250.50");
        assertThat(
                work.of(Invoice.class)
                    .createSelectionQuery("from Invoice", Invoice.class)
                    .setCacheable(true)
                    .getResultList())
            .hasSizeGreaterThanOrEqualTo(3);
        assertThat(
                work.of(Invoice.class)
                    .createSelectionQuery(AMOUNT_OF_INVOICE_2, BigDecimal.class)
                    .setCacheable(true)
                    .getSingleResult())
            .isEqualByComparingTo("250.50");
      }
      // The cache is really in use: alice's next request is served from it, without SQL.
      statements = stats.getPrepareStatementCount();
      try (Binding b = userbound.bind(aliceLogin);
          UnitOfWork work = hibernate.openUnitOfWork()) {
        assertThat(work.of(Invoice.class).find(Invoice.class, 2L)).isNotNull();
        assertThat(
                work.of(Invoice.class)
                    .createSelectionQuery(AMOUNT_OF_INVOICE_2, BigDecimal.class)
                    .setCacheable(true)
                    .getSingleResult())
            .isEqualByComparingTo("250.50");
      }
      if (Math.floorDiv(System.nanoTime(), STALENESS.toNanos()) == window || attempt == 2) {
        break;
      }
    }
    assertThat(stats.getPrepareStatementCount()).isEqualTo(statements);
    assertThat(stats.getSecondLevelCacheHitCount()).isPositive();
    assertThat(stats.getQueryCacheHitCount()).isPositive();

    try (Binding b = userbound.bind(bobLogin);
        UnitOfWork work = hibernate.openUnitOfWork()) {
      assertThatThrownBy(() -> work.of(Invoice.class).find(Invoice.class, 2L))
          .isInstanceOf(AccessDeniedException.class)
          .hasMessageContaining("permission denied for table invoice");
      assertThatThrownBy(
              () ->
                  work.of(Invoice.class)
                      .createSelectionQuery("from Invoice", Invoice.class)
                      .setCacheable(true)
                      .getResultList())
          .isInstanceOf(AccessDeniedException.class);
      assertThatThrownBy(
              () ->
                  work.of(Invoice.class)
                      .createSelectionQuery(AMOUNT_OF_INVOICE_2, BigDecimal.class)
                      .setCacheable(true)
                      .getSingleResult())
          .isInstanceOf(AccessDeniedException.class);
    }
  }

  @Test
  void revokedGrant_stopsReachingThePersonWithinTheStatedBound() {
    Person carl = dbs.person("carl", "finance_clerk");
    Login carlLogin = userbound.login(carl.role(), carl.password());
    try (Binding b = userbound.bind(carlLogin);
        UnitOfWork work = hibernate.openUnitOfWork()) {
      assertThat(work.of(Invoice.class).find(Invoice.class, 2L)).isNotNull();
      assertThat(
              work.of(Invoice.class)
                  .createSelectionQuery(AMOUNT_OF_INVOICE_2, BigDecimal.class)
                  .setCacheable(true)
                  .getSingleResult())
          .isEqualByComparingTo("250.50");
    }
    dbs.finance.execute("postgres", "revoke finance_clerk from " + carl.role());
    long revokedAt = System.nanoTime();
    boolean refused = false;
    while (!refused) {
      try (Binding b = userbound.bind(carlLogin);
          UnitOfWork work = hibernate.openUnitOfWork()) {
        work.of(Invoice.class).find(Invoice.class, 2L);
        work.of(Invoice.class)
            .createSelectionQuery(AMOUNT_OF_INVOICE_2, BigDecimal.class)
            .setCacheable(true)
            .getSingleResult();
        // still served from the cache: allowed only within the bound
        assertThat(Duration.ofNanos(System.nanoTime() - revokedAt))
            .as("served after the bound")
            .isLessThan(STALENESS);
      } catch (AccessDeniedException expected) {
        refused = true;
      }
    }
  }

  @Test
  void newLogin_neverSeesTheEntriesOfTheOldOne() {
    Person dora = dbs.person("dora", "finance_clerk");
    Login first = userbound.login(dora.role(), dora.password());
    try (Binding b = userbound.bind(first);
        UnitOfWork work = hibernate.openUnitOfWork()) {
      assertThat(work.of(Invoice.class).find(Invoice.class, 2L)).isNotNull();
    }
    dbs.finance.execute("postgres", "revoke finance_clerk from " + dora.role());
    userbound.logout(first);
    Login again = userbound.login(dora.role(), dora.password());
    try (Binding b = userbound.bind(again);
        UnitOfWork work = hibernate.openUnitOfWork()) {
      assertThatThrownBy(() -> work.of(Invoice.class).find(Invoice.class, 2L))
          .as("a new login starts from an empty cache")
          .isInstanceOf(AccessDeniedException.class);
    }
  }

  @Test
  void cachesOn_needAStatedBound() {
    assertThatThrownBy(
            () ->
                UserboundHibernate.builder(userbound, TestDatabases.MAPPING)
                    .setting("hibernate.cache.use_second_level_cache", "true"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("secondLevelCache(Duration");
  }

  @Test
  void cacheOn_rowLevelSecurity_othersCachedRowsStayHidden() {
    try (Binding b = userbound.bind(aliceLogin);
        UnitOfWork work = hibernate.openUnitOfWork()) {
      assertThat(work.of(Hour.class).find(Hour.class, 1L).getPerson()).isEqualTo(alice.role());
      assertThat(
              work.of(Hour.class)
                  .createSelectionQuery("from Hour", Hour.class)
                  .setCacheable(true)
                  .getResultList())
          .extracting(Hour::getPerson)
          .containsOnly(alice.role());
      assertThat(
              work.of(Hour.class)
                  .createSelectionQuery("select count(*) from Hour", Long.class)
                  .setCacheable(true)
                  .getSingleResult())
          .isEqualTo(2L);
    }
    try (Binding b = userbound.bind(bobLogin);
        UnitOfWork work = hibernate.openUnitOfWork()) {
      assertThat(work.of(Hour.class).find(Hour.class, 1L)).as("alice's cached row").isNull();
      List<Hour> hours =
          work.of(Hour.class)
              .createSelectionQuery("from Hour", Hour.class)
              .setCacheable(true)
              .getResultList();
      assertThat(hours).extracting(Hour::getPerson).containsOnly(bob.role());
      assertThat(
              work.of(Hour.class)
                  .createSelectionQuery("select count(*) from Hour", Long.class)
                  .setCacheable(true)
                  .getSingleResult())
          .isEqualTo(1L);
    }
  }
}
