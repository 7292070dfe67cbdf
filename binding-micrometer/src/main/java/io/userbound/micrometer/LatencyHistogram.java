package io.userbound.micrometer;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Latencies recorded on the request path for the price of two striped additions, read on a
 * scrape.
 *
 * <p>A Micrometer {@code Timer} with client-side percentiles and a histogram costs about a
 * microsecond per record when two threads share it, more than Userbound's whole borrow. Here a
 * record adds one to the count of its bucket and the nanoseconds to a total, both {@link
 * LongAdder}s. Buckets are log-linear: eight per power of two, so a percentile read from one
 * is at most 12.5% above the true value (the bucket's upper bound is reported), from 1 ns to
 * 2<sup>40</sup> ns (18 minutes; longer latencies count in the last bucket).
 *
 * <p>Percentiles are taken over a sliding window: each read compares the counts now with a
 * mark taken at least {@link #WINDOW_NANOS} ago (marks are taken by reads at most every
 * {@link #MARK_NANOS}), so they describe about the last minute, not the whole uptime. Until
 * a minute has passed they cover everything since the histogram was made.
 *
 * <p>Thread-safe: records never block; reads are serialized.
 */
final class LatencyHistogram {

  static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(60);
  static final long MARK_NANOS = TimeUnit.SECONDS.toNanos(15);
  private static final int SUB_BITS = 3;
  private static final int SUB = 1 << SUB_BITS;
  private static final int MAX_EXPONENT = 40;
  static final int BUCKETS = (MAX_EXPONENT - SUB_BITS + 2) * SUB;

  private final LongAdder[] counts = new LongAdder[BUCKETS];
  private final LongAdder totalNanos = new LongAdder();
  private final ArrayDeque<Mark> marks = new ArrayDeque<>(); // guarded by this

  /** The counts at a moment. */
  private static final class Mark {
    final long at;
    final long[] counts;

    Mark(long at, long[] counts) {
      this.at = at;
      this.counts = counts;
    }
  }

  LatencyHistogram(long now) {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] = new LongAdder();
    }
    marks.add(new Mark(now, new long[BUCKETS]));
  }

  /**
   * Counts one latency.
   *
   * @param nanos the latency; negative counts as 0
   */
  void record(long nanos) {
    long v = Math.max(0, nanos);
    counts[index(v)].increment();
    totalNanos.add(v);
  }

  static int index(long v) {
    if (v < SUB) {
      return (int) v;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(v);
    if (exponent > MAX_EXPONENT) {
      return BUCKETS - 1;
    }
    int sub = (int) (v >>> (exponent - SUB_BITS)) & (SUB - 1);
    return (exponent - SUB_BITS + 1) * SUB + sub;
  }

  /** The largest value that falls into a bucket. */
  static long upperBound(int index) {
    if (index < SUB) {
      return index;
    }
    int exponent = index / SUB + SUB_BITS - 1;
    int sub = index % SUB;
    return ((long) (SUB + sub + 1) << (exponent - SUB_BITS)) - 1;
  }

  /** Latencies counted since the histogram was made. */
  long count() {
    long n = 0;
    for (LongAdder c : counts) {
      n += c.sum();
    }
    return n;
  }

  /** Their sum in nanoseconds. */
  long totalNanos() {
    return totalNanos.sum();
  }

  /**
   * Returns percentiles of the latencies counted in about the last minute.
   *
   * @param phis percentiles in (0, 1)
   * @param now {@link System#nanoTime()}
   * @return nanoseconds, one per percentile; 0 where nothing was counted in the window
   */
  synchronized long[] percentiles(double[] phis, long now) {
    long[] current = new long[BUCKETS];
    for (int i = 0; i < BUCKETS; i++) {
      current[i] = counts[i].sum();
    }
    if (now - marks.getLast().at >= MARK_NANOS) {
      marks.addLast(new Mark(now, current));
    }
    // Keep as the baseline the newest mark at least a window old.
    while (marks.size() > 1 && now - second().at >= WINDOW_NANOS) {
      marks.removeFirst();
    }
    long[] base = marks.getFirst().counts;
    long[] window = new long[BUCKETS];
    long n = 0;
    for (int i = 0; i < BUCKETS; i++) {
      window[i] = current[i] - base[i];
      n += window[i];
    }
    long[] out = new long[phis.length];
    if (n == 0) {
      return out;
    }
    for (int p = 0; p < phis.length; p++) {
      long rank = Math.max(1, (long) Math.ceil(phis[p] * n));
      long seen = 0;
      for (int i = 0; i < BUCKETS; i++) {
        seen += window[i];
        if (seen >= rank) {
          out[p] = upperBound(i);
          break;
        }
      }
    }
    return out;
  }

  private Mark second() {
    var it = marks.iterator();
    it.next();
    return it.next();
  }
}
