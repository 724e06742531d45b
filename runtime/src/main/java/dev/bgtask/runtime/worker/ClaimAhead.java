package dev.bgtask.runtime.worker;

/**
 * How many tasks a dispatcher claims beyond its free threads. Only while tasks are short does a
 * claim round cost more than the tasks it brings, so only then are up to three times the threads
 * claimed ahead; long tasks are claimed one free thread at a time and never wait in this JVM while
 * another JVM's threads are idle. Starts out treating tasks as long.
 */
final class ClaimAhead {

  static final long SHORT_TASK_NANOS = 10_000_000;
  private static final int AHEAD_PER_THREAD = 3;

  private final int limit;
  private long averageRunNanos = SHORT_TASK_NANOS;

  ClaimAhead(int threads) {
    this.limit = threads * AHEAD_PER_THREAD;
  }

  /** A task's body and outcome took {@code nanos}; the average weighs the last few dozen runs. */
  synchronized void ran(long nanos) {
    averageRunNanos += (nanos - averageRunNanos) / 16;
  }

  synchronized int extra() {
    return averageRunNanos < SHORT_TASK_NANOS ? limit : 0;
  }
}
