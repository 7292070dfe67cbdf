package io.userbound.hibernate;

import static io.userbound.hibernate.TestDatabases.assertNothingBorrowed;
import static org.assertj.core.api.Assertions.assertThat;

import io.userbound.core.AccessDeniedException;
import io.userbound.core.Binding;
import io.userbound.core.IsolationStrategy;
import io.userbound.core.Login;
import io.userbound.core.Userbound;
import io.userbound.hibernate.TestDatabases.Person;
import io.userbound.hibernate.it.finance.Employee;
import io.userbound.hibernate.it.finance.Invoice;
import io.userbound.hibernate.it.staff.Hour;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Many people on many threads, both databases: every row a person gets through Hibernate is
 * one PostgreSQL lets that person see (row-level security on {@code owner}/{@code person}),
 * and every GRANT difference shows, under any interleaving.
 */
class ConcurrencyTest {

  private static final int PEOPLE = 50;
  private static final int THREADS = 8;
  private static final int UNITS_PER_THREAD = 150;
  private static final int ROWS_EACH = 2;

  private static TestDatabases dbs;
  private static final List<Person> people = new ArrayList<>();

  @BeforeAll
  static void startServers() {
    dbs = TestDatabases.start(150);
    StringBuilder employees = new StringBuilder("insert into employee values ");
    StringBuilder hours = new StringBuilder("insert into hour values ");
    for (int i = 0; i < PEOPLE; i++) {
      // Even people are finance clerks (may read invoices); odd ones are HR (may not).
      Person p = dbs.person("p", i % 2 == 0 ? "finance_clerk" : "hr", "staff_member");
      people.add(p);
      for (int r = 0; r < ROWS_EACH; r++) {
        long id = i * 10L + r;
        String sep = i == 0 && r == 0 ? "" : ", ";
        employees
            .append(sep)
            .append("(")
            .append(id)
            .append(", 'e")
            .append(id)
            .append("', '")
            .append(p.role())
            .append("')");
        hours.append(sep).append("(").append(id).append(", 1, '").append(p.role()).append("', 1)");
      }
    }
    dbs.finance.execute("finance", employees.toString());
    dbs.staff.execute("staff", hours.toString());
  }

  @AfterAll
  static void stopServers() {
    if (dbs != null) {
      dbs.close();
    }
  }

  @ParameterizedTest
  @MethodSource("io.userbound.core.Strategies#supported")
  void isolation_manyPeopleManyThreadsBothDatabases_everyRowBelongsToTheBoundPerson(
      IsolationStrategy strategy) throws Exception {
    try (Userbound userbound = dbs.userbound(strategy);
        UserboundHibernate hibernate =
            UserboundHibernate.builder(userbound, TestDatabases.MAPPING).build()) {
      List<Login> logins = new ArrayList<>();
      for (Person p : people) {
        logins.add(userbound.login(p.role(), p.password()));
      }
      AtomicLong units = new AtomicLong();
      AtomicLong financeReads = new AtomicLong();
      AtomicLong staffReads = new AtomicLong();
      AtomicLong rowsChecked = new AtomicLong();
      AtomicLong denials = new AtomicLong();
      AtomicLong mismatches = new AtomicLong();
      List<String> firstMismatches = Collections.synchronizedList(new ArrayList<>());

      Callable<Void> worker =
          () -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int n = 0; n < UNITS_PER_THREAD; n++) {
              int i = random.nextInt(PEOPLE);
              String role = people.get(i).role();
              int other = (i + 1 + random.nextInt(PEOPLE - 1)) % PEOPLE;
              int what = random.nextInt(3); // 0: finance only, 1: staff only, 2: both
              try (Binding b = userbound.bind(logins.get(i));
                  UnitOfWork work = hibernate.openUnitOfWork()) {
                List<String> problems = new ArrayList<>();
                if (what != 1) {
                  List<Employee> rows =
                      work.of(Employee.class)
                          .createSelectionQuery("from Employee", Employee.class)
                          .getResultList();
                  financeReads.incrementAndGet();
                  rowsChecked.addAndGet(rows.size());
                  rows.stream()
                      .filter(e -> !e.getOwner().equals(role))
                      .forEach(e -> problems.add("employee " + e.getId() + " of " + e.getOwner()));
                  if (rows.size() != ROWS_EACH) {
                    problems.add(rows.size() + " employees");
                  }
                  if (work.of(Employee.class).find(Employee.class, other * 10L) != null) {
                    problems.add("employee of " + people.get(other).role() + " by id");
                  }
                }
                if (what != 0) {
                  List<Hour> rows =
                      work.of("staff")
                          .createSelectionQuery("from Hour", Hour.class)
                          .getResultList();
                  staffReads.incrementAndGet();
                  rowsChecked.addAndGet(rows.size());
                  rows.stream()
                      .filter(h -> !h.getPerson().equals(role))
                      .forEach(h -> problems.add("hour " + h.getId() + " of " + h.getPerson()));
                  if (rows.size() != ROWS_EACH) {
                    problems.add(rows.size() + " hours");
                  }
                  if (work.of(Hour.class).find(Hour.class, other * 10L + 1) != null) {
                    problems.add("hour of " + people.get(other).role() + " by id");
                  }
                }
                if (what != 1) {
                  boolean mayRead = i % 2 == 0;
                  try {
                    Invoice invoice = work.of(Invoice.class).find(Invoice.class, 1L);
                    if (!mayRead || invoice == null) {
                      problems.add("invoice read: " + invoice);
                    }
                  } catch (AccessDeniedException e) {
                    denials.incrementAndGet();
                    if (mayRead) {
                      problems.add("denied: " + e.getMessage());
                    }
                  }
                }
                if (!problems.isEmpty()) {
                  mismatches.addAndGet(problems.size());
                  if (firstMismatches.size() < 10) {
                    firstMismatches.add(role + ": " + problems);
                  }
                }
              }
              units.incrementAndGet();
            }
            return null;
          };

      long t0 = System.nanoTime();
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        List<Future<Void>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          futures.add(pool.submit(worker));
        }
        for (Future<Void> f : futures) {
          f.get(90, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      }
      long millis = (System.nanoTime() - t0) / 1_000_000;
      System.out.printf(
          "[hibernate concurrency, "
              + strategy
              + "] %d threads, %d people, %d units of work in %d ms: %d finance"
              + " reads, %d staff reads, %d rows checked, %d invoice denials, %d mismatches%n",
          THREADS,
          PEOPLE,
          units.get(),
          millis,
          financeReads.get(),
          staffReads.get(),
          rowsChecked.get(),
          denials.get(),
          mismatches.get());

      assertThat(firstMismatches).isEmpty();
      assertThat(mismatches.get()).isZero();
      assertThat(units.get()).isEqualTo((long) THREADS * UNITS_PER_THREAD);
      assertThat(financeReads.get()).isPositive();
      assertThat(staffReads.get()).isPositive();
      assertThat(denials.get()).isPositive();
      assertNothingBorrowed(userbound);
    }
  }
}
