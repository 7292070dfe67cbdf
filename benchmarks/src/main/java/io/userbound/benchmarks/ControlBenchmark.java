package io.userbound.benchmarks;

import io.userbound.benchmarks.entities.Item;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.cfg.AvailableSettings;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/*
 * The no-pool control: the same request on N already-open connections, one per person, taken
 * round-robin. On this machine N server backends cost several times one backend (each is a
 * process with cold caches), so this, not one connection, is the fair floor for N people; what
 * a pool costs on top of it is the pool's. With fewer people than threads (N = 1), each thread
 * has its own connection: the floor, the query alone.
 *
 * The control validates nothing and resets nothing; "come back later" does not change it.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
public class ControlBenchmark {

  /** N open connections (at least one per thread), no pool. */
  @State(Scope.Benchmark)
  public static class Connections extends Contender {
    Connection[] open;

    @Override
    void open() {
      int n = Math.max(people, threads);
      open =
          Fixture.parallel(
                  n,
                  i -> {
                    try {
                      return fixture.open(fixture.people[i % people]);
                    } catch (SQLException e) {
                      throw new IllegalStateException(
                          "cannot open a connection as " + fixture.people[i % people], e);
                    }
                  })
              .toArray(new Connection[0]);
    }

    /** The person's connection, or with fewer people than threads, the thread's own. */
    final Connection connection(int person, int thread) {
      return people >= threads ? open[person] : open[thread];
    }

    @Override
    int request(int person, int thread, int row) throws SQLException {
      return request.run(connection(person, thread), row);
    }

    @Override
    void close() {
      Fixture.closeAll(open);
    }
  }

  /**
   * The same connections under a plain Hibernate session factory, which is handed each session's
   * connection.
   */
  @State(Scope.Benchmark)
  public static class HibernateConnections extends Connections {
    SessionFactory factory;

    @Override
    void open() {
      super.open();
      factory = plainSessionFactory();
    }

    @Override
    int request(int person, int thread, int row) {
      try (Session session =
          factory.withOptions().connection(connection(person, thread)).openSession()) {
        return Work.hibernate(session, row);
      }
    }

    @Override
    void close() {
      if (factory != null) {
        factory.close();
      }
      super.close();
    }

    /**
     * Hibernate with the settings binding-hibernate uses, and no connection provider of its own.
     */
    static SessionFactory plainSessionFactory() {
      StandardServiceRegistry registry =
          new StandardServiceRegistryBuilder()
              .applySetting(AvailableSettings.USE_SECOND_LEVEL_CACHE, "false")
              .applySetting(AvailableSettings.USE_QUERY_CACHE, "false")
              .applySetting(AvailableSettings.CONNECTION_HANDLING, "DELAYED_ACQUISITION_AND_HOLD")
              .applySetting(AvailableSettings.DIALECT, "org.hibernate.dialect.PostgreSQLDialect")
              .applySetting(AvailableSettings.ALLOW_METADATA_ON_BOOT, "false")
              .applySetting(AvailableSettings.HBM2DDL_AUTO, "none")
              .build();
      try {
        return new MetadataSources(registry)
            .addAnnotatedClass(Item.class)
            .buildMetadata()
            .buildSessionFactory();
      } catch (RuntimeException e) {
        StandardServiceRegistryBuilder.destroy(registry);
        throw e;
      }
    }
  }

  /**
   * The request on the next person's open connection.
   *
   * @param s the connections
   * @param cursor this thread
   * @return the work's result
   * @throws SQLException never expected
   */
  @Benchmark
  public int request(Connections s, Cursor cursor) throws SQLException {
    return s.request(s.person(cursor), cursor.thread(), cursor.row());
  }

  /**
   * The Hibernate unit of work (two queries) in a plain Hibernate session on the next person's
   * open connection.
   *
   * @param s the connections and the session factory
   * @param cursor this thread
   * @return the work's result
   */
  @Benchmark
  public int hibernate(HibernateConnections s, Cursor cursor) {
    return s.request(s.person(cursor), cursor.thread(), cursor.row());
  }
}
