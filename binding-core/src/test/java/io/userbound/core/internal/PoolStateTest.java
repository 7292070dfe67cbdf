package io.userbound.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.userbound.core.internal.PoolState.Change;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
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
    assertThat(s.tryLease(false).leased()).as("retired: no new lease").isFalse();
    assertThat(s.tryLease(true).leased()).as("the opener may still be served").isTrue();
    assertThat(s.endLease()).isEqualTo(Change.NONE);
    assertThat(s.endLease()).as("the last lease closes").isEqualTo(Change.CLOSE);
    assertThat(s.tryLease(true).leased()).as("closing: nobody").isFalse();
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
    assertThat(s.tryLease(false).leased()).isTrue();
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
  void endingALeaseTwice_isCaughtOnceRetired() {
    PoolState s = new PoolState();
    s.retire();
    assertThat(s.endLease()).isEqualTo(Change.CLOSE);
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
                  PoolState.Lease lease = s.tryLease(false);
                  if (lease == PoolState.Lease.REFUSED_CLOSE) {
                    closes.incrementAndGet();
                    closed.set(true);
                  }
                  if (lease.leased()) {
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
    assertThat(s.tryLease(true).leased()).isFalse();
  }

  /**
   * Leases taken on one thread and ended on another (a connection closed elsewhere), many
   * threads at once so the count spreads over its cells, an opener's evenIfRetired lease in
   * the race, and a retire at a random moment: still one close, after the last lease.
   */
  @RepeatedTest(20)
  void spreadCount_crossThreadEnds_andALateOpener_closeOnceAfterTheLast() throws Exception {
    PoolState s = new PoolState();
    AtomicInteger closes = new AtomicInteger();
    AtomicInteger held = new AtomicInteger(1); // the creator's
    AtomicInteger underClosed = new AtomicInteger();
    int threads = 6;
    BlockingQueue<Integer> handOff = new LinkedBlockingQueue<>();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads + 2);
    List<Future<?>> work = new ArrayList<>();
    Runnable close =
        () -> {
          closes.incrementAndGet();
          if (held.get() != 0) {
            underClosed.incrementAndGet();
          }
        };
    for (int t = 0; t < threads; t++) {
      boolean passer = t % 2 == 0;
      work.add(
          pool.submit(
              () -> {
                start.await();
                for (int i = 0; i < 20_000; i++) {
                  PoolState.Lease lease = s.tryLease(false);
                  if (lease == PoolState.Lease.REFUSED_CLOSE) {
                    close.run();
                  }
                  if (!lease.leased()) {
                    continue;
                  }
                  held.incrementAndGet();
                  if (passer && i % 3 == 0) {
                    handOff.add(i); // ended by the other kind of thread
                  } else {
                    held.decrementAndGet();
                    if (s.endLease().close()) {
                      close.run();
                    }
                  }
                  Integer passed = passer ? null : handOff.poll();
                  if (passed != null) {
                    held.decrementAndGet();
                    if (s.endLease().close()) {
                      close.run();
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
              for (int i = 0; i < ThreadLocalRandom.current().nextInt(2_000); i++) {
                Thread.onSpinWait();
              }
              PoolState.Lease opener = s.tryLease(true);
              if (opener.leased()) {
                held.incrementAndGet();
              }
              Change c = s.retire();
              if (c.close()) {
                close.run();
              }
              if (opener.leased()) {
                held.decrementAndGet();
                if (s.endLease().close()) {
                  close.run();
                }
              }
              return null;
            }));
    start.countDown();
    held.decrementAndGet();
    if (s.endLease().close()) {
      close.run();
    }
    for (Future<?> f : work) {
      f.get(60, TimeUnit.SECONDS);
    }
    for (Integer passed = handOff.poll(); passed != null; passed = handOff.poll()) {
      held.decrementAndGet();
      if (s.endLease().close()) {
        close.run();
      }
    }
    pool.shutdown();
    assertThat(held.get()).isZero();
    assertThat(s.leases()).isZero();
    assertThat(closes.get()).as("closed exactly once").isEqualTo(1);
    assertThat(underClosed.get()).as("never while a lease was held").isZero();
  }
}
