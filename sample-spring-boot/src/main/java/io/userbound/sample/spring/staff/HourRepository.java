package io.userbound.sample.spring.staff;

import io.userbound.sample.staff.Hour;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

/**
 * The {@code hour} table of {@code staff}: row-level security shows a {@code staff_reader}
 * their own hours only, a {@code staff_writer} everyone's.
 */
public interface HourRepository extends JpaRepository<Hour, Long> {

  /**
   * A derived query; PostgreSQL still filters by row-level security.
   *
   * @return the visible hours, newest first
   */
  List<Hour> findAllByOrderByWorkDateDescIdDesc();
}
