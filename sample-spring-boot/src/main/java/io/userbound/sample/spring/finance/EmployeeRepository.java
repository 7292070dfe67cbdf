package io.userbound.sample.spring.finance;

import io.userbound.sample.finance.Employee;
import org.springframework.data.jpa.repository.JpaRepository;

/** The {@code employee} table of {@code finance}, as the logged-in person sees it. */
public interface EmployeeRepository extends JpaRepository<Employee, Long> {}
