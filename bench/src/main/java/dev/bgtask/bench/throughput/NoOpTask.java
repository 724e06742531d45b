package dev.bgtask.bench.throughput;

import dev.bgtask.Background;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The task every throughput workload stores: it only counts its runs. The other contenders' jobs
 * call {@link #run} as their body; without the agent in their JVM it is a plain method.
 */
public final class NoOpTask {

  static final AtomicInteger runs = new AtomicInteger();
  private static final AtomicLong lastRunNanos = new AtomicLong();
  /** The longest time between two runs since the last {@link #longestGapNanos(boolean)} reset: a stall shows here. */
  private static final AtomicLong longestGapNanos = new AtomicLong();

  private NoOpTask() {}

  @Background
  public static void run(int number) {
    long now = System.nanoTime();
    long last = lastRunNanos.getAndSet(now);
    if (last != 0) {
      longestGapNanos.accumulateAndGet(now - last, Math::max);
    }
    runs.incrementAndGet();
  }

  static long longestGapNanos(boolean reset) {
    return reset ? longestGapNanos.getAndSet(0) : longestGapNanos.get();
  }
}
