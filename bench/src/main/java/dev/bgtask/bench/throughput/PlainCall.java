package dev.bgtask.bench.throughput;

import java.util.Locale;

/** The cost of calling the no-op method without the agent, beside which the per-call cost of a queue is read. */
final class PlainCall {

  private static final int CALLS = 20_000_000;

  private PlainCall() {}

  /** Measured in the harness's own JVM, which has no agent, so {@link NoOpTask#run} is a plain call. */
  static String measure() {
    for (int i = 0; i < CALLS; i++) {
      NoOpTask.run(i);
    }
    long began = System.nanoTime();
    for (int i = 0; i < CALLS; i++) {
      NoOpTask.run(i);
    }
    long took = System.nanoTime() - began;
    return String.format(Locale.ROOT, "{\"benchmark\":\"plain-call\",\"system\":\"plain method call\",\"calls\":%d,\"nanosPerCall\":%.1f}",
        CALLS, (double) took / CALLS);
  }
}
