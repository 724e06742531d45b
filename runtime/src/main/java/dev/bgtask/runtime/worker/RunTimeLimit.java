package dev.bgtask.runtime.worker;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code maxRunTime}: interrupts a task's thread when an attempt runs too long. A worker thread is
 * interrupted only while the body runs, never once it has returned: an interrupt that arrived while
 * the worker writes to an embedded H2 file would close that file under every other thread.
 */
final class RunTimeLimit {

  private static final int RUNNING = 0;
  private static final int RETURNED = 1;
  private static final int TIMED_OUT = 2;

  private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
    Thread thread = new Thread(task, "bgtask-timeouts");
    thread.setDaemon(true);
    return thread;
  });

  RunTimeLimit() {
    // An alarm cancelled when its body returned leaves the queue at once, not when it would have
    // gone off: with maxRunTime=1h, a busy worker would otherwise keep millions of them.
    timer.setRemoveOnCancelPolicy(true);
  }

  /** One attempt being watched; {@link #bodyReturned} must be called when the body is done. */
  final class Watch {
    private final AtomicInteger state = new AtomicInteger(RUNNING);
    private final ScheduledFuture<?> alarm;

    private Watch(Thread worker, Duration limit) {
      alarm = limit.isZero() ? null : timer.schedule(() -> {
        if (state.compareAndSet(RUNNING, TIMED_OUT)) {
          worker.interrupt();
        }
      }, limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** True when the limit was hit; the thread's interrupt, if any, is cleared either way. */
    boolean bodyReturned() {
      if (alarm != null) {
        alarm.cancel(false);
      }
      boolean timedOut = !state.compareAndSet(RUNNING, RETURNED);
      Thread.interrupted();
      return timedOut;
    }
  }

  Watch watch(Thread worker, Duration limit) {
    return new Watch(worker, limit);
  }

  /** Alarms waiting to go off: one per attempt still running under a limit. */
  int pendingAlarms() {
    return timer.getQueue().size();
  }
}
