package io.userbound.sample.spring.staff;

import io.userbound.sample.staff.Project;
import org.springframework.data.jpa.repository.JpaRepository;

/** The {@code project} table of {@code staff}, as the logged-in person sees it. */
public interface ProjectRepository extends JpaRepository<Project, Long> {}
