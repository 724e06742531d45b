package dev.bgtask.bench.throughput;

import dev.bgtask.bench.throughput.Contender.Role;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Enqueue (1 and 4 threads), drain (8 workers) and enqueue-to-start latency of no-op tasks, for
 * background-task, db-scheduler, JobRunr and the plain-JDBC reference, on H2 and PostgreSQL, in
 * one invocation so the ratios are side by side. Every workload gets a fresh database and fresh
 * JVMs. Prints one JSON line per result, then the Markdown table.
 */
public final class ThroughputBenchmark {

  private final Path agentJar;
  private final int tasks;
  private final List<String> databases;
  private final Path benchJar;
  private final Path java = Path.of(System.getProperty("java.home"), "bin", "java");

  public ThroughputBenchmark(Path agentJar, int tasks, List<String> databases) throws Exception {
    if (!Files.isRegularFile(agentJar)) {
      throw new IllegalArgumentException("no agent jar at " + agentJar + "; build it with mvn -DskipTests package");
    }
    this.agentJar = agentJar;
    this.tasks = tasks;
    this.databases = databases;
    this.benchJar = Path.of(ThroughputBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  /** Runs everything and returns the result lines it printed. */
  public List<String> run(PrintStream out) throws Exception {
    List<String> results = new ArrayList<>();
    java.util.function.Consumer<String> report = line -> {
      out.println(line);
      results.add(line);
    };
    report.accept(PlainCall.measure());
    for (String database : databases) {
      for (Contender contender : Contender.values()) {
        measure(contender, database, report);
      }
    }
    return results;
  }

  private void measure(Contender contender, String database, java.util.function.Consumer<String> report) throws Exception {
    for (int threads : new int[] {1, 4}) {
      try (Scratch scratch = Scratch.create(database)) {
        report.accept(resultOf(contender, scratch, Role.STORE, "enqueue", String.valueOf(tasks), String.valueOf(threads),
            String.valueOf(warmUpCalls()), database));
      }
    }
    try (Scratch scratch = Scratch.create(database)) {
      runToEnd(contender, scratch, Role.STORE, "enqueue", String.valueOf(tasks), "4", String.valueOf(warmUpCalls()), database);
      report.accept(resultOf(contender, scratch, Role.DRAIN, "drain", String.valueOf(tasks), String.valueOf(warmUpCalls()), database));
    }
    for (String from : contender.startsPromptly() ? List.of("same-jvm", "same-jvm-back-to-back") : List.of("same-jvm")) {
      try (Scratch scratch = Scratch.create(database)) {
        report.accept(resultOf(contender, scratch, Role.RUN_HERE, "latency", String.valueOf(latencyProbes()),
            String.valueOf(warmUpProbes(contender)), database, from));
      }
    }
    if (database.equals("postgresql") && contender.measuresLatencyFromAnotherJvm()) {
      try (Scratch scratch = Scratch.create(database)) {
        report.accept(latencyFromAnotherJvm(contender, scratch, database));
      }
    }
  }

  /**
   * Our drain alone on a fresh {@code database}, with {@code agentOptions} ({@code ,key=value...})
   * added to the draining JVM's, while {@code meanwhile} runs on a thread of its own (it is
   * interrupted when the drain ends); returns the drain's result line.
   */
  public String ourDrain(String database, String agentOptions, Runnable meanwhile) throws Exception {
    Contender ours = Contender.BACKGROUND_TASK;
    try (Scratch scratch = Scratch.create(database)) {
      runToEnd(ours, scratch, Role.STORE, "enqueue", String.valueOf(tasks), "4", String.valueOf(warmUpCalls()), database);
      Thread side = new Thread(meanwhile, "while-draining");
      side.setDaemon(true);
      side.start();
      try {
        String output = runToEndWith(ours, scratch, Role.DRAIN, agentOptions, "drain", String.valueOf(tasks), String.valueOf(warmUpCalls()), database);
        return output.lines().filter(line -> line.startsWith("{")).findFirst()
            .orElseThrow(() -> new IllegalStateException("no result from our drain:\n" + output));
      } finally {
        side.interrupt();
        side.join(5_000);
      }
    }
  }

  private int latencyProbes() {
    return Math.min(300, tasks);
  }

  /** Calls and runs before the timed ones in the enqueue and drain JVMs, so every contender's path is compiled by the JIT. */
  private int warmUpCalls() {
    return Math.min(10_000, tasks);
  }

  /**
   * Probes run before the measured ones, so every contender's path is compiled by the JIT as in an
   * application that has been running a while. HotSpot's optimising compiler takes a method once it
   * has been called ~5,000 times: after 1,000 probes a queue's path still ran as first-tier code,
   * several times slower on a machine left idle between probes. JobRunr keeps 1,000: it starts a job
   * at its next 5 s poll whatever its code, and on H2 it would take minutes to run 10,000.
   */
  private int warmUpProbes(Contender contender) {
    return Math.min(contender.startsPromptly() ? 10_000 : 1_000, tasks);
  }

  /** A worker JVM runs the probes a second JVM enqueues (warm-up, then 20 ms apart); it prints each latency. */
  private String latencyFromAnotherJvm(Contender contender, Scratch scratch, String database) throws Exception {
    Process worker = start(contender, scratch, Role.SERVE_OTHERS, "latency-worker");
    BufferedReader lines = new BufferedReader(new InputStreamReader(worker.getInputStream()));
    StringBuilder seen = new StringBuilder();
    for (String line = lines.readLine(); !"ready".equals(line); line = lines.readLine()) {
      if (line == null) {
        throw new IllegalStateException(contender.label + "'s latency worker exited before it was ready:\n" + seen);
      }
      seen.append(line).append('\n');
    }
    // Read while the probes run: a worker blocked on a full output pipe would start no probe.
    List<Long> micros = Collections.synchronizedList(new ArrayList<>());
    Thread reader = new Thread(() -> collectLatencies(lines, micros), "latency-reader");
    reader.setDaemon(true);
    reader.start();
    runToEnd(contender, scratch, Role.STORE, "latency", String.valueOf(latencyProbes()), String.valueOf(warmUpProbes(contender)), database, "other-jvm");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    int expected = warmUpProbes(contender) + latencyProbes();
    while (micros.size() < expected && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    worker.getOutputStream().close();
    worker.destroy();
    worker.waitFor(1, TimeUnit.MINUTES);
    reader.join(TimeUnit.SECONDS.toMillis(10));
    List<Long> ran;
    synchronized (micros) {
      ran = new ArrayList<>(micros);
    }
    if (ran.size() != expected) {
      throw new IllegalStateException(contender.label + "'s latency worker ran " + ran.size() + " probes, not " + expected);
    }
    return ResultLines.latency(contender.label, database, "other-jvm", ran.subList(warmUpProbes(contender), expected));
  }

  /** Adds each latency the worker prints, until its output ends. */
  private static void collectLatencies(BufferedReader lines, List<Long> micros) {
    try {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.startsWith("latency ")) {
          micros.add(Long.parseLong(line.substring("latency ".length())));
        }
      }
    } catch (IOException ended) {
      // the worker was stopped
    }
  }

  /** Runs one workload in a child JVM and returns its result line. */
  String resultOf(Contender contender, Scratch scratch, Role role, String... arguments) throws Exception {
    String output = runToEnd(contender, scratch, role, arguments);
    return output.lines().filter(line -> line.startsWith("{")).findFirst()
        .orElseThrow(() -> new IllegalStateException("no result from " + contender.label + " " + List.of(arguments) + ":\n" + output));
  }

  /** Runs one workload in a child JVM; returns its output once it exited cleanly. */
  private String runToEnd(Contender contender, Scratch scratch, Role role, String... arguments) throws Exception {
    return runToEndWith(contender, scratch, role, "", arguments);
  }

  private String runToEndWith(Contender contender, Scratch scratch, Role role, String agentOptions, String... arguments) throws Exception {
    Process process = startWith(contender, scratch, role, agentOptions, arguments);
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new IllegalStateException(contender.label + " " + List.of(arguments) + " failed:\n" + output);
    }
    return output;
  }

  private Process start(Contender contender, Scratch scratch, Role role, String... arguments) throws IOException {
    return startWith(contender, scratch, role, "", arguments);
  }

  private Process startWith(Contender contender, Scratch scratch, Role role, String agentOptions, String... arguments) throws IOException {
    List<String> command = contender.command(java, agentJar, benchJar, scratch, role, agentOptions);
    command.addAll(List.of(arguments));
    return new ProcessBuilder(command).directory(scratch.directory().toFile()).redirectErrorStream(true).start();
  }
}
