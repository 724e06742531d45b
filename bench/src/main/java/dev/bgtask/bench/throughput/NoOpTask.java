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
  /** The longest time between two runs since the last {@link #resetGaps()}: a stall shows here. */
  private static final AtomicLong longestGapNanos = new AtomicLong();
  /** A gap at least this long counts as a pause: one stall is a chance, many are a pattern. */
  static final long PAUSE_NANOS = 50_000_000;
  private static final AtomicInteger pauses = new AtomicInteger();

  private NoOpTask() {}

  @Background
  public static void run(int number) {
    long now = System.nanoTime();
    long last = lastRunNanos.getAndSet(now);
    if (last != 0) {
      longestGapNanos.accumulateAndGet(now - last, Math::max);
      if (now - last >= PAUSE_NANOS) {
        pauses.incrementAndGet();
      }
    }
    runs.incrementAndGet();
  }

  static long longestGapNanos() {
    return longestGapNanos.get();
  }

  /** How many gaps of at least {@link #PAUSE_NANOS} there were since the last {@link #resetGaps()}. */
  static int pauses() {
    return pauses.get();
  }

  /** Starts counting the longest gap and the pauses afresh. */
  static void resetGaps() {
    longestGapNanos.set(0);
    pauses.set(0);
  }
}
