package io.userbound.hibernate.it.staff;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.math.BigDecimal;

/** Hours booked on a project; row-level security shows each person only their own. */
@Entity
@Table(name = "hour")
@Cacheable
public class Hour {

  @Id private Long id;

  @ManyToOne(fetch = FetchType.LAZY, optional = false)
  @JoinColumn(name = "project_id")
  private Project project;

  private String person;

  private BigDecimal hours;

  protected Hour() {}

  public Hour(Long id, Project project, String person, BigDecimal hours) {
    this.id = id;
    this.project = project;
    this.person = person;
    this.hours = hours;
  }

  public Long getId() {
    return id;
  }

  public Project getProject() {
    return project;
  }

  public String getPerson() {
    return person;
  }

  public BigDecimal getHours() {
    return hours;
  }
}
