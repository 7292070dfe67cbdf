package io.userbound.hibernate.it.finance;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.math.BigDecimal;

/** An invoice: only finance clerks may read it. */
@Entity
@Table(name = "invoice")
@Cacheable
public class Invoice {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @ManyToOne(fetch = FetchType.LAZY, optional = false)
  @JoinColumn(name = "customer_id")
  private Customer customer;

  private BigDecimal amount;

  protected Invoice() {}

  public Invoice(Customer customer, BigDecimal amount) {
    this.customer = customer;
    this.amount = amount;
  }

  public Long getId() {
    return id;
  }

  public Customer getCustomer() {
    return customer;
  }

  public BigDecimal getAmount() {
    return amount;
  }
}
