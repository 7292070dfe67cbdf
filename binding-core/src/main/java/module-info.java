/**
 * Userbound core: per-person PostgreSQL connection pools. Exports only the API package.
 */
@SuppressWarnings("requires-automatic") // pgjdbc ships an Automatic-Module-Name, not a module-info
module io.userbound.core {
  requires transitive java.sql;
  requires com.zaxxer.hikari;
  requires org.postgresql.jdbc;
  requires com.github.benmanes.caffeine;
  requires org.slf4j;
  requires static transitive org.jspecify; // @NullMarked, @Nullable in the API
  requires java.management;

  exports io.userbound.core;
  // pgjdbc instantiates the socket factory by class name.
  exports io.userbound.core.internal to
      org.postgresql.jdbc;
}
