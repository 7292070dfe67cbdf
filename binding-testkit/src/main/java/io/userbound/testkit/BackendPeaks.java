package io.userbound.testkit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The most client backends seen at once on each of some databases, for tests that show a
 * connection budget holds on the server itself. Counts {@code pg_stat_activity} rows with
 * {@code backend_type = 'client backend'} per database every 2 ms on one platform thread, over
 * one superuser connection to the {@code postgres} database (not counted).
 *
 * <p>Thread-safe; {@link #close()} stops the sampling.
 */
public final class BackendPeaks implements AutoCloseable {

  private final Map<String, Integer> peaks = new ConcurrentHashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicInteger samples = new AtomicInteger();
  private final ExecutorService thread;
  private final Future<?> loop;

  private BackendPeaks(PostgresServer server, List<String> databases) {
    for (String db : databases) {
      peaks.put(db, 0);
    }
    thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "backend-peaks");
              t.setDaemon(true);
              return t;
            });
    loop =
        thread.submit(
            () -> {
              try (Connection c = server.adminConnection("postgres");
                  PreparedStatement count =
                      c.prepareStatement(
                          "SELECT count(*) FROM pg_stat_activity"
                              + " WHERE backend_type = 'client backend' AND datname = ?")) {
                while (running.get()) {
                  for (String db : databases) {
                    count.setString(1, db);
                    try (ResultSet rs = count.executeQuery()) {
                      rs.next();
                      peaks.merge(db, rs.getInt(1), Math::max);
                    }
                  }
                  samples.incrementAndGet();
                  // The sampling period, not a wait for anything.
                  LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
                }
              }
              return null;
            });
  }

  /**
   * Starts sampling.
   *
   * @param server the server the databases are on
   * @param databases the databases to count backends of
   * @return the running sampler; close it
   */
  public static BackendPeaks start(PostgresServer server, String... databases) {
    return new BackendPeaks(server, List.of(databases));
  }

  /**
   * The most client backends seen at once on a database so far.
   *
   * @param database one of the databases given to {@link #start}
   * @return the peak, 0 if none was seen
   * @throws IllegalArgumentException if the database is not sampled
   */
  public int peak(String database) {
    Integer peak = peaks.get(database);
    if (peak == null) {
      throw new IllegalArgumentException("not sampled: " + database);
    }
    return peak;
  }

  /**
   * Every database's peak so far.
   *
   * @return database to peak
   */
  public Map<String, Integer> peaks() {
    return Map.copyOf(peaks);
  }

  /**
   * How many times every database was counted.
   *
   * @return the samples taken so far
   */
  public int samples() {
    return samples.get();
  }

  /**
   * Stops sampling and waits for the sampler to end.
   *
   * @throws IllegalStateException if sampling failed (e.g. the server went away) or did not end
   */
  @Override
  public void close() {
    running.set(false);
    try {
      loop.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("sampling pg_stat_activity failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      thread.shutdownNow();
    }
  }
}
