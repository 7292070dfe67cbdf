package io.userbound.sample.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.userbound.core.Binding;
import io.userbound.core.Login;
import io.userbound.core.NotBoundException;
import io.userbound.core.Userbound;
import io.userbound.sample.Dto.InvoiceJson;
import io.userbound.sample.finance.Invoice;
import io.userbound.sample.spring.finance.CustomerRepository;
import io.userbound.sample.spring.finance.InvoiceRepository;
import io.userbound.sample.spring.staff.HourRepository;
import io.userbound.servlet.HttpError;
import java.math.BigDecimal;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Spring Data repositories and {@code @Transactional} per database, called directly with a
 * login bound, as the sample's controllers are called inside a request. Same context as
 * {@link SpringSampleHttpTest} (same settings), so the same two PostgreSQL servers.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"userbound.login-throttling.failures-per-client=1000", "userbound.jmx=false"})
class SpringSampleTransactionsTest {

  @Autowired Userbound userbound;
  @Autowired InvoiceRepository invoices;
  @Autowired CustomerRepository customers;
  @Autowired HourRepository hours;
  @Autowired FinanceController finance;

  @Autowired
  @Qualifier("finance")
  PlatformTransactionManager financeTransactions;

  @Autowired
  @Qualifier("finance")
  DataSource financeData;

  private Login alice;
  private Login carol;
  private Login dave;

  @BeforeEach
  void checkForLeaks() {
    Leaks.checkAfterTheTest(userbound);
  }

  @BeforeEach
  void logIn() {
    alice = userbound.login("alice", "alice-pw".toCharArray());
    carol = userbound.login("carol", "carol-pw".toCharArray());
    dave = userbound.login("dave", "dave-pw".toCharArray());
  }

  @AfterEach
  void logOut() {
    for (Login l : List.of(alice, carol, dave)) {
      userbound.release(l);
    }
  }

  @Test
  void repositoryQuery_runsAsTheBoundPerson() {
    try (Binding b = userbound.bind(alice)) {
      List<Invoice> mine = invoices.createdByMe();
      assertThat(mine).isNotEmpty().allMatch(i -> i.getCreatedBy().equals("alice"));
    }
    try (Binding b = userbound.bind(carol)) {
      assertThat(invoices.createdByMe()).isEmpty();
      assertThat(invoices.count()).isPositive();
    }
    try (Binding b = userbound.bind(dave)) {
      assertThatThrownBy(() -> invoices.count())
          .satisfies(
              e ->
                  assertThat(HttpError.of(e))
                      .as("42501 in the cause chain")
                      .contains(HttpError.PERMISSION_DENIED));
    }
    try (Binding b = userbound.bind(dave)) {
      assertThat(hours.findAllByOrderByWorkDateDescIdDesc())
          .allMatch(h -> h.getPerson().equals("dave"));
    }
  }

  @Test
  void nothingBound_noConnection() {
    assertThatThrownBy(() -> invoices.count()).hasRootCauseInstanceOf(NotBoundException.class);
  }

  @Test
  void transaction_onFinance_rollsBackRepositoryAndJdbcWorkTogether() {
    TransactionTemplate tx = new TransactionTemplate(financeTransactions);
    JdbcTemplate jdbc = new JdbcTemplate(financeData);
    try (Binding b = userbound.bind(alice)) {
      long before = invoices.count();
      tx.executeWithoutResult(
          status -> {
            invoices.saveAndFlush(
                new Invoice(customers.findById(1L).orElseThrow(), new BigDecimal("3.00")));
            // JDBC on the database's DataSource runs on the transaction's own connection.
            assertThat(jdbc.queryForObject("SELECT count(*) FROM invoice", Long.class))
                .isEqualTo(before + 1);
            status.setRollbackOnly();
          });
      assertThat(invoices.count()).isEqualTo(before);
      tx.executeWithoutResult(
          status ->
              invoices.saveAndFlush(
                  new Invoice(customers.findById(2L).orElseThrow(), new BigDecimal("4.00"))));
      assertThat(invoices.count()).isEqualTo(before + 1);
    }
  }

  @Test
  void transactionalMethods_readOnlyThenWrite_asThePerson() {
    try (Binding b = userbound.bind(alice)) {
      // A read-only transaction, then a write on the same pooled connection: the read-only
      // flag did not stay on it.
      assertThat(finance.invoices()).isNotEmpty();
      InvoiceJson added = finance.addInvoice(new FinanceController.NewInvoice(3, "12.34"));
      assertThat(added.createdBy()).isEqualTo("alice");
      assertThat(added.amount()).isEqualTo("12.34");
    }
    try (Binding b = userbound.bind(carol)) {
      assertThatThrownBy(() -> finance.addInvoice(new FinanceController.NewInvoice(3, "1.00")))
          .satisfies(e -> assertThat(HttpError.of(e)).contains(HttpError.PERMISSION_DENIED));
    }
  }
}
