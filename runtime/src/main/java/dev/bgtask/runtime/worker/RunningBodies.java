package dev.bgtask.runtime.worker;

import dev.bgtask.runtime.AgentThreads;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The task bodies running on this JVM's worker threads, each of which may have to be stopped: when
 * it runs past its {@code maxRunTime}, when this JVM can no longer confirm its lease, when the JVM
 * stops and the grace period is over. Stopping interrupts the body's thread, and only while the
 * body runs, never once it has returned: an interrupt that arrived while the worker writes to an
 * embedded H2 file would close that file under every other thread.
 */
final class RunningBodies {

  private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, AgentThreads.named("bgtask-timeouts"));
  private final Set<Watch> running = ConcurrentHashMap.newKeySet();

  RunningBodies() {
    // An alarm cancelled when its body returned leaves the queue at once, not when it would have
    // gone off: with maxRunTime=1h, a busy worker would otherwise keep millions of them.
    timer.setRemoveOnCancelPolicy(true);
  }

  /** One body being watched; {@link #bodyReturned} must be called when it is done. */
  final class Watch {
    /** Empty while the body runs; once it returned, or was stopped, why it ended. */
    private final AtomicReference<Optional<String>> ended = new AtomicReference<>();
    private final Thread worker;
    private final long taskId;
    private final ScheduledFuture<?> alarm;
    private volatile boolean cancelled;

    private Watch(Thread worker, long taskId, Duration limit) {
      this.worker = worker;
      this.taskId = taskId;
      this.alarm = limit.isZero() ? null : timer.schedule(
          () -> stop("timed out after " + describe(limit) + " (maxRunTime); the attempt was interrupted"),
          limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Interrupts the body, if it still runs; {@code why} becomes the attempt's error. */
    boolean stop(String why) {
      if (ended.compareAndSet(null, Optional.of(why))) {
        worker.interrupt();
        return true;
      }
      return false;
    }

    /** True when the body was stopped because someone cancelled its task: it is not retried. */
    boolean wasCancelled() {
      return cancelled;
    }

    /**
     * Why the body was stopped, or empty when it returned by itself. The thread's interrupt, if
     * any, is cleared either way, before the worker writes the outcome.
     */
    Optional<String> bodyReturned() {
      if (alarm != null) {
        alarm.cancel(false);
      }
      running.remove(this);
      ended.compareAndSet(null, Optional.empty());
      Thread.interrupted();
      return ended.get();
    }
  }

  Watch watch(Thread worker, long taskId, Duration limit) {
    Watch watch = new Watch(worker, taskId, limit);
    running.add(watch);
    return watch;
  }

  /** Stops every body still running; returns how many it interrupted. */
  int stopAll(String why) {
    int stopped = 0;
    for (Watch watch : running) {
      if (watch.stop(why)) {
        stopped++;
      }
    }
    return stopped;
  }

  /** Stops the body of task {@code taskId}, if it runs here, as cancelled; true when it did. */
  boolean cancel(long taskId, String why) {
    for (Watch watch : running) {
      if (watch.taskId == taskId) {
        watch.cancelled = true;
        if (watch.stop(why)) {
          return true;
        }
        watch.cancelled = false;
      }
    }
    return false;
  }

  /** Alarms waiting to go off: one per attempt still running under a limit. */
  int pendingAlarms() {
    return timer.getQueue().size();
  }

  private static String describe(Duration limit) {
    return limit.toMillis() % 1000 == 0 ? limit.toSeconds() + " s" : limit.toMillis() + " ms";
  }
}
