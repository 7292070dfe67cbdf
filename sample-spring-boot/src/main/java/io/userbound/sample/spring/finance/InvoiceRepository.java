package io.userbound.sample.spring.finance;

import io.userbound.sample.finance.Invoice;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** The {@code invoice} table of {@code finance}, as the logged-in person sees it. */
public interface InvoiceRepository extends JpaRepository<Invoice, Long> {

  /**
   * The invoices the current person created: PostgreSQL's {@code current_user} decides, so
   * the query returns each person's own rows without the application naming anyone.
   *
   * @return the invoices, oldest first
   */
  @Query(
      value = "SELECT * FROM invoice WHERE created_by = current_user ORDER BY id",
      nativeQuery = true)
  List<Invoice> createdByMe();
}
