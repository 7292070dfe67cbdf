package io.userbound.hibernate.bad.a;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** An entity for the start-up error tests. */
@Entity
public class Thing {

  @Id private Long id;

  protected Thing() {}

  public Long getId() {
    return id;
  }
}
