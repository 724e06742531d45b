package dev.bgtask.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.e2e.support.ChildJvm;
import dev.bgtask.e2e.support.ResultLines;
import dev.bgtask.e2e.support.TaskTables;
import dev.bgtask.e2e.support.Waiting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §5: the worker command, django's process_tasks, runs the application's tasks without its main. */
class WorkerCommandTest {

  private static final String COMMAND = "dev.bgtask.agent.ProcessTasks";

  @TempDir
  Path directory;

  @Test
  void runsOnlyItsQueueForTheGivenDurationThenExitsZero() {
    ChildJvm producer = ChildJvm.in(directory).named("producer").agent("workers=0").run("dev.bgtask.e2e.app.OptionsApp", "queues");
    assertEquals(0, producer.exitCode(), producer.describe());
    long start = System.nanoTime();
    ChildJvm worker = ChildJvm.in(directory).named("worker").run(COMMAND, "--duration", "2", "--threads", "2", "--queue", "mail",
        "--sleep", "0.2", "--log-std");
    long seconds = (System.nanoTime() - start) / 1_000_000_000L;
    assertEquals(0, worker.exitCode(), worker.describe());
    assertTrue(seconds >= 2 && seconds < 15, "ran for its duration: " + seconds + " s");
    assertEquals(List.of("ledger 2"), new ResultLines(directory).all().stream().map(ResultLines::what).toList(), "the mail task only");
    assertTrue(worker.stdout().contains("[bgtask] INFO  worker command: 2 thread(s), queues mail, polling every 200 ms"),
        "--log-std: the agent's lines on standard output: " + worker.describe());
    assertEquals(1, new TaskTables(directory).count("SELECT COUNT(*) FROM bgtask_task WHERE queue_name = 'reports'"));
  }

  @Test
  void sigtermLetsRunningTasksFinishReleasesNothingHeldAndExitsZero() {
    ChildJvm producer = ChildJvm.in(directory).named("producer").agent("workers=0").run("dev.bgtask.e2e.app.TestApp", "store-slow-task", "3");
    assertEquals(0, producer.exitCode(), producer.describe());
    ChildJvm worker = ChildJvm.in(directory).named("worker").start(COMMAND, "--sleep", "0.2");
    ResultLines results = new ResultLines(directory);
    Waiting.until(() -> results.all().size() == 1, Duration.ofSeconds(30), worker::describe);
    worker.terminate();
    assertEquals(0, worker.awaitExit(Duration.ofSeconds(30)), worker.describe());
    assertEquals(List.of("slow started", "slow finished"), results.all().stream().map(ResultLines::what).toList(),
        "the running task finished within the grace period");
    TaskTables tables = new TaskTables(directory);
    assertEquals(0, tables.count("SELECT COUNT(*) FROM bgtask_task"), "nothing left claimed");
    assertEquals(1, tables.count("SELECT COUNT(*) FROM bgtask_completed_task WHERE outcome = 'SUCCEEDED'"));
    assertEquals(0, tables.count("SELECT COUNT(*) FROM bgtask_worker"), "the stopped worker removed its heartbeat row");
  }
}
