package io.userbound.spring.entities.two;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** A row of {@code other} in the database "two", mapped by a property. */
@Entity
public class Other {

  @Id private Long id;

  /** For JPA. */
  protected Other() {}

  /** {@return the primary key} */
  public Long getId() {
    return id;
  }
}
