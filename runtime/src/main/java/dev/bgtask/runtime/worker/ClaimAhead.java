package dev.bgtask.runtime.worker;

/**
 * How many tasks a dispatcher claims beyond its free threads. Only while tasks are short does a
 * claim round cost more than the tasks it brings, so only then are tasks claimed ahead: as many as
 * the threads get through in about {@link #HORIZON_NANOS}, at most {@link #MAX_AHEAD_PER_THREAD}
 * per thread. No task claimed ahead waits here much longer than that while another JVM's threads
 * are idle; long tasks are claimed one free thread at a time. Starts out treating tasks as long.
 */
final class ClaimAhead {

  static final long SHORT_TASK_NANOS = 10_000_000;
  static final long HORIZON_NANOS = 50_000_000;
  static final int MAX_AHEAD_PER_THREAD = 64;

  private final int threads;
  private long averageRunNanos = SHORT_TASK_NANOS;

  ClaimAhead(int threads) {
    this.threads = threads;
  }

  /** A task's body and outcome took {@code nanos}; the average weighs the last few dozen runs. */
  synchronized void ran(long nanos) {
    averageRunNanos += (nanos - averageRunNanos) / 16;
  }

  synchronized int extra() {
    if (averageRunNanos >= SHORT_TASK_NANOS) {
      return 0;
    }
    long perThread = Math.min(MAX_AHEAD_PER_THREAD, HORIZON_NANOS / Math.max(1, averageRunNanos));
    return (int) perThread * threads;
  }
}
