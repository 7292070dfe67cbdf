package io.userbound.hibernate.bad.a.inner;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** An entity for the start-up error tests. */
@Entity
public class Inner {

  @Id private Long id;

  protected Inner() {}

  public Long getId() {
    return id;
  }
}
