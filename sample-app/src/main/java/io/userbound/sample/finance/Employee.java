package io.userbound.sample.finance;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code employee}. Read-only in the sample; not thread-safe, like every entity. */
@Entity
@Table(name = "employee")
public class Employee {

  @Id private Long id;
  private String name;
  private String email;
  private String department;

  /** For Hibernate. */
  protected Employee() {}

  /** {@return the primary key} */
  public Long getId() {
    return id;
  }

  /** {@return the full name} */
  public String getName() {
    return name;
  }

  /** {@return the e-mail address} */
  public String getEmail() {
    return email;
  }

  /** {@return the department} */
  public String getDepartment() {
    return department;
  }
}
