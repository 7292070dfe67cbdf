package io.userbound.sample.spring;

import io.userbound.sample.Dto.CustomerJson;
import io.userbound.sample.Dto.EmployeeJson;
import io.userbound.sample.Dto.InvoiceJson;
import io.userbound.sample.finance.Customer;
import io.userbound.sample.finance.Invoice;
import io.userbound.sample.spring.finance.CustomerRepository;
import io.userbound.sample.spring.finance.EmployeeRepository;
import io.userbound.sample.spring.finance.InvoiceRepository;
import java.math.BigDecimal;
import java.util.List;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/finance}: Spring Data repositories on {@code finance}, each call as the person
 * logged in. The JSON is built inside the transaction, so nothing loads lazily after it.
 */
@RestController
@RequestMapping("/api/finance")
public class FinanceController {

  private static final BigDecimal MAX_AMOUNT = new BigDecimal("9999999999.99");
  private static final Sort BY_ID = Sort.by("id");

  private final EmployeeRepository employees;
  private final CustomerRepository customers;
  private final InvoiceRepository invoices;

  FinanceController(
      EmployeeRepository employees, CustomerRepository customers, InvoiceRepository invoices) {
    this.employees = employees;
    this.customers = customers;
    this.invoices = invoices;
  }

  /** The body of {@code POST /api/finance/invoices}. */
  record NewInvoice(Object customerId, Object amount) {}

  /**
   * Lists employees.
   *
   * @return the rows the person may read
   */
  @GetMapping("/employees")
  @Transactional(value = "finance", readOnly = true)
  public List<EmployeeJson> employees() {
    return employees.findAll(BY_ID).stream().map(EmployeeJson::of).toList();
  }

  /**
   * Lists customers.
   *
   * @return the rows the person may read
   */
  @GetMapping("/customers")
  @Transactional(value = "finance", readOnly = true)
  public List<CustomerJson> customers() {
    return customers.findAll(BY_ID).stream().map(CustomerJson::of).toList();
  }

  /**
   * Lists invoices.
   *
   * @return the rows the person may read
   */
  @GetMapping("/invoices")
  @Transactional(value = "finance", readOnly = true)
  public List<InvoiceJson> invoices() {
    return invoices.findAll(BY_ID).stream().map(InvoiceJson::of).toList();
  }

  /**
   * Lists the invoices the person created.
   *
   * @return the rows
   */
  @GetMapping("/invoices/mine")
  @Transactional(value = "finance", readOnly = true)
  public List<InvoiceJson> myInvoices() {
    return invoices.createdByMe().stream().map(InvoiceJson::of).toList();
  }

  /**
   * Adds an invoice; PostgreSQL fills {@code createdBy} with the person's role.
   *
   * @param body {@code {"customerId": 1, "amount": "12.50"}}
   * @return the invoice
   */
  @PostMapping(path = "/invoices", consumes = MediaType.APPLICATION_JSON_VALUE)
  @ResponseStatus(HttpStatus.CREATED)
  @Transactional("finance")
  public InvoiceJson addInvoice(@RequestBody NewInvoice body) {
    if (body == null) {
      throw new ApiErrors.BadRequest();
    }
    long customerId = Fields.id(body.customerId());
    BigDecimal amount = Fields.decimal(body.amount(), MAX_AMOUNT);
    Customer customer = customers.findById(customerId).orElseThrow(ApiErrors.BadRequest::new);
    Invoice invoice = invoices.saveAndFlush(new Invoice(customer, amount));
    return InvoiceJson.of(invoice);
  }
}
