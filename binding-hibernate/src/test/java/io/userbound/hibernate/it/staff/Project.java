package io.userbound.hibernate.it.staff;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A project of the staff database. */
@Entity
@Table(name = "project")
public class Project {

  @Id private Long id;

  private String name;

  protected Project() {}

  public Long getId() {
    return id;
  }

  public String getName() {
    return name;
  }
}
