package io.userbound.servlet.entities.finance;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;

/** A finance entity for the Hibernate tests. */
@Entity
@Table(name = "invoice")
public class Invoice {

  @Id private Long id;

  private BigDecimal amount;

  protected Invoice() {}

  public Long id() {
    return id;
  }

  public BigDecimal amount() {
    return amount;
  }
}
