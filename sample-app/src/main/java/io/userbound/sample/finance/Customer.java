package io.userbound.sample.finance;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code customer}. Read-only in the sample; not thread-safe, like every entity. */
@Entity
@Table(name = "customer")
public class Customer {

  @Id private Long id;
  private String name;
  private String country;

  /** For Hibernate. */
  protected Customer() {}

  /** {@return the primary key} */
  public Long getId() {
    return id;
  }

  /** {@return the company name} */
  public String getName() {
    return name;
  }

  /** {@return the ISO 3166 country code} */
  public String getCountry() {
    return country;
  }
}
