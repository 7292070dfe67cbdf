package io.userbound.guice;

import io.userbound.core.Login;
import io.userbound.hibernate.UnitOfWork;
import io.userbound.hibernate.UserboundHibernate;
import io.userbound.servlet.RequestHook;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Hibernate {@link UnitOfWork} per request, opened on first use and closed by the
 * {@link io.userbound.servlet.UserboundFilter} at the end of the request. Requires {@code binding-hibernate} on
 * the class path.
 *
 * <pre>{@code
 * RequestUnitOfWork work = RequestUnitOfWork.of(hibernate);
 * UserboundFilter filter = new UserboundFilter(logins, List.of(work));
 * // in a servlet, with the person bound by the filter:
 * Invoice invoice = work.get().of(Invoice.class).find(Invoice.class, 42L);
 * }</pre>
 *
 * <p>As a {@link RequestHook}, it closes at the end of each bound dispatch every unit of work
 * opened on the request thread during that dispatch (by {@link #get()} or directly with
 * {@link UserboundHibernate#openUnitOfWork()}) and not yet closed, newest first: their
 * sessions close, an uncommitted transaction is rolled back, and their connections go back to
 * the person's pools before the login is unbound.
 *
 * <p>Thread-safe; each thread sees its own unit of work.
 */
public final class RequestUnitOfWork implements RequestHook {

  private static final Logger log = LoggerFactory.getLogger(RequestUnitOfWork.class);

  /** Bounds the clean-up loop; far more nested units of work than any request opens. */
  private static final int MAX_CLOSES = 64;

  private final UserboundHibernate hibernate;

  private RequestUnitOfWork(UserboundHibernate hibernate) {
    this.hibernate = Objects.requireNonNull(hibernate, "hibernate");
  }

  /**
   * Creates the hook for one {@link UserboundHibernate}.
   *
   * @param hibernate where units of work come from; not closed by this
   * @return the hook; give it to the {@link io.userbound.servlet.UserboundFilter}
   */
  public static RequestUnitOfWork of(UserboundHibernate hibernate) {
    return new RequestUnitOfWork(hibernate);
  }

  /**
   * Returns this request's unit of work: the one current on this thread, or a new one opened
   * for the bound login. Use it on the request thread only.
   *
   * @return the open unit of work; do not close it, the filter does
   * @throws io.userbound.core.NotBoundException if no login is bound to this thread (the
   *     request has no logged-in session, or did not pass the filter)
   * @throws IllegalStateException if the {@link UserboundHibernate} is closed
   */
  public UnitOfWork get() {
    return hibernate.current().orElseGet(hibernate::openUnitOfWork);
  }

  /**
   * Returns the instance units of work come from.
   *
   * @return the Hibernate integration
   */
  public UserboundHibernate hibernate() {
    return hibernate;
  }

  /**
   * Remembers the unit of work current when the dispatch starts (normally none) and returns
   * what closes every one opened after it.
   *
   * @param request the request
   * @param login the bound login
   * @return the closer; it never throws
   */
  @Override
  public AutoCloseable begin(HttpServletRequest request, Login login) {
    UnitOfWork before = hibernate.current().orElse(null);
    return () -> closeOpenedSince(before);
  }

  private void closeOpenedSince(@Nullable UnitOfWork before) {
    for (int i = 0; i < MAX_CLOSES; i++) {
      Optional<UnitOfWork> current = hibernate.current();
      if (current.isEmpty() || current.get() == before) {
        return;
      }
      UnitOfWork work = current.get();
      work.close();
      if (hibernate.current().orElse(null) == work) {
        log.warn("{} stayed current after close(); left as it is", work);
        return;
      }
    }
    log.warn(
        "more than {} units of work were open at the end of a request; the rest are left",
        MAX_CLOSES);
  }

  @Override
  public String toString() {
    return "RequestUnitOfWork[" + hibernate + "]";
  }
}
