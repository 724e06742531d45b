package dev.bgtask.bench.throughput;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The workloads every contender runs in a child JVM of its own, the same way, so only the queue
 * differs. {@code enqueue <tasks> <threads> <warm-up> <db>} stores no-op tasks from that many
 * threads, timing all but the first {@code warm-up}; {@code drain <tasks> <warm-up> <db>} starts
 * the workers over tasks an earlier enqueue stored (its warm-up ones too) and times the runs after
 * the first {@code warm-up}; {@code latency <probes> <warm-up probes> <db> same-jvm|other-jvm} enqueues probes 20 ms
 * apart, run here or by a {@code latency-worker} JVM, which prints each latency; {@code same-jvm-back-to-back}
 * enqueues each probe as soon as the one before has started here. Prints one JSON result line.
 */
abstract class Workloads {

  static final long PROBE_SPACING_MILLIS = 20;
  static final long DRAIN_LIMIT_SECONDS = 60;
  /** How long a drain waits for its warm-up tasks: JobRunr on H2 runs a few dozen a second. */
  static final long WARM_UP_LIMIT_SECONDS = 20;
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

  /** False for a contender whose probe records its own latency, with no worker to start it. */
  boolean probesNeedWorkers() {
    return true;
  }

  /** Runs the workload, then ends the JVM: the other contenders' worker threads would keep it alive. */
  final void run(String[] args) throws Exception {
    connect(System.getProperty("bench.url"), System.getProperty("bench.user"));
    switch (args[0]) {
      case "enqueue" -> enqueue(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), args[4]);
      case "drain" -> drain(Integer.parseInt(args[1]), Integer.parseInt(args[2]), args[3]);
      case "latency" -> latency(Integer.parseInt(args[1]), Integer.parseInt(args[2]), args[3], args[4]);
      case "latency-worker" -> latencyWorker();
      default -> throw new IllegalArgumentException("unknown workload " + args[0]);
    }
    System.out.flush();
    System.exit(0);
  }

  /** {@code warmUp} calls first, untimed, from as many threads, so the JIT has compiled the path; then the timed ones. */
  private void enqueue(int tasks, int threads, int warmUp, String database) throws Exception {
    callConcurrently(tasks, warmUp, threads);
    long took = callConcurrently(0, tasks, threads);
    System.out.println(ResultLines.throughput("enqueue", system(), database, tasks, threads, took));
  }

  /**
   * Enqueues tasks numbered {@code first} to {@code first + calls - 1} (db-scheduler needs each
   * number once) from {@code threads} threads; returns the nanoseconds they took.
   */
  private long callConcurrently(int first, int calls, int threads) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> callers = new ArrayList<>();
    List<Exception> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int t = 0; t < threads; t++) {
      int offset = t;
      Thread caller = new Thread(() -> {
        try {
          start.await();
          for (int i = offset; i < calls; i += threads) {
            enqueueNoOp(first + i);
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
    return took;
  }

  /**
   * Lets the first {@code warmUp} tasks run untimed (for at most {@link #WARM_UP_LIMIT_SECONDS}), so
   * the JIT has compiled the path; then times until the other {@code tasks} have run, or for at most
   * {@link #DRAIN_LIMIT_SECONDS}: then the rate is of the tasks that ran by then, and the line says
   * how many of how many (JobRunr drains 20,000 tasks in batches a 5 s poll apart, which would take
   * most of the bench's time).
   */
  private void drain(int tasks, int warmUp, String database) throws Exception {
    startWorkers();
    awaitRuns(warmUp, WARM_UP_LIMIT_SECONDS);
    int before = NoOpTask.runs.get();
    NoOpTask.resetGaps();
    Optional<ClaimTimes> claimsBefore = claimTimes();
    // A warm-up that overshot leaves slightly fewer than `tasks` to time; one cut short, more than enough.
    int expected = Math.min(tasks, warmUp + tasks - before);
    long began = System.nanoTime();
    awaitRuns(before + expected, DRAIN_LIMIT_SECONDS);
    long took = System.nanoTime() - began;
    int ran = Math.min(expected, NoOpTask.runs.get() - before);
    String result = ran >= expected ? ResultLines.throughput("drain", system(), database, ran, 8, took)
        : ResultLines.stoppedDrain(system(), database, ran, expected, took, DRAIN_LIMIT_SECONDS);
    result = ResultLines.withPauses(result, NoOpTask.longestGapNanos(), NoOpTask.pauses());
    if (claimsBefore.isPresent()) {
      result = claimTimes().orElseThrow().since(claimsBefore.get()).addTo(result);
    }
    System.out.println(result);
  }

  /** The claim times a contender's workers report, if they report them (only ours does). */
  Optional<ClaimTimes> claimTimes() throws Exception {
    return Optional.empty();
  }

  private static void awaitRuns(int runs, long limitSeconds) throws InterruptedException {
    long deadline = System.nanoTime() + limitSeconds * 1_000_000_000L;
    while (NoOpTask.runs.get() < runs && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
  }

  /**
   * First {@code warmUp} probes back to back, left out, so the JIT has compiled the path, as in a
   * running application; then the measured probes: 20 ms apart, so each meets an idle machine, or,
   * {@code same-jvm-back-to-back}, each as soon as the one before has started.
   */
  private void latency(int probes, int warmUp, String database, String from) throws Exception {
    boolean here = from.startsWith("same-jvm");
    boolean backToBack = from.endsWith("back-to-back");
    if (here && probesNeedWorkers()) {
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
    for (int i = 1; i <= probes; i++) {
      enqueueProbe(LatencyTask.nowMicros());
      if (backToBack) {
        awaitProbes(warmUp + i);
      } else {
        Thread.sleep(PROBE_SPACING_MILLIS);
      }
    }
    if (here) {
      awaitProbes(warmUp + probes);
      List<Long> latencies = new ArrayList<>(LatencyTask.latenciesMicros);
      System.out.println(ResultLines.latency(system(), database, from, latencies.subList(warmUp, latencies.size())));
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
