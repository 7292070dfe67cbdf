package io.userbound.hibernate;

import static io.userbound.hibernate.TestDatabases.assertNothingBorrowed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.userbound.core.AccessDeniedException;
import io.userbound.core.Binding;
import io.userbound.core.Login;
import io.userbound.core.NotBoundException;
import io.userbound.core.Userbound;
import io.userbound.hibernate.TestDatabases.Person;
import io.userbound.hibernate.it.finance.Customer;
import io.userbound.hibernate.it.finance.Employee;
import io.userbound.hibernate.it.finance.Invoice;
import io.userbound.hibernate.it.staff.Hour;
import io.userbound.hibernate.it.staff.Project;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.hibernate.Session;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Units of work against the two real servers: GRANTs and row-level security as each person,
 * 42501 as AccessDeniedException, lazy sessions, transactions, and no connection left borrowed.
 */
class UnitOfWorkTest {

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
    dbs.finance.execute(
        "finance",
        "insert into employee values"
            + " (1, 'Ann', '"
            + alice.role()
            + "'), (2, 'Ben', '"
            + bob.role()
            + "'), (3, 'Cy', '"
            + alice.role()
            + "')");
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
    hibernate = UserboundHibernate.builder(userbound, TestDatabases.MAPPING).build();
    aliceLogin = userbound.login(alice.role(), alice.password());
    bobLogin = userbound.login(bob.role(), bob.password());
  }

  @AfterEach
  void stop() {
    try {
      assertThat(userbound.current()).as("binding left open").isEmpty();
      assertThat(hibernate.current()).as("unit of work left open").isEmpty();
      assertNothingBorrowed(userbound);
    } finally {
      hibernate.close();
      userbound.close();
    }
  }

  @Test
  void grants_eachPersonSeesWhatTheirRoleMaySee() {
    try (Binding b = userbound.bind(aliceLogin);
        UnitOfWork work = hibernate.openUnitOfWork()) {
      Invoice invoice = work.of(Invoice.class).find(Invoice.class, 1L);
      assertThat(invoice.getAmount()).isEqualByComparingTo("100.00");
      assertThat(invoice.getCustomer().getName()).isEqualTo("ACME");
      assertThat(
              work.of("finance")
                  .createSelectionQuery("from Invoice", Invoice.class)
                  .getResultList())
          .hasSizeGreaterThanOrEqualTo(3);
      assertThat(work.of(Project.class).find(Project.class, 1L).getName()).isEqualTo("Apollo");
      assertThat(currentUser(work.of("finance"))).isEqualTo(alice.role());
      assertThat(currentUser(work.of("staff"))).isEqualTo(alice.role());
    }
    try (Binding b = userbound.bind(bobLogin);
        UnitOfWork work = hibernate.openUnitOfWork()) {
      assertThat(work.of(Customer.class).find(Customer.class, 2L).getName()).isEqualTo("Globex");
      assertThatThrownBy(() -> work.of(Invoice.class).find(Invoice.class, 1L))
          .isInstanceOf(PermissionDeniedException.class)
          .isInstanceOf(AccessDeniedException.class)
          .hasMessage(
              "database 'finance' refused role '"
                  + bob.role()
                  + "': permission denied for table invoice"
                  + " (SQLSTATE 42501)")
          .satisfies(
              e -> {
                PermissionDeniedException p = (PermissionDeniedException) e;
                assertThat(p.database()).isEqualTo("finance");
                assertThat(p.role()).isEqualTo(bob.role());
                assertThat(p.sqlState()).isEqualTo("42501");
              });
    }
  }

  @Test
  void accessDenied_rightAfterAnotherPersonLoadedTheRows_cacheOff() {
    try (Binding b = userbound.bind(aliceLogin);
        UnitOfWork work = hibernate.openUnitOfWork()) {
      assertThat(
              work.of(Invoice.class)
                  .createSelectionQuery("from Invoice", Invoice.class)
                  .getResultList())
          .hasSizeGreaterThanOrEqualTo(3);
      assertThat(work.of(Invoice.class).find(Invoice.class, 2L)).isNotNull();
    }
    try (Binding b = userbound.bind(bobLogin);
        UnitOfWork work = hibernate.openUnitOfWork()) {
      assertThatThrownBy(() -> work.of(Invoice.class).find(Invoice.class, 2L))
          .isInstanceOf(AccessDeniedException.class);
      assertThatThrownBy(
              () ->
                  work.of(Invoice.class)
                      .createSelectionQuery("from Invoice", Invoice.class)
                      .getResultList())
          .isInstanceOf(AccessDeniedException.class);
      assertThatThrownBy(
              () ->
                  work.of(Invoice.class)
                      .createSelectionQuery(
                          "select i.amount from Invoice i where i.id = 2", BigDecimal.class)
                      .getSingleResult())
          .isInstanceOf(AccessDeniedException.class);
    }
  }

  @Test
  void rowLevelSecurity_filtersRowsPerPersonThroughHibernate() {
    for (Person p : List.of(alice, bob)) {
      Login login = p.equals(alice) ? aliceLogin : bobLogin;
      try (Binding b = userbound.bind(login);
          UnitOfWork work = hibernate.openUnitOfWork()) {
        List<Hour> hours =
            work.of(Hour.class)
                .createSelectionQuery("from Hour order by id", Hour.class)
                .getResultList();
        assertThat(hours)
            .isNotEmpty()
            .allSatisfy(h -> assertThat(h.getPerson()).isEqualTo(p.role()));
        List<Employee> employees =
            work.of(Employee.class)
                .createSelectionQuery("from Employee", Employee.class)
                .getResultList();
        assertThat(employees)
            .isNotEmpty()
            .allSatisfy(e -> assertThat(e.getOwner()).isEqualTo(p.role()));
        long otherHour = p.equals(alice) ? 2L : 1L;
        assertThat(work.of(Hour.class).find(Hour.class, otherHour))
            .as("someone else's row")
            .isNull();
      }
    }
  }

  @Test
  void rowLevelSecurity_rowForSomeoneElse_isAccessDeniedAndRolledBack() {
    try (Binding b = userbound.bind(aliceLogin);
        UnitOfWork work = hibernate.openUnitOfWork()) {
      assertThatThrownBy(
              () ->
                  work.inTransaction(
                      Hour.class,
                      s -> {
                        Project project = s.getReference(Project.class, 1L);
                        s.persist(new Hour(100L, project, alice.role(), new BigDecimal("1")));
                        s.persist(
                            new Hour(
                                101L,
                                project,
                                bob.role(),
                                new BigDecimal("2"))); // violates the policy
                      }))
          .isInstanceOf(PermissionDeniedException.class)
          .hasMessageContaining("new row violates row-level security policy for table \"hour\"");
      assertThat(work.openDatabases()).as("the failed session is dropped").isEmpty();
      assertThat(work.of(Hour.class).find(Hour.class, 100L)).as("rolled back").isNull();
    }
  }

  @Test
  void unitOfWork_opensSessionsLazilyAndOnlyWhereUsed() {
    try (Binding b = userbound.bind(aliceLogin);
        UnitOfWork work = hibernate.openUnitOfWork()) {
      assertThat(work.openDatabases()).isEmpty();
      Session finance = work.of(Invoice.class);
      assertThat(work.of("finance")).isSameAs(finance);
      assertThat(work.of(Customer.class)).isSameAs(finance);
      finance.find(Invoice.class, 1L);
      assertThat(work.openDatabases()).containsExactly("finance");
      assertThat(userbound.stats("staff").pools()).isZero();
    }
    assertThat(userbound.stats("staff").pools()).as("nothing opened on staff").isZero();
    assertThat(userbound.stats("staff").loginsAccepted()).isZero();
  }

  @Test
  void unitOfWork_hibernateProxyClass_findsItsDatabase() {
    try (Binding b = userbound.bind(aliceLogin);
        UnitOfWork work = hibernate.openUnitOfWork()) {
      Customer ref = work.of(Customer.class).getReference(Customer.class, 1L);
      assertThat(ref.getClass()).isNotEqualTo(Customer.class);
      assertThat(work.of(ref.getClass())).isSameAs(work.of(Customer.class));
    }
  }

  @Test
  void close_returnsEveryConnectionAlsoAfterExceptions() {
    try (Binding b = userbound.bind(bobLogin)) {
      UnitOfWork work = hibernate.openUnitOfWork();
      try {
        work.of(Hour.class).createSelectionQuery("from Hour", Hour.class).getResultList();
        work.of(Customer.class).find(Customer.class, 1L);
        assertThatThrownBy(() -> work.of(Invoice.class).find(Invoice.class, 1L))
            .isInstanceOf(AccessDeniedException.class);
        work.of(Hour.class).beginTransaction(); // left open on purpose, holding its connection
        work.of(Hour.class).createSelectionQuery("from Hour", Hour.class).getResultList();
        assertThat(userbound.stats("staff").activeConnections()).isEqualTo(1);
      } finally {
        work.close();
      }
      assertThat(work.isClosed()).isTrue();
      assertThat(work.openDatabases()).isEmpty();
      assertNothingBorrowed(userbound);
      assertThatThrownBy(() -> work.of(Invoice.class))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("this unit of work of role '" + bob.role() + "' is closed");
      work.close();
    }
  }

  @Test
  void inTransaction_commitsOnOneDatabase() {
    long id;
    try (Binding b = userbound.bind(aliceLogin);
        UnitOfWork work = hibernate.openUnitOfWork()) {
      id =
          work.fromTransaction(
              Invoice.class,
              s -> {
                Invoice invoice =
                    new Invoice(s.getReference(Customer.class, 2L), new BigDecimal("12.34"));
                s.persist(invoice);
                return invoice.getId();
              });
    }
    try (Binding b = userbound.bind(aliceLogin);
        UnitOfWork work = hibernate.openUnitOfWork()) {
      assertThat(work.of(Invoice.class).find(Invoice.class, id).getAmount())
          .isEqualByComparingTo("12.34");
      work.inTransaction("finance", s -> s.remove(s.find(Invoice.class, id)));
      assertThat(work.of(Invoice.class).find(Invoice.class, id)).isNull();
    }
  }

  @Test
  void inTransaction_exceptionRollsBackAndDropsTheSession() {
    try (Binding b = userbound.bind(aliceLogin);
        UnitOfWork work = hibernate.openUnitOfWork()) {
      Session before = work.of(Customer.class);
      assertThatThrownBy(
              () ->
                  work.inTransaction(
                      Customer.class,
                      s -> {
                        s.persist(new Customer(50L, "Initech"));
                        s.flush();
                        throw new IllegalStateException("boom");
                      }))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("boom");
      assertThat(before.isOpen()).isFalse();
      assertThat(userbound.stats("finance").activeConnections()).isZero();
      assertThat(work.of(Customer.class).find(Customer.class, 50L)).isNull();
    }
  }

  @Test
  void inTransaction_doesNotNest() {
    try (Binding b = userbound.bind(aliceLogin);
        UnitOfWork work = hibernate.openUnitOfWork()) {
      assertThatThrownBy(
              () -> work.inTransaction("finance", s -> work.inTransaction(Invoice.class, t -> {})))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "a transaction is already active on database 'finance' in this unit of work;"
                  + " transactions do not nest");
    }
  }

  @Test
  void inTransaction_deniedAtCommit_surfacesAsAccessDenied() {
    try (Binding b = userbound.bind(bobLogin);
        UnitOfWork work = hibernate.openUnitOfWork()) {
      assertThatThrownBy(
              () ->
                  work.inTransaction(
                      Invoice.class,
                      s ->
                          s.persist(
                              new Invoice(s.getReference(Customer.class, 1L), BigDecimal.ONE))))
          .isInstanceOf(PermissionDeniedException.class)
          .hasMessageContaining("permission denied for table invoice");
    }
  }

  @Test
  void current_followsOpenAndCloseWithNesting() {
    try (Binding b = userbound.bind(aliceLogin)) {
      assertThat(hibernate.current()).isEmpty();
      try (UnitOfWork outer = hibernate.openUnitOfWork()) {
        assertThat(hibernate.current()).containsSame(outer);
        try (UnitOfWork inner = hibernate.openUnitOfWork()) {
          assertThat(hibernate.current()).containsSame(inner);
          assertThat(inner.login()).isSameAs(aliceLogin);
        }
        assertThat(hibernate.current()).containsSame(outer);
      }
      assertThat(hibernate.current()).isEmpty();
    }
  }

  @Test
  void unitOfWork_anotherPersonBound_isRefused() {
    try (Binding b = userbound.bind(aliceLogin);
        UnitOfWork work = hibernate.openUnitOfWork()) {
      try (Binding other = userbound.bind(bobLogin)) {
        assertThatThrownBy(() -> work.of(Invoice.class))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage(
                "this unit of work runs as role '"
                    + alice.role()
                    + "', but role '"
                    + bob.role()
                    + "' is bound to this thread now");
      }
      assertThat(work.of(Invoice.class).find(Invoice.class, 1L)).isNotNull();
    }
  }

  @Test
  void unitOfWork_otherThread_isRefused() throws Exception {
    try (Binding b = userbound.bind(aliceLogin);
        UnitOfWork work = hibernate.openUnitOfWork()) {
      CompletableFuture<Session> elsewhere =
          CompletableFuture.supplyAsync(() -> work.of(Invoice.class));
      assertThatThrownBy(elsewhere::get)
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("a unit of work belongs to the thread that opened it");
    }
  }

  @Test
  void connectionProvider_sessionOfAnotherTenant_getsNoConnection() {
    try (Binding b = userbound.bind(bobLogin);
        Session forged =
            hibernate
                .sessionFactory("finance")
                .withOptions()
                .tenantIdentifier((Object) alice.role())
                .openSession()) {
      assertThatThrownBy(() -> forged.find(Invoice.class, 1L))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "Hibernate asked for a connection to database 'finance' for tenant '"
                  + alice.role()
                  + "', but the login bound to this thread is '"
                  + bob.role()
                  + "'; a session may only be used while its own person is bound");
    }
  }

  @Test
  void sessionFactory_sessionWithoutTenant_takesTheBoundLogin() {
    try (Binding b = userbound.bind(aliceLogin);
        Session s = hibernate.sessionFactory("staff").openSession()) {
      assertThat(s.getTenantIdentifierValue()).isEqualTo(alice.role());
      assertThat(currentUser(s)).isEqualTo(alice.role());
    }
  }

  @Test
  void sessionOpenedUnbound_getsNoConnectionEvenAfterALoginIsBound() {
    try (Session s = hibernate.sessionFactory("finance").openSession()) {
      assertThat(s.getTenantIdentifierValue()).isEqualTo("");
      try (Binding b = userbound.bind(aliceLogin)) {
        assertThatThrownBy(() -> s.find(Invoice.class, 1L))
            .isInstanceOf(NotBoundException.class)
            .hasMessageContaining("was opened without a tenant");
      }
    }
  }

  @Test
  void session_usedAfterTheBindingEnded_getsNotBound() {
    Binding b = userbound.bind(aliceLogin);
    UnitOfWork work = hibernate.openUnitOfWork();
    Session s = work.of(Invoice.class);
    b.close();
    try {
      assertThatThrownBy(() -> s.find(Invoice.class, 1L))
          .isInstanceOf(NotBoundException.class)
          .hasMessageContaining("no login is bound to this thread");
    } finally {
      work.close();
    }
  }

  @Test
  void validateSchema_asAPersonWhoMaySeeTheTables_passes() {
    hibernate.validateSchema(aliceLogin);
    assertThat(userbound.current()).isEmpty();
  }

  @Test
  void validateSchema_checksTablesNotPrivileges() {
    hibernate.validateSchema(bobLogin); // bob may not read invoice, but the catalogs show it
  }

  @Test
  void validateSchema_missingTables_namesThem() {
    EntityMapping mapping =
        EntityMapping.builder().map("io.userbound.hibernate.bad.a", "staff").build();
    try (UserboundHibernate wrong = UserboundHibernate.builder(userbound, mapping).build()) {
      assertThatThrownBy(() -> wrong.validateSchema(aliceLogin))
          .isInstanceOf(EntityMappingException.class)
          .hasMessageStartingWith(
              "schema validation as role '" + alice.role() + "' failed: database 'staff': ")
          .hasMessageContaining("missing table");
    }
  }

  private static String currentUser(Session s) {
    return s.createNativeQuery("select current_user", String.class).getSingleResult();
  }
}
