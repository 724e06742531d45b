package dev.bgtask.bench.throughput;

import dev.bgtask.BackgroundTasks;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * background-task's side of the throughput workloads, run in a child JVM started with the agent:
 * {@code enqueue <tasks> <threads>} stores no-op tasks from that many threads; {@code drain <tasks>}
 * starts with its workers paused (agent option {@code paused=true}), resumes them and times until
 * that many tasks have run. Prints one JSON result line.
 */
public final class OurWorkloads {

  private OurWorkloads() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "enqueue" -> enqueue(Integer.parseInt(args[1]), Integer.parseInt(args[2]), args[3]);
      case "drain" -> drain(Integer.parseInt(args[1]), args[2]);
      case "latency" -> latency(Integer.parseInt(args[1]), args[2], args[3]);
      case "latency-worker" -> latencyWorker();
      default -> throw new IllegalArgumentException("unknown workload " + args[0]);
    }
  }

  private static void enqueue(int tasks, int threads, String database) throws InterruptedException {
    NoOpTask.run(-1); // waits for the agent's start, warms the path
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> callers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int first = t;
      Thread caller = new Thread(() -> {
        awaitQuietly(start);
        for (int i = first; i < tasks; i += threads) {
          NoOpTask.run(i);
        }
      });
      caller.start();
      callers.add(caller);
    }
    long began = System.nanoTime();
    start.countDown();
    for (Thread caller : callers) {
      caller.join();
    }
    report("enqueue", database, tasks, threads, System.nanoTime() - began);
  }

  private static void drain(int tasks, String database) throws InterruptedException {
    BackgroundTasks.pause(); // waits for the agent's start; the workers start paused anyway
    long began = System.nanoTime();
    BackgroundTasks.resume();
    while (NoOpTask.runs.get() < tasks) {
      Thread.sleep(1);
    }
    report("drain", database, tasks, 8, System.nanoTime() - began);
  }

  /**
   * Enqueues {@code tasks} latency probes one at a time, each once the previous one has started
   * (same JVM) or 20 ms apart (another JVM runs them, printing each latency).
   */
  private static void latency(int tasks, String database, String where) throws InterruptedException {
    LatencyTask.run(LatencyTask.nowMicros()); // waits for the agent's start, warms the path
    boolean here = where.equals("same-jvm");
    awaitStarted(1, here);
    for (int i = 0; i < tasks; i++) {
      LatencyTask.run(LatencyTask.nowMicros());
      if (here) {
        awaitStarted(i + 2, true);
        Thread.sleep(2);
      } else {
        Thread.sleep(20);
      }
    }
    if (here) {
      List<Long> latencies = new ArrayList<>(LatencyTask.latenciesMicros);
      System.out.println(latencyLine(database, where, latencies.subList(1, latencies.size())));
    }
  }

  private static void awaitStarted(int count, boolean here) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (here && LatencyTask.latenciesMicros.size() < count && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
  }

  /** Runs the probes another JVM stores, until standard input closes. */
  private static void latencyWorker() throws java.io.IOException {
    LatencyTask.print = true;
    BackgroundTasks.resume(); // waits for the agent's start
    System.out.println("ready");
    while (System.in.read() != -1) {
      // serve
    }
  }

  static String latencyLine(String database, String where, List<Long> micros) {
    List<Long> sorted = micros.stream().sorted().toList();
    return String.format(Locale.ROOT,
        "{\"benchmark\":\"latency\",\"system\":\"background-task\",\"db\":\"%s\",\"from\":\"%s\",\"tasks\":%d,"
            + "\"p50ms\":%.2f,\"p95ms\":%.2f,\"p99ms\":%.2f}",
        database, where, sorted.size(), percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99));
  }

  private static double percentile(List<Long> sortedMicros, int percent) {
    int index = Math.min(sortedMicros.size() - 1, (int) Math.ceil(percent / 100.0 * sortedMicros.size()) - 1);
    return sortedMicros.get(Math.max(0, index)) / 1000.0;
  }

  static void report(String workload, String database, int tasks, int threads, long nanos) {
    System.out.println(String.format(Locale.ROOT,
        "{\"benchmark\":\"%s\",\"system\":\"background-task\",\"db\":\"%s\",\"tasks\":%d,\"threads\":%d,\"seconds\":%.3f,\"tasksPerSecond\":%.0f}",
        workload, database, tasks, threads, nanos / 1e9, tasks / (nanos / 1e9)));
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
