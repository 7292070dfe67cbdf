package io.userbound.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.userbound.core.DatabaseConfig;
import io.userbound.core.NotBoundException;
import io.userbound.core.UnknownDatabaseException;
import io.userbound.core.Userbound;
import io.userbound.core.UserboundConfig;
import io.userbound.hibernate.it.finance.Customer;
import io.userbound.hibernate.it.finance.Employee;
import io.userbound.hibernate.it.finance.Invoice;
import io.userbound.hibernate.it.staff.Hour;
import io.userbound.hibernate.it.staff.Project;
import java.time.Duration;
import org.hibernate.Session;
import org.hibernate.boot.spi.SessionFactoryOptions;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Mapping, scanning and start-up. None of this needs a database: start-up connects to none,
 * which these tests prove by pointing Userbound at a port where nothing listens.
 */
class StartupTest {

  private static final String NOWHERE = "jdbc:postgresql://127.0.0.1:9/";

  private Userbound userbound;

  @BeforeEach
  void createUserbound() {
    userbound =
        Userbound.create(
            UserboundConfig.builder()
                .database(DatabaseConfig.builder("finance", NOWHERE + "finance").build())
                .database(DatabaseConfig.builder("staff", NOWHERE + "staff").build())
                .database(DatabaseConfig.builder("audit", NOWHERE + "audit").build())
                .build());
  }

  @AfterEach
  void closeUserbound() {
    userbound.close();
  }

  @Test
  void startup_buildsOneSessionFactoryPerDatabaseWithEntitiesWithoutConnecting() {
    long t0 = System.nanoTime();
    UserboundHibernate.builder(userbound, TestDatabases.MAPPING).build().close();
    long first = (System.nanoTime() - t0) / 1_000_000;
    long t1 = System.nanoTime();
    try (UserboundHibernate hibernate =
        UserboundHibernate.builder(userbound, TestDatabases.MAPPING).build()) {
      long again = (System.nanoTime() - t1) / 1_000_000;
      int entities = hibernate.entities("finance").size() + hibernate.entities("staff").size();
      System.out.printf(
          "[hibernate start-up] %d session factories for %d entities (scan included):"
              + " %d ms on this build, %d ms on the next one%n",
          hibernate.databases().size(), entities, first, again);

      assertThat(hibernate.databases()).containsExactly("finance", "staff");
      assertThat(hibernate.entities("finance"))
          .containsExactly(Customer.class, Employee.class, Invoice.class);
      assertThat(hibernate.entities("staff")).containsExactly(Hour.class, Project.class);
      assertThat(hibernate.entities("audit")).isEmpty();
      assertThat(hibernate.database(Invoice.class)).isEqualTo("finance");
      assertThat(hibernate.database(Hour.class)).isEqualTo("staff");
      assertThat(userbound.stats())
          .allSatisfy(s -> assertThat(s.loginsAccepted() + s.loginsRefused()).isZero());
    }
  }

  @Test
  void caches_areOffByDefaultEvenWithAProviderOnTheClasspath() {
    try (UserboundHibernate hibernate =
        UserboundHibernate.builder(userbound, TestDatabases.MAPPING).build()) {
      for (String db : hibernate.databases()) {
        SessionFactoryOptions options =
            hibernate
                .sessionFactory(db)
                .unwrap(SessionFactoryImplementor.class)
                .getSessionFactoryOptions();
        assertThat(options.isSecondLevelCacheEnabled()).as(db).isFalse();
        assertThat(options.isQueryCacheEnabled()).as(db).isFalse();
      }
    }
  }

