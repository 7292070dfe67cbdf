package io.userbound.sample.spring.finance;

import io.userbound.sample.finance.Customer;
import org.springframework.data.jpa.repository.JpaRepository;

/** The {@code customer} table of {@code finance}, as the logged-in person sees it. */
public interface CustomerRepository extends JpaRepository<Customer, Long> {}
