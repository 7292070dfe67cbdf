package io.userbound.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The budget's accounting, without a server: permits never exceed the size, and all come back. */
class BudgetAccountingTest {

  private static final long LONG = TimeUnit.SECONDS.toNanos(30);

  @Test
  void freePermits_areTakenWithoutReclaim() throws Exception {
    Budget b = new Budget("main", 2);
    AtomicInteger reclaims = new AtomicInteger();
    b.acquire(() -> reclaims.incrementAndGet() > 0, LONG);
    assertThat(b.tryAcquire()).isTrue();
    assertThat(b.tryAcquire()).as("spent").isFalse();
    assertThat(b.used()).isEqualTo(2);
    assertThat(reclaims.get()).isZero();
    b.release();
    b.release();
    assertThat(b.used()).isZero();
  }

  @Test
  void spentBudget_asksTheReclaimer_andGetsThePermitItFrees() throws Exception {
    Budget b = new Budget("main", 1);
    assertThat(b.tryAcquire()).isTrue();
    AtomicInteger reclaims = new AtomicInteger();
    b.acquire(
        () -> {
          reclaims.incrementAndGet();
          b.release(); // the reclaimed connection closes and gives its permit back
          return true;
        },
        LONG);
    assertThat(reclaims.get()).isEqualTo(1);
    assertThat(b.used()).isEqualTo(1);
  }

  @Test
  void nothingComesFree_isABudgetFailureAfterTheTimeout_andCountsNoPermit() {
    Budget b = new Budget("main", 1);
    assertThat(b.tryAcquire()).isTrue();
    assertThatThrownBy(() -> b.acquire(() -> false, TimeUnit.MILLISECONDS.toNanos(100)))
        .isInstanceOf(SQLException.class)
        .isInstanceOf(Budget.BudgetSQLException.class)
        .hasMessageContaining("'main'");
    assertThat(b.used()).isEqualTo(1);
    assertThat(b.waiting()).isZero();
  }

  @Test
  void waiters_areCounted_andServedWhenAPermitComesBack() throws Exception {
    Budget b = new Budget("main", 1);
    assertThat(b.tryAcquire()).isTrue();
    CompletableFuture<Void> waiter =
        CompletableFuture.runAsync(
            () -> {
              try {
                b.acquire(() -> false, LONG);
              } catch (SQLException e) {
                throw new AssertionError(e);
              }
            });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (b.waiting() == 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(b.waiting()).isEqualTo(1);
    b.release();
    waiter.get(10, TimeUnit.SECONDS);
    assertThat(b.waiting()).isZero();
    assertThat(b.used()).isEqualTo(1);
  }

  @Test
  void underContention_neverMoreThanTheSize_andAllPermitsComeBack() throws Exception {
    Budget b = new Budget("main", 3);
    AtomicInteger inUse = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    ExecutorService threads = Executors.newFixedThreadPool(6);
    List<Future<?>> work = new ArrayList<>();
    for (int t = 0; t < 6; t++) {
      work.add(
          threads.submit(
              () -> {
                for (int i = 0; i < 5_000; i++) {
                  b.acquire(() -> false, LONG);
                  most.accumulateAndGet(inUse.incrementAndGet(), Math::max);
                  inUse.decrementAndGet();
                  b.release();
                }
                return null;
              }));
    }
    for (Future<?> f : work) {
      f.get(120, TimeUnit.SECONDS);
    }
    threads.shutdown();
    assertThat(most.get()).isLessThanOrEqualTo(3);
    assertThat(b.used()).isZero();
    assertThat(b.waiting()).isZero();
  }
}
