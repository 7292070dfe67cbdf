package io.userbound.sample;

import java.util.List;

/**
 * A demo person of the embedded default: a login role on both servers, member of some group
 * roles. Immutable.
 *
 * @param role the PostgreSQL role and the user name to log in with
 * @param password the demo password, printed at start; throw-away servers only
 * @param financeGroups group roles on the finance server
 * @param staffGroups group roles on the staff server
 * @param mayDo what PostgreSQL lets this person do, for the start-up banner
 */
public record DemoPerson(
    String role,
    String password,
    List<String> financeGroups,
    List<String> staffGroups,
    String mayDo) {

  /** The people the embedded default creates. */
  public static final List<DemoPerson> ALL =
      List.of(
          new DemoPerson(
              "alice",
              "alice-pw",
              List.of("finance_writer"),
              List.of("staff_reader"),
              "finance writer (reads all, adds invoices); staff reader (projects, her own hours,"
                  + " logs hours)"),
          new DemoPerson(
              "bob",
              "bob-pw",
              List.of(),
              List.of("staff_writer"),
              "staff writer (everyone's hours, logs hours); finance: may connect but read nothing"),
          new DemoPerson(
              "carol",
              "carol-pw",
              List.of("finance_reader"),
              List.of(),
              "finance reader (reads all, adds nothing); staff: may not even connect"),
          new DemoPerson(
              "dave",
              "dave-pw",
              List.of(),
              List.of("staff_reader"),
              "staff reader (projects, his own hours only, logs hours); finance: reads nothing"));

  /**
   * Finds a demo person.
   *
   * @param role the role name
   * @return the person
   * @throws IllegalArgumentException if there is none of that name
   */
  public static DemoPerson named(String role) {
    return ALL.stream()
        .filter(p -> p.role.equals(role))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no demo person " + role));
  }
}
