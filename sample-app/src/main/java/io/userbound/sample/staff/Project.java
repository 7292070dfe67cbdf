package io.userbound.sample.staff;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code project}. Read-only in the sample; not thread-safe, like every entity. */
@Entity
@Table(name = "project")
public class Project {

  @Id private Long id;
  private String code;
  private String name;

  /** For Hibernate. */
  protected Project() {}

  /** {@return the primary key} */
  public Long getId() {
    return id;
  }

  /** {@return the short code, e.g. {@code APOLLO}} */
  public String getCode() {
    return code;
  }

  /** {@return the name} */
  public String getName() {
    return name;
  }
}
