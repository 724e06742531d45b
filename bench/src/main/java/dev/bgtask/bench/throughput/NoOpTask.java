package dev.bgtask.bench.throughput;

import dev.bgtask.Background;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The task every throughput workload stores: it only counts its runs. The other contenders' jobs
 * call {@link #run} as their body; without the agent in their JVM it is a plain method.
 */
public final class NoOpTask {

  static final AtomicInteger runs = new AtomicInteger();

  private NoOpTask() {}

  @Background
  public static void run(int number) {
    runs.incrementAndGet();
  }
}
