package io.userbound.sample;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userbound.core.Userbound;
import io.userbound.hibernate.UnitOfWork;
import io.userbound.sample.Dto.CustomerJson;
import io.userbound.sample.Dto.EmployeeJson;
import io.userbound.sample.Dto.InvoiceJson;
import io.userbound.sample.finance.Customer;
import io.userbound.sample.finance.Employee;
import io.userbound.sample.finance.Invoice;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServletRequest;
import java.math.BigDecimal;
import java.util.List;

/**
 * {@code /api/finance/employees}, {@code /customers}, {@code /invoices} ({@code GET}) and
 * {@code POST /api/finance/invoices} with {@code {"customerId": n, "amount": "12.50"}}.
 * Everything runs as the logged-in person through the request's {@link UnitOfWork}: what
 * PostgreSQL refuses them is a 403.
 */
@Singleton
final class FinanceApi extends ApiServlet {

  private static final long serialVersionUID = 1L;
  private static final BigDecimal MAX_AMOUNT = new BigDecimal("9999999999.99");

  private final transient Provider<UnitOfWork> work;

  @Inject
  FinanceApi(ObjectMapper json, Userbound userbound, Provider<UnitOfWork> work) {
    super(json, userbound);
    this.work = work;
  }

  @Override
  Reply get(HttpServletRequest request) {
    login();
    String path = String.valueOf(request.getPathInfo());
    return switch (path) {
      case "/employees" ->
          list(work.get(), Employee.class, "from Employee order by id", EmployeeJson::of);
      case "/customers" ->
          list(work.get(), Customer.class, "from Customer order by id", CustomerJson::of);
      case "/invoices" ->
          list(work.get(), Invoice.class, "from Invoice order by id", InvoiceJson::of);
      default -> throw ApiError.notFound();
    };
  }

  @Override
  Reply post(HttpServletRequest request) {
    login();
    if (!"/invoices".equals(request.getPathInfo())) {
      throw List.of("/employees", "/customers").contains(request.getPathInfo())
          ? ApiError.methodNotAllowed()
          : ApiError.notFound();
    }
    ObjectNode body = body(request);
    long customerId = Fields.id(body, "customerId");
    BigDecimal amount = Fields.decimal(body, "amount", MAX_AMOUNT);
    return Reply.created(
        work.get()
            .fromTransaction(
                Invoice.class,
                s -> {
                  Customer customer = s.find(Customer.class, customerId);
                  if (customer == null) {
                    throw ApiError.badRequest();
                  }
                  Invoice invoice = new Invoice(customer, amount);
                  s.persist(invoice);
                  s.flush();
                  return InvoiceJson.of(invoice);
                }));
  }
}
