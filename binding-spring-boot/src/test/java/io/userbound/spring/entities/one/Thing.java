package io.userbound.spring.entities.one;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** A row of {@code thing} in the database "one". */
@Entity
public class Thing {

  @Id private Long id;

  /** For JPA. */
  protected Thing() {}

  /** {@return the primary key} */
  public Long getId() {
    return id;
  }
}
