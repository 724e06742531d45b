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
    int tasks = Integer.parseInt(args[1]);
    switch (args[0]) {
      case "enqueue" -> enqueue(tasks, Integer.parseInt(args[2]), args[3]);
      case "drain" -> drain(tasks, args[2]);
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
