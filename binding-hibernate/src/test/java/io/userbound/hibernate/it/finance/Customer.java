package io.userbound.hibernate.it.finance;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A customer of the finance database. */
@Entity
@Table(name = "customer")
@Cacheable
public class Customer {

  @Id private Long id;

  private String name;

  protected Customer() {}

  public Customer(Long id, String name) {
    this.id = id;
    this.name = name;
  }

  public Long getId() {
    return id;
  }

  public String getName() {
    return name;
  }
}
