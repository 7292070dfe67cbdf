package io.userbound.hibernate.bad.b;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** An entity for the start-up error tests. */
@Entity
public class Other {

  @Id private Long id;

  protected Other() {}

  public Long getId() {
    return id;
  }
}
