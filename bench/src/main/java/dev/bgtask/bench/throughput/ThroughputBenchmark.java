package dev.bgtask.bench.throughput;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Enqueue (1 and 4 threads) and drain (8 workers) of no-op tasks, for background-task and the
 * plain-JDBC reference, on H2 and PostgreSQL, in one invocation so the ratios are side by side.
 * Every workload gets a fresh database. background-task runs in child JVMs with the agent; the
 * reference runs in this JVM. Prints one JSON line per result.
 */
public final class ThroughputBenchmark {

  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";

  private final Path agentJar;
  private final int tasks;
  private final List<String> databases;
  private final Path benchJar;

  public ThroughputBenchmark(Path agentJar, int tasks, List<String> databases) throws Exception {
    if (!Files.isRegularFile(agentJar)) {
      throw new IllegalArgumentException("no agent jar at " + agentJar + "; build it with mvn -DskipTests package");
    }
    this.agentJar = agentJar;
    this.tasks = tasks;
    this.databases = databases;
    this.benchJar = Path.of(ThroughputBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  public void run(PrintStream out) throws Exception {
    for (String database : databases) {
      for (int threads : new int[] {1, 4}) {
        try (Scratch scratch = scratch(database)) {
          out.println(child(scratch, "workers=0", "enqueue", String.valueOf(tasks), String.valueOf(threads), database));
        }
        try (Scratch scratch = scratch(database)) {
          JdbcReference reference = new JdbcReference(scratch.referenceUrl(), scratch.user());
          reference.createTable();
          out.println(reference("enqueue", database, threads, reference.enqueue(tasks, threads)));
        }
      }
      try (Scratch scratch = scratch(database)) {
        runToEnd(scratch, "workers=0", "enqueue", String.valueOf(tasks), "4", database);
        out.println(child(scratch, "workers=8,paused=true,history=off", "drain", String.valueOf(tasks), database));
      }
      try (Scratch scratch = scratch(database)) {
        JdbcReference reference = new JdbcReference(scratch.referenceUrl(), scratch.user());
        reference.createTable();
        reference.enqueue(tasks, 4);
        out.println(reference("drain", database, 8, reference.drain(tasks)));
      }
      try (Scratch scratch = scratch(database)) {
        out.println(child(scratch, "workers=8,history=off", "latency", String.valueOf(latencyProbes()), database, "same-jvm"));
      }
      if (database.equals("postgresql")) {
        try (Scratch scratch = scratch(database)) {
          out.println(latencyFromAnotherJvm(scratch, database));
        }
      }
    }
  }

  private int latencyProbes() {
    return Math.min(300, tasks);
  }

  /** A worker JVM runs the probes a second JVM enqueues 20 ms apart; PostgreSQL's NOTIFY is what wakes it. */
  private String latencyFromAnotherJvm(Scratch scratch, String database) throws IOException, InterruptedException {
    Process worker = start(scratch, "workers=8,history=off,sleep=5s", "latency-worker");
    java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(worker.getInputStream()));
    for (String line = lines.readLine(); !"ready".equals(line); line = lines.readLine()) {
      if (line == null) {
        throw new IllegalStateException("the latency worker exited before it was ready");
      }
    }
    runToEnd(scratch, "workers=0", "latency", String.valueOf(latencyProbes()), database, "other-jvm");
    Thread.sleep(1_000);
    worker.getOutputStream().close();
    List<Long> micros = new ArrayList<>();
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      if (line.startsWith("latency ")) {
        micros.add(Long.parseLong(line.substring("latency ".length())));
      }
    }
    worker.waitFor(1, TimeUnit.MINUTES);
    if (micros.size() != latencyProbes() + 1) {
      throw new IllegalStateException("the latency worker ran " + micros.size() + " probes, not " + (latencyProbes() + 1));
    }
    return OurWorkloads.latencyLine(database, "other-jvm", micros.subList(1, micros.size()));
  }

  private String reference(String workload, String database, int threads, long nanos) {
    return String.format(Locale.ROOT,
        "{\"benchmark\":\"%s\",\"system\":\"plain JDBC\",\"db\":\"%s\",\"tasks\":%d,\"threads\":%d,\"seconds\":%.3f,\"tasksPerSecond\":%.0f}",
        workload, database, tasks, threads, nanos / 1e9, tasks / (nanos / 1e9));
  }

  /** Runs one of {@link OurWorkloads} in a child JVM with the agent and returns its result line. */
  private String child(Scratch scratch, String agentOptions, String... arguments) throws IOException, InterruptedException {
    String output = runToEnd(scratch, agentOptions, arguments);
    return output.lines().filter(line -> line.startsWith("{")).findFirst()
        .orElseThrow(() -> new IllegalStateException("no result from " + List.of(arguments) + ":\n" + output));
  }

  /** Runs one of {@link OurWorkloads} in a child JVM with the agent; returns its output once it exited cleanly. */
  private String runToEnd(Scratch scratch, String agentOptions, String... arguments) throws IOException, InterruptedException {
    Process process = start(scratch, agentOptions, arguments);
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new IllegalStateException("workload " + List.of(arguments) + " failed:\n" + output);
    }
    return output;
  }

  private Process start(Scratch scratch, String agentOptions, String... arguments) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-javaagent:" + agentJar + "=" + agentOptions + scratch.agentUrl(), "-cp", benchJar.toString(),
        OurWorkloads.class.getName()));
    command.addAll(List.of(arguments));
    return new ProcessBuilder(command).directory(scratch.directory().toFile()).redirectErrorStream(true).start();
  }

  private Scratch scratch(String database) throws IOException, SQLException {
    Path directory = Files.createTempDirectory("bgtask-bench-throughput");
    if (database.equals("h2")) {
      return new Scratch(directory, null);
    }
    String name = "bgtask_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    admin("CREATE DATABASE " + name);
    return new Scratch(directory, name);
  }

  private static void admin(String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(POSTGRES + "postgres", "postgres", "");
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  /** A fresh database for one workload: the H2 file in {@code directory}, or a PostgreSQL database. */
  private record Scratch(Path directory, String postgresDatabase) implements AutoCloseable {

    String agentUrl() {
      return postgresDatabase == null ? "" : ",url=" + POSTGRES + postgresDatabase + ",user=postgres";
    }

    String referenceUrl() {
      return postgresDatabase == null ? "jdbc:h2:file:" + directory.resolve("reference") + ";WRITE_DELAY=0" : POSTGRES + postgresDatabase;
    }

    String user() {
      return postgresDatabase == null ? "sa" : "postgres";
    }

    @Override
    public void close() throws SQLException {
      if (postgresDatabase != null) {
        admin("DROP DATABASE IF EXISTS " + postgresDatabase + " WITH (FORCE)");
      }
    }
  }
}
