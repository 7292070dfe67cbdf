package io.userbound.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

  private static final double[] PHIS = {0.5, 0.9, 0.99};

  @Test
  void everyValue_fallsIntoABucketAtMostAnEighthWide() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long previousUpper = -1;
    for (int i = 0; i < LatencyHistogram.BUCKETS; i++) {
      long upper = LatencyHistogram.upperBound(i);
      assertThat(upper).as("bucket %d", i).isGreaterThan(previousUpper);
      long lower = previousUpper + 1;
      assertThat(LatencyHistogram.index(lower)).isEqualTo(i);
      assertThat(LatencyHistogram.index(upper)).isEqualTo(i);
      assertThat((double) upper).isLessThanOrEqualTo(Math.max(lower, 8) * 1.125);
      previousUpper = upper;
    }
    for (int k = 0; k < 100_000; k++) {
      long v = r.nextLong(1L << 40);
      assertThat(LatencyHistogram.upperBound(LatencyHistogram.index(v))).isBetween(v, v + v / 8);
    }
    assertThat(LatencyHistogram.index(Long.MAX_VALUE)).isEqualTo(LatencyHistogram.BUCKETS - 1);
    assertThat(LatencyHistogram.index(0)).isZero();
  }

  @Test
  void percentiles_matchAKnownDistribution() {
    LatencyHistogram h = new LatencyHistogram(0);
    for (long v = 1; v <= 10_000; v++) {
      h.record(v * 1_000); // 1 µs .. 10 ms, uniform
    }
    h.record(-5); // counts as 0
    assertThat(h.count()).isEqualTo(10_001);
    assertThat(h.totalNanos()).isEqualTo(1_000L * 10_000 * 10_001 / 2);
    long[] p = h.percentiles(PHIS, 1);
    assertThat(p[0]).isBetween(5_000_000L, 5_000_000L * 9 / 8);
    assertThat(p[1]).isBetween(9_000_000L, 9_000_000L * 9 / 8);
    assertThat(p[2]).isBetween(9_900_000L, 9_900_000L * 9 / 8);
  }

  @Test
  void percentiles_coverAboutTheLastMinute() {
    long t = 0;
    long second = TimeUnit.SECONDS.toNanos(1);
    LatencyHistogram h = new LatencyHistogram(t);
    assertThat(h.percentiles(PHIS, t)).containsOnly(0); // nothing counted yet
    for (int i = 0; i < 1000; i++) {
      h.record(TimeUnit.SECONDS.toNanos(2)); // a slow spell
    }
    // scrapes every 15 s; the slow spell stays in the window for a minute or so
    t += 15 * second;
    assertThat(h.percentiles(PHIS, t)[0]).isGreaterThanOrEqualTo(2 * second);
    for (int i = 0; i < 1000; i++) {
      h.record(1_000); // then fast again
    }
    t += 15 * second;
    assertThat(h.percentiles(PHIS, t)[2]).isGreaterThanOrEqualTo(2 * second);
    for (int scrape = 0; scrape < 6; scrape++) {
      t += 15 * second;
      for (int i = 0; i < 1000; i++) {
        h.record(1_000);
      }
      h.percentiles(PHIS, t);
    }
    long[] now = h.percentiles(PHIS, t);
    assertThat(now[2]).as("the slow spell has left the window").isLessThan(2_000);
    assertThat(h.count()).isEqualTo(8_000); // counts are for the whole uptime
  }

  @Test
  void concurrentRecords_areAllCounted() throws Exception {
    LatencyHistogram h = new LatencyHistogram(0);
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      threads[t] =
          new Thread(
              () -> {
                for (int i = 0; i < 100_000; i++) {
                  h.record(i);
                }
              });
      threads[t].start();
    }
    for (Thread th : threads) {
      th.join(60_000);
      assertThat(th.isAlive()).isFalse();
    }
    assertThat(h.count()).isEqualTo(400_000);
    assertThat(h.totalNanos()).isEqualTo(4L * 99_999 * 100_000 / 2);
  }
}
