package io.userbound.sample;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.userbound.core.Userbound;
import io.userbound.hibernate.UnitOfWork;
import io.userbound.sample.Dto.HourJson;
import io.userbound.sample.Dto.ProjectJson;
import io.userbound.sample.staff.Hour;
import io.userbound.sample.staff.Project;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServletRequest;
import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * {@code GET /api/staff/projects}, {@code GET /api/staff/hours} and
 * {@code POST /api/staff/hours} with {@code {"projectId": n, "hours": 1.5}} (optional
 * {@code "note"} and {@code "workDate"}). Which hours a person sees is decided by the
 * row-level security policy on {@code hour}, not here.
 */
@Singleton
final class StaffApi extends ApiServlet {

  private static final long serialVersionUID = 1L;
  private static final BigDecimal MAX_HOURS = new BigDecimal("24");
  private static final int MAX_NOTE = 200;

  private final transient Provider<UnitOfWork> work;

  @Inject
  StaffApi(ObjectMapper json, Userbound userbound, Provider<UnitOfWork> work) {
    super(json, userbound);
    this.work = work;
  }

  @Override
  Reply get(HttpServletRequest request) {
    login();
    String path = String.valueOf(request.getPathInfo());
    return switch (path) {
      case "/projects" ->
          list(work.get(), Project.class, "from Project order by id", ProjectJson::of);
      case "/hours" ->
          list(work.get(), Hour.class, "from Hour order by workDate desc, id desc", HourJson::of);
      default -> throw ApiError.notFound();
    };
  }

  @Override
  Reply post(HttpServletRequest request) {
    login();
    if (!"/hours".equals(request.getPathInfo())) {
      throw "/projects".equals(request.getPathInfo())
          ? ApiError.methodNotAllowed()
          : ApiError.notFound();
    }
    ObjectNode body = body(request);
    long projectId = Fields.id(body, "projectId");
    BigDecimal hours = Fields.decimal(body, "hours", MAX_HOURS);
    String note = Fields.text(body, "note", MAX_NOTE);
    LocalDate workDate = Fields.date(body, "workDate");
    return Reply.created(
        work.get()
            .fromTransaction(
                Hour.class,
                s -> {
                  Project project = s.find(Project.class, projectId);
                  if (project == null) {
                    throw ApiError.badRequest();
                  }
                  Hour hour = new Hour(project, workDate, hours, note);
                  s.persist(hour);
                  s.flush();
                  return HourJson.of(hour);
                }));
  }
}
