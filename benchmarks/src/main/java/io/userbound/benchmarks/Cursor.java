package io.userbound.benchmarks;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Which person (or connection) and which row a benchmark thread uses next: round-robin over
 * its own share. Thread {@code t} of {@code T} visits {@code t, t+T, t+2T, ...}, so with
 * {@code n >= T} no two threads ever use the same person or connection at the same time, and
 * every person comes back once per {@code n / T} operations of its thread. With {@code n < T}
 * all threads share person {@code t % n}. Rows are shared out the same way, so two threads
 * never update the same row. Not thread-safe: one per thread.
 */
@State(Scope.Thread)
public class Cursor {

  private int first;
  private int stride;
  private int step;
  private int rowStep;

  /** For JMH, which places it with {@link #place(ThreadParams)}. */
  public Cursor() {}

  /** For harnesses outside JMH: thread {@code thread} of {@code threads}. */
  Cursor(int thread, int threads) {
    first = thread;
    stride = threads;
  }

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
   * Returns this thread's next row id of the item table, in {@code [1, Fixture.ROWS]}.
   *
   * @return the row id
   */
  public int row() {
    int i = first + rowStep * stride;
    if (i >= Fixture.ROWS) {
      rowStep = 0;
      i = first;
    }
    rowStep++;
    return i + 1;
  }

  /**
   * Returns the thread's index, for per-thread resources.
   *
   * @return the thread index
   */
  public int thread() {
    return first;
  }
}