  @Test
  void database_unmappedClass_namesTheClass() {
    try (UserboundHibernate hibernate =
        UserboundHibernate.builder(userbound, TestDatabases.MAPPING).build()) {
      assertThatThrownBy(() -> hibernate.database(String.class))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("java.lang.String is not a mapped entity; mapped: [");
      assertThatThrownBy(() -> hibernate.sessionFactory("audit"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "no entity is mapped to database 'audit'; databases with entities: [finance, staff]");
      assertThatThrownBy(() -> hibernate.sessionFactory("nope"))
          .isInstanceOf(UnknownDatabaseException.class);
    }
  }

  @Test
  void startup_entityInNoMappedPackage_namesTheClass() {
    EntityMapping mapping =
        EntityMapping.builder()
            .map("io.userbound.hibernate.bad.a", "finance")
            .map("io.userbound.hibernate.bad.b", "staff")
            .build();
    assertThat(mapping.scanRoots()).containsExactly("io.userbound.hibernate.bad");

    assertThatThrownBy(() -> UserboundHibernate.builder(userbound, mapping).build())
        .isInstanceOf(EntityMappingException.class)
        .hasMessage(
            "entity io.userbound.hibernate.bad.stray.Stray is in no mapped package; map its package"
                + " to a database (mapped: [io.userbound.hibernate.bad.a -> finance,"
                + " io.userbound.hibernate.bad.b -> staff], scanned:"
                + " [io.userbound.hibernate.bad])");
  }

  @Test
  void startup_entityUnderAnExtraScanRoot_namesTheClass() {
    EntityMapping mapping =
        EntityMapping.builder()
            .map("io.userbound.hibernate.bad.a", "finance")
            .alsoScan("io.userbound.hibernate.bad.stray")
            .build();
    assertThat(mapping.scanRoots())
        .containsExactly("io.userbound.hibernate.bad.a", "io.userbound.hibernate.bad.stray");

    assertThatThrownBy(() -> UserboundHibernate.builder(userbound, mapping).build())
        .isInstanceOf(EntityMappingException.class)
        .hasMessageStartingWith(
            "entity io.userbound.hibernate.bad.stray.Stray is in no mapped package;");
  }

  @Test
  void startup_entityInPackagesOfTwoDatabases_namesTheClassAndBothPackages() {
    EntityMapping mapping =
        EntityMapping.builder()
            .map("io.userbound.hibernate.bad.a", "finance")
            .map("io.userbound.hibernate.bad.a.inner", "staff")
            .build();

    assertThatThrownBy(() -> UserboundHibernate.builder(userbound, mapping).build())
        .isInstanceOf(EntityMappingException.class)
        .hasMessage(
            "entity io.userbound.hibernate.bad.a.inner.Inner is in io.userbound.hibernate.bad.a"
                + " (finance) and io.userbound.hibernate.bad.a.inner (staff): packages mapped to"
                + " different databases overlap; map each entity's package to one database");
  }

  @Test
  void startup_overlappingPackagesOfOneDatabase_areAccepted() {
    EntityMapping mapping =
        EntityMapping.builder()
            .map("io.userbound.hibernate.bad.a", "finance")
            .map("io.userbound.hibernate.bad.a.inner", "finance")
            .build();
    try (UserboundHibernate hibernate = UserboundHibernate.builder(userbound, mapping).build()) {
      assertThat(hibernate.databases()).containsExactly("finance");
      assertThat(hibernate.entities("finance")).hasSize(2);
    }
  }

  @Test
  void startup_packageMappedToUndeclaredDatabase_namesPackageAndDatabases() {
    EntityMapping mapping =
        EntityMapping.builder().map("io.userbound.hibernate.bad.a", "fiance").build();

    assertThatThrownBy(() -> UserboundHibernate.builder(userbound, mapping).build())
        .isInstanceOf(EntityMappingException.class)
        .hasMessage(
            "package io.userbound.hibernate.bad.a is mapped to database 'fiance', which the"
                + " Userbound configuration does not declare; declared: [finance, staff, audit]");
  }

  @Test
  void startup_mappedPackageWithoutEntities_isAnError() {
    EntityMapping mapping =
        EntityMapping.builder().map("io.userbound.hibernate.bad.empty", "finance").build();

    assertThatThrownBy(() -> UserboundHibernate.builder(userbound, mapping).build())
        .isInstanceOf(EntityMappingException.class)
        .hasMessage(
            "mapped package io.userbound.hibernate.bad.empty (database 'finance') and its"
                + " sub-packages hold no @Entity class; fix the package name or remove the"
                + " mapping");
  }

  @Test
  void mapping_invalidArguments_areRefusedAtOnce() {
    assertThatThrownBy(() -> EntityMapping.builder().map("com..example", "finance"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("packageName = 'com..example': not a Java package name");
    assertThatThrownBy(
            () -> EntityMapping.builder().map("com.example", "finance").map("com.example", "staff"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "packageName = com.example: mapped twice (to 'finance' and to 'staff'); map each"
                + " package once");
    assertThatThrownBy(() -> EntityMapping.builder().map("com.example", " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("database = ' ' for package com.example: must not be empty");
    assertThatThrownBy(() -> EntityMapping.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("packages = {}: map at least one package to a database");
  }

  @Test
  void mapping_packagesWithoutCommonParent_scanEachPackage() {
    EntityMapping mapping =
        EntityMapping.builder()
            .map("com.example.finance", "finance")
            .map("org.other", "staff")
            .alsoScan("com.example.finance.sub")
            .build();
    assertThat(mapping.scanRoots()).containsExactly("com.example.finance", "org.other");
  }

  @Test
  void setting_managedByUserbound_isRefusedWithReason() {
    UserboundHibernate.Builder builder =
        UserboundHibernate.builder(userbound, TestDatabases.MAPPING);
    assertThatThrownBy(
            () -> builder.setting("hibernate.connection.url", "jdbc:postgresql://db/finance"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "setting hibernate.connection.url: Userbound supplies every connection");
    assertThatThrownBy(() -> builder.setting("jakarta.persistence.jdbc.password", "secret"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> builder.setting("hibernate.hbm2ddl.auto", "update"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("validateSchema(Login)");
    assertThatThrownBy(() -> builder.setting("hibernate.cache.keys_factory", "simple"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cache keys must include the tenant");
    assertThatThrownBy(
            () -> builder.setting("hibernate.dialect", "org.hibernate.dialect.H2Dialect"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("42501");
    assertThatThrownBy(() -> builder.setting("hibernate.multi_tenant_connection_provider", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.setting("hibernate.boot.allow_jdbc_metadata_access", "true"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void hibernateRefusal_isReportedWithTheDatabase() {
    EntityMapping mapping =
        EntityMapping.builder().map("io.userbound.hibernate.bad.a", "finance").build();
    UserboundHibernate.Builder builder =
        UserboundHibernate.builder(userbound, mapping)
            .secondLevelCache(Duration.ofMinutes(1))
            .setting("hibernate.cache.region.factory_class", "no.such.RegionFactory");
    assertThatThrownBy(builder::build)
        .isInstanceOf(EntityMappingException.class)
        .hasMessageStartingWith(
            "Hibernate refused the entities of database 'finance' [Thing, Inner]: ");
  }

  @Test
  void openUnitOfWork_nothingBound_isRefused() {
    try (UserboundHibernate hibernate =
        UserboundHibernate.builder(userbound, TestDatabases.MAPPING).build()) {
      assertThatThrownBy(hibernate::openUnitOfWork)
          .isInstanceOf(NotBoundException.class)
          .hasMessageContaining("bind the login first");
      assertThat(hibernate.current()).isEmpty();
      // A session opened behind the unit of work's back may check queries, but gets no
      // connection (UnitOfWorkTest: not after someone is bound either).
      try (Session s = hibernate.sessionFactory("finance").openSession()) {
        assertThat(s.createQuery("from Invoice", Invoice.class)).isNotNull();
        assertThatThrownBy(() -> s.find(Invoice.class, 1L))
            .isInstanceOf(NotBoundException.class)
            .hasMessageContaining("was opened without a tenant while no login is bound");
      }
    }
  }
}
