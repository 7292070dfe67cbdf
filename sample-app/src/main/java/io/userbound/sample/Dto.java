package io.userbound.sample;

import io.userbound.sample.finance.Customer;
import io.userbound.sample.finance.Employee;
import io.userbound.sample.finance.Invoice;
import io.userbound.sample.staff.Hour;
import io.userbound.sample.staff.Project;
import java.math.BigDecimal;

/**
 * The JSON shapes of the entities: the columns of the schema in camel case, ids included.
 * Built inside the transaction, so nothing is loaded lazily after the session closes.
 */
public final class Dto {

  private Dto() {}

  public record EmployeeJson(long id, String name, String email, String department) {
    public static EmployeeJson of(Employee e) {
      return new EmployeeJson(e.getId(), e.getName(), e.getEmail(), e.getDepartment());
    }
  }

  public record CustomerJson(long id, String name, String country) {
    public static CustomerJson of(Customer c) {
      return new CustomerJson(c.getId(), c.getName(), c.getCountry());
    }
  }

  /** The amount is a string, "12.50", so that no client rounds money through a double. */
  public record InvoiceJson(
      long id, long customerId, String amount, String issuedOn, String createdBy) {
    public static InvoiceJson of(Invoice i) {
      return new InvoiceJson(
          i.getId(),
          i.getCustomer().getId(),
          i.getAmount().toPlainString(),
          i.getIssuedOn().toString(),
          i.getCreatedBy());
    }
  }

  public record ProjectJson(long id, String code, String name) {
    public static ProjectJson of(Project p) {
      return new ProjectJson(p.getId(), p.getCode(), p.getName());
    }
  }

  public record HourJson(
      long id, long projectId, String person, String workDate, BigDecimal hours, String note) {
    public static HourJson of(Hour h) {
      return new HourJson(
          h.getId(),
          h.getProject().getId(),
          h.getPerson(),
          h.getWorkDate().toString(),
          h.getHours(),
          h.getNote());
    }
  }
}
