package dev.bgtask.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.e2e.support.ChildJvm;
import dev.bgtask.e2e.support.PgBouncer;
import dev.bgtask.e2e.support.ResultLines;
import dev.bgtask.e2e.support.ScratchPostgres;
import dev.bgtask.e2e.support.ServerConnectionSampler;
import dev.bgtask.e2e.support.TaskTables;
import dev.bgtask.e2e.support.Waiting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fifty worker JVMs of two threads each (pools of ten connections: 500 client connections) drain
 * 100,000 tasks through pgbouncer in transaction mode, in front of a PostgreSQL of the test's own
 * that accepts 40 connections. pg_stat_statements counts the claims.
 */
class FiftyWorkerJvmsTest {

  private static final int JVMS = 50;
  private static final int TASKS = 100_000;
  private static final int MAX_CONNECTIONS = 40;
  private static final int SERVER_CONNECTIONS = 20;
  // Fifty JVMs on a machine of two cores: a worker may wait seconds for the CPU, which must not look like death.
  private static final String WORKER_OPTIONS = "workers=2,pooler=transaction,sleep=1s,heartbeat=5s,workerTimeout=60s";

  @TempDir
  Path directory;

  private ScratchPostgres postgres;
  private PgBouncer bouncer;
  private final List<ChildJvm> jvms = new ArrayList<>();

  @AfterEach
  void stopEverything() {
    jvms.forEach(ChildJvm::terminate);
    if (bouncer != null) {
      bouncer.close();
    }
    if (postgres != null) {
      postgres.destroy();
    }
  }

  @Test
  void fiftyJvmsThroughATransactionPoolerRunEachOfAHundredThousandTasksOnce() {
    postgres = ScratchPostgres.primary(Map.of("max_connections", String.valueOf(MAX_CONNECTIONS),
        "shared_preload_libraries", "'pg_stat_statements'"));
    postgres.execute("postgres", "CREATE DATABASE tasks");
    postgres.execute("tasks", "CREATE EXTENSION pg_stat_statements");
    bouncer = PgBouncer.start("transaction", postgres.port(), SERVER_CONNECTIONS);
    // The test's own reads go through the pooler too, so that every other server connection is the pooler's.
    TaskTables tables = new TaskTables(bouncer.url("tasks") + "?prepareThreshold=0", "postgres", "");
    TaskTables direct = postgres.tables("tasks");

    ChildJvm producer = jvm("producer").agent("workers=0,pooler=transaction").start("dev.bgtask.e2e.app.TestApp", "store",
        String.valueOf(TASKS));
    assertEquals(0, producer.awaitExit(Duration.ofSeconds(300)), producer.describe());
    // The backlog waits a day while the JVMs start, so that all fifty meet all of it.
    postgres.execute("tasks", "UPDATE bgtask_task SET due_at = due_at + INTERVAL '1 day'");

    ServerConnectionSampler serverConnections = ServerConnectionSampler.start(direct, "tasks");
    List<ChildJvm> workers = new ArrayList<>();
    long released;
    try {
      for (int i = 0; i < JVMS; i++) {
        workers.add(jvm("w" + i).jvmOption("-De2e.jvm=w" + i).jvmOption("-Xmx64m").jvmOption("-XX:+UseSerialGC")
            .jvmOption("-XX:TieredStopAtLevel=1").agent(WORKER_OPTIONS).start("dev.bgtask.e2e.app.TestApp", "serve"));
      }
      jvms.addAll(workers);
      // Fifty JVMs starting at once on two cores take a while, far longer than one alone.
      Waiting.until(() -> workers.stream().allMatch(w -> w.stderr().contains("[bgtask] INFO  background-task") || !w.isAlive()),
          Duration.ofSeconds(300), () -> "every worker JVM's start line");
      workers.forEach(ChildJvm::awaitAgentStarted);
      postgres.execute("tasks", "SELECT pg_stat_statements_reset()");
      released = System.currentTimeMillis();
      postgres.execute("tasks", "UPDATE bgtask_task SET due_at = due_at - INTERVAL '1 day'");
      Waiting.until(() -> tables.count("SELECT COUNT(*) FROM bgtask_task") == 0, Duration.ofSeconds(600),
          () -> "an empty task table; " + workers.get(0).describe());
      workers.forEach(worker -> assertTrue(worker.isAlive(), worker.describe()));
    } finally {
      serverConnections.close();
    }
    long clientConnections = bouncer.show("POOLS").stream().filter(pool -> "tasks".equals(pool.get("database")))
        .mapToLong(pool -> Long.parseLong(pool.get("cl_active")) + Long.parseLong(pool.get("cl_waiting"))).sum();
    long claims = direct.count("SELECT COALESCE(SUM(calls), 0) FROM pg_stat_statements WHERE query LIKE 'WITH due AS MATERIALIZED%'");
    long statements = direct.count("SELECT COALESCE(SUM(calls), 0) FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat%'");

    Map<String, Long> closes = bouncer.log().lines().filter(line -> line.contains("closing because: "))
        .collect(Collectors.groupingBy(FiftyWorkerJvmsTest::closeReason, Collectors.counting()));
    System.out.println("fifty JVMs: connections pgbouncer closed: " + closes);
    List<String> runs = new ResultLines(directory).all();
    Map<String, Long> runsPerTask = runs.stream().collect(Collectors.groupingBy(ResultLines::what, Collectors.counting()));
    long last = runs.stream().mapToLong(ResultLines::at).max().orElseThrow();
    long jvmsThatRan = runs.stream().map(ResultLines::jvm).distinct().count();
    System.out.printf("fifty JVMs: %d tasks drained in %.1f s (%.0f tasks/s) by %d JVMs; %d client connections at pgbouncer,"
        + " at most %d server connections (%d at once, with backends on their way out; max_connections %d);"
        + " %.3f claim statements and %.2f statements per task%n",
        TASKS, (last - released) / 1000.0, TASKS * 1000.0 / Math.max(1, last - released), jvmsThatRan, clientConnections,
        serverConnections.mostLasting(), serverConnections.mostAtOnce(), MAX_CONNECTIONS, claims / (double) TASKS,
        statements / (double) TASKS);

    assertEquals(TASKS, runsPerTask.size(), "every task ran");
    assertEquals(Map.of(), runsPerTask.entrySet().stream().filter(e -> e.getValue() > 1)
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), "no task ran twice");
    assertTrue(serverConnections.mostLasting() <= SERVER_CONNECTIONS, () -> "pgbouncer kept to its server connections; the most"
        + " at once:\n" + serverConnections.describeMostAtOnce() + "\npgbouncer closed: " + closes);
    assertTrue(jvmsThatRan >= JVMS / 2, "the JVMs shared the work: " + jvmsThatRan + " ran tasks");
    for (ChildJvm worker : workers) {
      assertEquals(0, worker.stop(), worker.describe());
    }
  }

  private ChildJvm.Builder jvm(String name) {
    return ChildJvm.in(directory).named(name).environment("BGTASK_URL", bouncer.url("tasks"))
        .environment("BGTASK_USER", "postgres");
  }

  /** "server: client disconnect while server was not ready", from a pgbouncer log line. */
  private static String closeReason(String line) {
    String side = line.contains(" S-") ? "server: " : "client: ";
    return side + line.substring(line.indexOf("closing because: ") + 17).replaceAll(" \\(age=.*", "");
  }
}
