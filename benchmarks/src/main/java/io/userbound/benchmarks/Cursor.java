package io.userbound.benchmarks;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Which person (or connection) a benchmark thread uses next: round-robin over its own share.
 * Thread {@code t} of {@code T} visits {@code t, t+T, t+2T, ...}, so with {@code n >= T}
 * no two threads ever use the same person or connection at the same time, and every person
 * comes back once per {@code n / T} operations of its thread. With {@code n < T} all threads
 * share person {@code t % n}.
 */
@State(Scope.Thread)
public class Cursor {

  private int first;
  private int stride;
  private int step;

  /**
   * Places this thread.
   *
   * @param thread JMH's view of the thread
   */
  @Setup(Level.Trial)
  public void place(ThreadParams thread) {
    first = thread.getThreadIndex();
    stride = thread.getThreadCount();
  }

  /**
   * Returns this thread's next index in {@code [0, n)}.
   *
   * @param n how many people or connections there are
   * @return the index to use now
   */
  public int next(int n) {
    int i = first + step * stride;
    if (i >= n) {
      step = 0;
      i = first % n;
    }
    step++;
    return i;
  }

  /**
   * Returns the next index under the access pattern.
   *
   * @param access the benchmark's access pattern
   * @param n how many people or connections there are
   * @return the index to use now
   */
  public int next(Access access, int n) {
    return switch (access.mode) {
      case Access.OWN -> next(n);
      case Access.SHARED -> Math.floorMod(access.counter.getAndIncrement(), n);
      default -> ThreadLocalRandom.current().nextInt(n);
    };
  }

  /**
   * Returns the thread's index, for per-thread resources.
   *
   * @return the JMH thread index
   */
  public int thread() {
    return first;
  }

  /**
   * How people take turns.
   *
   * <ul>
   *   <li>{@code own} (default): each thread round-robin over its own share, see {@link Cursor}.
   *       No two threads use a person at once and a person's connection always serves the
   *       same thread: the library's own cost, nothing else.
   *   <li>{@code shared}: one round-robin counter for all threads, so consecutive requests of a
   *       person come from different threads (and so, on 2 cores, from different CPUs).
   *   <li>{@code random}: a random person per request, as real traffic; now and then two
   *       threads want the same person at once, and a pool opens a second connection.
   * </ul>
   */
  @State(Scope.Benchmark)
  public static class Access {
    static final int OWN = 0;
    static final int SHARED = 1;
    static final int RANDOM = 2;

    /** {@code own}, {@code shared} or {@code random}. */
    @Param({"own"})
    public String access;

    int mode;
    final AtomicInteger counter = new AtomicInteger();

    /** Checks the parameter. */
    @Setup(Level.Trial)
    public void check() {
      mode = switch (access) {
        case "own" -> OWN;
        case "shared" -> SHARED;
        case "random" -> RANDOM;
        default -> throw new IllegalArgumentException("access = " + access + ": use own, shared or random");
      };
    }
  }
}
