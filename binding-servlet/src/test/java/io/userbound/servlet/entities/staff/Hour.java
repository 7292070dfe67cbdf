package io.userbound.servlet.entities.staff;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;

/** A staff entity for the Hibernate tests. */
@Entity
@Table(name = "hour")
public class Hour {

  @Id private Long id;

  private BigDecimal hours;

  protected Hour() {}

  public Long id() {
    return id;
  }

  public BigDecimal hours() {
    return hours;
  }
}
