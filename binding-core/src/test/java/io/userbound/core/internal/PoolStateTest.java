package io.userbound.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.userbound.core.internal.PoolState.Change;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * The lease and retire state machine, without a server: exactly one close, after the last lease.
 */
class PoolStateTest {

  @Test
  void newPool_isHeldByItsCreator_andClosesWhenRetiredAfterIt() {
    PoolState s = new PoolState();
    assertThat(s.leases()).isEqualTo(1);
    assertThat(s.retire()).isEqualTo(Change.RETIRED);
    assertThat(s.tryLease(false)).as("retired: no new lease").isFalse();
    assertThat(s.tryLease(true)).as("the opener may still be served").isTrue();
    assertThat(s.endLease()).isEqualTo(Change.NONE);
    assertThat(s.endLease()).as("the last lease closes").isEqualTo(Change.CLOSE);
    assertThat(s.tryLease(true)).as("closing: nobody").isFalse();
    assertThat(s.retire()).isEqualTo(Change.NONE);
  }

  @Test
  void idlePool_closesAtOnceWhenRetired() {
    PoolState s = new PoolState();
    assertThat(s.endLease()).isEqualTo(Change.NONE);
    assertThat(s.isIdle()).isTrue();
    assertThat(s.retire()).isEqualTo(Change.RETIRED_AND_CLOSE);
    assertThat(s.isIdle()).isFalse();
  }

  @Test
  void shutDown_closesWhateverTheLeases_once() {
    PoolState s = new PoolState();
    assertThat(s.tryLease(false)).isTrue();
    assertThat(s.shutDown()).isEqualTo(Change.RETIRED_AND_CLOSE);
    assertThat(s.shutDown()).isEqualTo(Change.NONE);
    assertThat(s.endLease())
        .as("leases ending after shutdown close nothing again")
        .isEqualTo(Change.NONE);
    assertThat(s.endLease()).isEqualTo(Change.NONE);
    PoolState retired = new PoolState();
    retired.retire();
    assertThat(retired.shutDown()).as("retired before: not counted twice").isEqualTo(Change.CLOSE);
  }

  @Test
  void endingALeaseTwice_isCaught() {
    PoolState s = new PoolState();
    s.endLease();
    assertThatThrownBy(s::endLease).isInstanceOf(IllegalStateException.class);
  }

  @RepeatedTest(20)
  void underContention_exactlyOneClose_andNoLeaseAfterIt() throws Exception {
    PoolState s = new PoolState();
    AtomicInteger closes = new AtomicInteger();
    AtomicInteger retirements = new AtomicInteger();
    AtomicBoolean closed = new AtomicBoolean();
    AtomicInteger leasedAfterClose = new AtomicInteger();
    int threads = 4;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    List<Future<?>> work = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      work.add(
          pool.submit(
              () -> {
                start.await();
                for (int i = 0; i < 20_000; i++) {
                  if (s.tryLease(false)) {
                    if (closed.get()) {
                      leasedAfterClose.incrementAndGet();
                    }
                    if (s.endLease().close()) {
                      closes.incrementAndGet();
                      closed.set(true);
                    }
                  }
                }
                return null;
              }));
    }
    work.add(
        pool.submit(
            () -> {
              start.await();
              Thread.onSpinWait();
              Change c = s.retire();
              if (c.retired()) {
                retirements.incrementAndGet();
              }
              if (c.close()) {
                closes.incrementAndGet();
                closed.set(true);
              }
              return null;
            }));
    start.countDown();
    if (s.endLease().close()) { // the creator's lease, ended while the others race
      closes.incrementAndGet();
      closed.set(true);
    }
    for (Future<?> f : work) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(retirements.get()).isEqualTo(1);
    assertThat(s.leases()).isZero();
    assertThat(closes.get()).as("closed exactly once, after the last lease").isEqualTo(1);
    assertThat(leasedAfterClose.get()).as("no lease after the close").isZero();
    assertThat(s.tryLease(true)).isFalse();
  }
}
