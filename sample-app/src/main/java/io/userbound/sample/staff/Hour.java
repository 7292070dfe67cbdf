package io.userbound.sample.staff;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;
import org.hibernate.annotations.Generated;
import org.hibernate.generator.EventType;

/**
 * A row of {@code hour}: time someone worked on a project. PostgreSQL fills {@code person}
 * with the role that inserted the row, and its row-level security policy shows a person only
 * their own hours unless they are in {@code staff_writer}. Not thread-safe.
 */
@Entity
@Table(name = "hour")
public class Hour {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @ManyToOne(fetch = FetchType.LAZY, optional = false)
  @JoinColumn(name = "project_id")
  private Project project;

  @Generated(event = EventType.INSERT)
  private String person;

  @Column(name = "work_date")
  private LocalDate workDate;

  @Column(precision = 4, scale = 2)
  private BigDecimal hours;

  private String note;

  /** For Hibernate. */
  protected Hour() {}

  /**
   * Creates a new entry, to persist; the person is whoever PostgreSQL says inserted it.
   *
   * @param project the project worked on
   * @param workDate the day worked
   * @param hours more than 0, at most 24, two decimal places
   * @param note a short note, possibly empty
   */
  public Hour(Project project, LocalDate workDate, BigDecimal hours, String note) {
    this.project = Objects.requireNonNull(project, "project");
    this.workDate = Objects.requireNonNull(workDate, "workDate");
    this.hours = Objects.requireNonNull(hours, "hours");
    this.note = Objects.requireNonNull(note, "note");
  }

  /** {@return the primary key; {@code null} until persisted} */
  public Long getId() {
    return id;
  }

  /** {@return the project (a lazy reference: its id is free, its fields cost a query)} */
  public Project getProject() {
    return project;
  }

  /** {@return the role that logged the hours, set by PostgreSQL} */
  public String getPerson() {
    return person;
  }

  /** {@return the day worked} */
  public LocalDate getWorkDate() {
    return workDate;
  }

  /** {@return the hours worked} */
  public BigDecimal getHours() {
    return hours;
  }

  /** {@return the note, possibly empty} */
  public String getNote() {
    return note;
  }
}
