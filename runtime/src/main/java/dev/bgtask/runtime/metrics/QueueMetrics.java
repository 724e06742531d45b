package dev.bgtask.runtime.metrics;

import java.util.concurrent.atomic.LongAdder;

/** What this JVM counted for one queue since it started. */
public final class QueueMetrics {

  final LongAdder enqueued = new LongAdder();
  final LongAdder started = new LongAdder();
  final LongAdder succeeded = new LongAdder();
  final LongAdder failed = new LongAdder();
  final LongAdder gaveUp = new LongAdder();
  /** How long attempts ran, whatever their outcome. */
  final Histogram runTime = new Histogram();
  /** From a task's due time to the start of its attempt. */
  final Histogram queueWait = new Histogram();

  public long enqueued() { return enqueued.sum(); }
  public long started() { return started.sum(); }
  public long succeeded() { return succeeded.sum(); }
  /** Attempts that failed, the last ones included. */
  public long failed() { return failed.sum(); }
  /** Tasks that failed their last attempt. */
  public long gaveUp() { return gaveUp.sum(); }
  public Histogram runTime() { return runTime; }
  public Histogram queueWait() { return queueWait; }
}
