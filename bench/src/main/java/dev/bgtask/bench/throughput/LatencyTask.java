package dev.bgtask.bench.throughput;

import dev.bgtask.Background;
import java.time.Instant;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Records, when it starts, how long ago it was enqueued: wall-clock microseconds, comparable
 * across JVMs on one machine. The other contenders' jobs call {@link #run} as their body; without
 * the agent in their JVM it is a plain method.
 */
public final class LatencyTask {

  static final ConcurrentLinkedQueue<Long> latenciesMicros = new ConcurrentLinkedQueue<>();
  /** Set in a worker-only JVM: each latency is printed for the harness. */
  static volatile boolean print;

  private LatencyTask() {}

  @Background
  public static void run(long enqueuedAtMicros) {
    long latency = nowMicros() - enqueuedAtMicros;
    latenciesMicros.add(latency);
    if (print) {
      System.out.println("latency " + latency);
    }
  }

  static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }
}
