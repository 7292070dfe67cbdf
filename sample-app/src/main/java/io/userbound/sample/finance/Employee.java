package io.userbound.sample.finance;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code employee}. Read-only in the sample; not thread-safe, like every entity. */
@Entity
@Table(name = "employee")
public class Employee {

  @Id
  private Long id;
  private String name;
  private String email;
  private String department;

  /** For Hibernate. */
  protected Employee() {
  }

  /** Returns the primary key. */
  public Long getId() {
    return id;
  }

  /** Returns the full name. */
  public String getName() {
    return name;
  }

  /** Returns the e-mail address. */
  public String getEmail() {
    return email;
  }

  /** Returns the department. */
  public String getDepartment() {
    return department;
  }
}
