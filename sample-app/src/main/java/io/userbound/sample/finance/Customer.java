package io.userbound.sample.finance;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code customer}. Read-only in the sample; not thread-safe, like every entity. */
@Entity
@Table(name = "customer")
public class Customer {

  @Id
  private Long id;
  private String name;
  private String country;

  /** For Hibernate. */
  protected Customer() {
  }

  /** Returns the primary key. */
  public Long getId() {
    return id;
  }

  /** Returns the company name. */
  public String getName() {
    return name;
  }

  /** Returns the ISO 3166 country code. */
  public String getCountry() {
    return country;
  }
}
