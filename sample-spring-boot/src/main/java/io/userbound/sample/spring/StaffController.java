package io.userbound.sample.spring;

import io.userbound.sample.Dto.HourJson;
import io.userbound.sample.Dto.ProjectJson;
import io.userbound.sample.spring.staff.HourRepository;
import io.userbound.sample.spring.staff.ProjectRepository;
import io.userbound.sample.staff.Hour;
import io.userbound.sample.staff.Project;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/staff}: Spring Data repositories on {@code staff}, as the person logged in. */
@RestController
@RequestMapping("/api/staff")
public class StaffController {

  private static final BigDecimal MAX_HOURS = new BigDecimal("24");
  private static final int MAX_NOTE = 200;

  private final ProjectRepository projects;
  private final HourRepository hours;

  StaffController(ProjectRepository projects, HourRepository hours) {
    this.projects = projects;
    this.hours = hours;
  }

  /** The body of {@code POST /api/staff/hours}. */
  record NewHour(Object projectId, Object hours, Object note, Object workDate) {}

  /**
   * Lists projects.
   *
   * @return the rows the person may read
   */
  @GetMapping("/projects")
  @Transactional(value = "staff", readOnly = true)
  public List<ProjectJson> projects() {
    return projects.findAll(Sort.by("id")).stream().map(ProjectJson::of).toList();
  }

  /**
   * Lists hours: a reader's own, a writer's everyone's (row-level security).
   *
   * @return the rows the person may read, newest first
   */
  @GetMapping("/hours")
  @Transactional(value = "staff", readOnly = true)
  public List<HourJson> hours() {
    return hours.findAllByOrderByWorkDateDescIdDesc().stream().map(HourJson::of).toList();
  }

  /**
   * Logs hours; PostgreSQL fills {@code person} with the person's role.
   *
   * @param body {@code {"projectId": 1, "hours": 1.5, "note": "...", "workDate": "2026-12-01"}}
   * @return the entry
   */
  @PostMapping(path = "/hours", consumes = MediaType.APPLICATION_JSON_VALUE)
  @ResponseStatus(HttpStatus.CREATED)
  @Transactional("staff")
  public HourJson logHours(@RequestBody NewHour body) {
    if (body == null) {
      throw new ApiErrors.BadRequest();
    }
    long projectId = Fields.id(body.projectId());
    BigDecimal worked = Fields.decimal(body.hours(), MAX_HOURS);
    String note = Fields.text(body.note(), MAX_NOTE);
    LocalDate workDate = Fields.date(body.workDate());
    Project project = projects.findById(projectId).orElseThrow(ApiErrors.BadRequest::new);
    Hour hour = hours.saveAndFlush(new Hour(project, workDate, worked, note));
    return HourJson.of(hour);
  }
}
