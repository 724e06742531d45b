package dev.bgtask.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.e2e.support.ChildJvm;
import dev.bgtask.e2e.support.LocalPostgres;
import dev.bgtask.e2e.support.ResultLines;
import dev.bgtask.e2e.support.TestDatabase;
import dev.bgtask.e2e.support.Waiting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §3 and §6: several worker JVMs share one PostgreSQL or MariaDB database and drain a backlog
 * of 10,000 tasks. What the tasks recorded (one line per run, naming the JVM) is the proof.
 */
class ManyWorkerJvmsTest {

  private static final int TASKS = 10_000;
  private static final String WORKER_OPTIONS = "workers=4,sleep=1s,heartbeat=1s,workerTimeout=4s";

  @TempDir
  Path directory;

  private TestDatabase database;

  @AfterEach
  void dropDatabases() {
    if (database != null) {
      database.dropAll();
    }
  }

  @Test
  void threeJvmsOnPostgresRunEachTaskExactlyOnce() {
    database = TestDatabase.POSTGRESQL;
    assertEveryJvmSharedAndEachTaskRanOnce(3);
  }

  @Test
  void twoJvmsOnMariaDbRunEachTaskExactlyOnce() {
    database = TestDatabase.MARIADB;
    assertEveryJvmSharedAndEachTaskRanOnce(2);
  }

  private void assertEveryJvmSharedAndEachTaskRanOnce(int jvms) {
    storeBacklog("store");
    List<ChildJvm> workers = startWorkers(jvms);
    awaitAllRan(workers);
    Map<Integer, List<String>> runs = runsByTask();
    stopAll(workers);
    assertEachRanOnce(runs);
    assertEquals(jvms, runs.values().stream().flatMap(List::stream).collect(Collectors.toSet()).size(),
        "every JVM took a share: " + share(runs));
  }

  /** kill -9 of one worker JVM: its running tasks are reaped and run again elsewhere; nothing else is. */
  @Test
  void aWorkerJvmKilledMidDrainLosesNothingAndOnlyItsRunningTasksRunTwice() {
    database = TestDatabase.POSTGRESQL;
    storeBacklog("store-slow");
    List<ChildJvm> workers = startWorkers(3);
    ResultLines results = new ResultLines(directory);
    Waiting.until(() -> results.all().size() >= 2_000, Duration.ofSeconds(120), () -> workers.get(0).describe());
    workers.get(0).kill();
    awaitAllRan(workers.subList(1, 3));
    Map<Integer, List<String>> runs = runsByTask();
    stopAll(workers.subList(1, 3));

    assertEquals(TASKS, runs.size(), "every task ran");
    Map<Integer, List<String>> twice = new TreeMap<>(runs);
    twice.values().removeIf(jvms -> jvms.size() == 1);
    assertTrue(twice.size() <= 4, "at most the killed JVM's four running tasks ran twice: " + twice);
    twice.forEach((task, jvms) -> {
      assertEquals(2, jvms.size(), "task " + task + ": " + jvms);
      assertTrue(jvms.contains("w0"), "task " + task + " ran twice, once in the killed JVM: " + jvms);
    });
    assertEquals(0, database.tables(directory).count("SELECT COUNT(*) FROM bgtask_task"), "no row left behind");
  }

  /** The server itself restarts under three busy worker JVMs: they reconnect and finish. */
  @Test
  void postgresRestartedMidDrainLosesNothing() throws Exception {
    database = TestDatabase.POSTGRESQL;
    storeBacklog("store-slow");
    List<ChildJvm> workers = startWorkers(3);
    ResultLines results = new ResultLines(directory);
    Waiting.until(() -> results.all().size() >= 2_000, Duration.ofSeconds(120), () -> workers.get(0).describe());
    LocalPostgres.restart();
    awaitAllRan(workers);
    Map<Integer, List<String>> runs = runsByTask();
    stopAll(workers);

    assertEquals(TASKS, runs.size(), "every task ran");
    assertEquals(0, database.tables(directory).count("SELECT COUNT(*) FROM bgtask_task"), "no row left behind");
    assertEquals(TASKS, database.tables(directory).count("SELECT COUNT(*) FROM bgtask_completed_task WHERE outcome = 'SUCCEEDED'"));
    assertTrue(workers.stream().anyMatch(w -> w.stderr().contains("cannot reach the task database")),
        "the workers saw the outage: " + workers.get(0).describe());
  }

  private void storeBacklog(String scenario) {
    ChildJvm producer = database.jvm(directory).named("producer").agent("workers=0")
        .start("dev.bgtask.e2e.app.TestApp", scenario, String.valueOf(TASKS));
    assertEquals(0, producer.awaitExit(Duration.ofSeconds(180)), producer.describe());
  }

  private List<ChildJvm> startWorkers(int count) {
    List<ChildJvm> workers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      workers.add(database.jvm(directory).named("w" + i).jvmOption("-De2e.jvm=w" + i).agent(WORKER_OPTIONS)
          .start("dev.bgtask.e2e.app.TestApp", "serve"));
    }
    return workers;
  }

  private void awaitAllRan(List<ChildJvm> workers) {
    Waiting.until(() -> database.tables(directory).count("SELECT COUNT(*) FROM bgtask_task") == 0, Duration.ofSeconds(240),
        () -> "an empty task table; " + workers.get(0).describe());
  }

  private static void stopAll(List<ChildJvm> workers) {
    for (ChildJvm worker : workers) {
      assertEquals(0, worker.stop(), worker.describe());
    }
  }

  /** For each task number, the JVMs that ran it, once per run. */
  private Map<Integer, List<String>> runsByTask() {
    return new ResultLines(directory).all().stream().collect(Collectors.groupingBy(
        line -> Integer.parseInt(ResultLines.what(line).substring("ledger ".length())), TreeMap::new,
        Collectors.mapping(ResultLines::jvm, Collectors.toList())));
  }

  private static void assertEachRanOnce(Map<Integer, List<String>> runs) {
    assertEquals(TASKS, runs.size(), "every task ran");
    Map<Integer, List<String>> twice = new TreeMap<>(runs);
    twice.values().removeIf(jvms -> jvms.size() == 1);
    assertEquals(Map.of(), twice, "no task ran twice");
  }

  private static Map<String, Long> share(Map<Integer, List<String>> runs) {
    return runs.values().stream().flatMap(List::stream).collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }

}
