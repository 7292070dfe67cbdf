package io.userbound.sample.finance;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;
import org.hibernate.annotations.Generated;
import org.hibernate.generator.EventType;

/**
 * A row of {@code invoice}. The application writes only the customer and the amount:
 * PostgreSQL fills {@code issued_on} and {@code created_by} (the role that inserted the row),
 * and the {@code finance_writer} grant covers no other column. Not thread-safe.
 */
@Entity
@Table(name = "invoice")
public class Invoice {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @ManyToOne(fetch = FetchType.LAZY, optional = false)
  @JoinColumn(name = "customer_id")
  private Customer customer;

  @Column(precision = 12, scale = 2)
  private BigDecimal amount;

  @Generated(event = EventType.INSERT)
  @Column(name = "issued_on")
  private LocalDate issuedOn;

  @Generated(event = EventType.INSERT)
  @Column(name = "created_by")
  private String createdBy;

  /** For Hibernate. */
  protected Invoice() {}

  /**
   * Creates a new invoice, to persist.
   *
   * @param customer the customer billed
   * @param amount the amount, positive, two decimal places
   */
  public Invoice(Customer customer, BigDecimal amount) {
    this.customer = Objects.requireNonNull(customer, "customer");
    this.amount = Objects.requireNonNull(amount, "amount");
  }

  /** {@return the primary key; {@code null} until persisted} */
  public Long getId() {
    return id;
  }

  /** {@return the customer (a lazy reference: its id is free, its fields cost a query)} */
  public Customer getCustomer() {
    return customer;
  }

  /** {@return the amount} */
  public BigDecimal getAmount() {
    return amount;
  }

  /** {@return the day it was issued, set by PostgreSQL} */
  public LocalDate getIssuedOn() {
    return issuedOn;
  }

  /** {@return the role that created it, set by PostgreSQL} */
  public String getCreatedBy() {
    return createdBy;
  }
}
