package io.userbound.benchmarks.entities;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of the benchmarks' {@code item} table, for the Hibernate unit of work. */
@Entity
@Table(name = "item")
public class Item {

  @Id private Integer id;

  private String name;

  private int qty;

  /** For Hibernate. */
  protected Item() {}

  /** {@return the primary key} */
  public Integer getId() {
    return id;
  }

  /** {@return the item's name} */
  public String getName() {
    return name;
  }

  /** {@return the quantity} */
  public int getQty() {
    return qty;
  }
}
