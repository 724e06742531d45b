package dev.bgtask.bench.throughput;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The workloads every contender runs in a child JVM of its own, the same way, so only the queue
 * differs. {@code enqueue <tasks> <threads> <db>} stores no-op tasks from that many threads;
 * {@code drain <tasks> <db>} starts the workers over tasks an earlier enqueue stored and times
 * until that many have run; {@code latency <probes> <warm-up probes> <db> same-jvm|other-jvm} enqueues probes 20 ms
 * apart, run here or by a {@code latency-worker} JVM, which prints each latency. Prints one JSON
 * result line.
 */
abstract class Workloads {

  static final long PROBE_SPACING_MILLIS = 20;
  static final long DRAIN_LIMIT_SECONDS = 60;
  /** Time for another JVM to run the warm-up probes before the measured ones: JobRunr needs a few of its 5 s polls. */
  static final long WARM_UP_PAUSE_MILLIS = 20_000;

  /** The contender's name in the result lines. */
  abstract String system();

  /** Connects to {@code url} (as {@code user}); starts no worker. */
  abstract void connect(String url, String user) throws Exception;

  abstract void enqueueNoOp(int number) throws Exception;

  abstract void enqueueProbe(long enqueuedAtMicros) throws Exception;

  /** Starts 8 worker threads over the stored tasks. */
  abstract void startWorkers() throws Exception;

  /** Runs the workload, then ends the JVM: the other contenders' worker threads would keep it alive. */
  final void run(String[] args) throws Exception {
    connect(System.getProperty("bench.url"), System.getProperty("bench.user"));
    switch (args[0]) {
      case "enqueue" -> enqueue(Integer.parseInt(args[1]), Integer.parseInt(args[2]), args[3]);
      case "drain" -> drain(Integer.parseInt(args[1]), args[2]);
      case "latency" -> latency(Integer.parseInt(args[1]), Integer.parseInt(args[2]), args[3], args[4].equals("same-jvm"));
      case "latency-worker" -> latencyWorker();
      default -> throw new IllegalArgumentException("unknown workload " + args[0]);
    }
    System.out.flush();
    System.exit(0);
  }

  private void enqueue(int tasks, int threads, String database) throws Exception {
    enqueueNoOp(-1); // warms the path; the drain that follows counts only `tasks` runs
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> callers = new ArrayList<>();
    List<Exception> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int t = 0; t < threads; t++) {
      int first = t;
      Thread caller = new Thread(() -> {
        try {
          start.await();
          for (int i = first; i < tasks; i += threads) {
            enqueueNoOp(i);
          }
        } catch (Exception e) {
          failures.add(e);
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
    long took = System.nanoTime() - began;
    if (!failures.isEmpty()) {
      throw failures.get(0);
    }
    System.out.println(ResultLines.throughput("enqueue", system(), database, tasks, threads, took));
  }

  /**
   * Times until {@code tasks} have run, or for at most {@link #DRAIN_LIMIT_SECONDS}: then the rate
   * is of the tasks that ran by then, and the line says how many of how many (JobRunr drains
   * 20,000 tasks in batches a 5 s poll apart, which would take most of the bench's time).
   */
  private void drain(int tasks, String database) throws Exception {
    long began = System.nanoTime();
    long deadline = began + DRAIN_LIMIT_SECONDS * 1_000_000_000L;
    startWorkers();
    while (NoOpTask.runs.get() < tasks && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    long took = System.nanoTime() - began;
    int ran = Math.min(tasks, NoOpTask.runs.get());
    System.out.println(ran == tasks ? ResultLines.throughput("drain", system(), database, ran, 8, took)
        : ResultLines.stoppedDrain(system(), database, ran, tasks, took, DRAIN_LIMIT_SECONDS));
  }

  /**
   * First {@code warmUp} probes back to back, left out, so the JIT has compiled the path, as in a
   * running application; then the measured probes, 20 ms apart.
   */
  private void latency(int probes, int warmUp, String database, boolean here) throws Exception {
    if (here) {
      startWorkers();
    }
    for (int i = 0; i < warmUp; i++) {
      enqueueProbe(LatencyTask.nowMicros());
    }
    if (here) {
      awaitProbes(warmUp);
    } else {
      Thread.sleep(WARM_UP_PAUSE_MILLIS);
    }
    for (int i = 0; i < probes; i++) {
      enqueueProbe(LatencyTask.nowMicros());
      Thread.sleep(PROBE_SPACING_MILLIS);
    }
    if (here) {
      awaitProbes(warmUp + probes);
      List<Long> latencies = new ArrayList<>(LatencyTask.latenciesMicros);
      System.out.println(ResultLines.latency(system(), database, "same-jvm", latencies.subList(warmUp, latencies.size())));
    }
  }

  /** Waits for that many probes to have run; JobRunr takes a few of its 5 s polls for the warm-up. */
  private static void awaitProbes(int count) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (LatencyTask.latenciesMicros.size() < count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + LatencyTask.latenciesMicros.size() + " of " + count + " probes started in 60 s");
      }
      Thread.sleep(0, 100_000);
    }
  }

  /** Runs the probes another JVM stores, printing each latency, until standard input closes. */
  private void latencyWorker() throws Exception {
    LatencyTask.print = true;
    startWorkers();
    System.out.println("ready");
    while (System.in.read() != -1) {
      // serve
    }
  }
}
