package io.userbound.hibernate.bad.stray;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** An entity for the start-up error tests. */
@Entity
public class Stray {

  @Id private Long id;

  protected Stray() {}

  public Long getId() {
    return id;
  }
}
