package io.userbound.core.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/*
 * Runs pgjdbc's connection attempts under its loginTimeout. pgjdbc's default starts a new
 * thread for every connect; this keeps a few daemon threads for a while instead, so a burst
 * of new logins (a reclaim, a first request) does not pay a thread start each. pgjdbc
 * instantiates it by class name (the connectExecutor property), so it is public with a
 * public constructor; every instance shares one thread pool per JVM.
 *
 * pgjdbc's contract: the executor must support interrupts (a connect abandoned at the
 * timeout interrupts its task) and clear the interrupt flag after a task, so that the next
 * task on the thread starts clean.
 */
public final class ConnectExecutor implements Executor {

  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final ThreadPoolExecutor POOL =
      new ThreadPoolExecutor(
          0,
          Integer.MAX_VALUE,
          30,
          TimeUnit.SECONDS,
          new SynchronousQueue<>(),
          r -> {
            Thread t = new Thread(r, "userbound-connect-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
          });

  /** pgjdbc calls this with the connectExecutorArg, which is not used. */
  public ConnectExecutor(String unused) {}

  /** Called by pgjdbc when no argument is given. */
  public ConnectExecutor() {}

  @Override
  public void execute(Runnable task) {
    POOL.execute(
        () -> {
          try {
            task.run();
          } finally {
            Thread.interrupted(); // clear a flag left by an abandoned attempt
          }
        });
  }
}
