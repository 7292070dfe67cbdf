package io.userbound.hibernate.it.finance;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An employee record; row-level security shows each person only the rows they own. */
@Entity
@Table(name = "employee")
@Cacheable
public class Employee {

  @Id private Long id;

  private String name;

  private String owner;

  protected Employee() {}

  public Long getId() {
    return id;
  }

  public String getName() {
    return name;
  }

  public String getOwner() {
    return owner;
  }
}
