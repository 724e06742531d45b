package dev.bgtask.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.e2e.support.ChildJvm;
import dev.bgtask.e2e.support.ResultLines;
import dev.bgtask.e2e.support.TestDatabase;
import dev.bgtask.e2e.support.Waiting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §6: on PostgreSQL, an enqueue in one JVM wakes an idle worker in another through LISTEN/NOTIFY. */
class PostgresWakeUpTest {

  private static final TestDatabase DATABASE = TestDatabase.POSTGRESQL;

  @TempDir
  Path directory;

  @AfterEach
  void dropDatabases() {
    DATABASE.dropAll();
  }

  @Test
  void anIdleWorkerPollingEveryMinuteStartsATaskStoredByAnotherJvmAtOnce() throws InterruptedException {
    ChildJvm worker = DATABASE.jvm(directory).named("worker").agent("workers=2,sleep=60s").start("dev.bgtask.e2e.app.TestApp", "serve");
    worker.awaitAgentStarted();
    Thread.sleep(1_500); // the worker has found nothing to do and waits for its next poll, a minute away
    ChildJvm producer = DATABASE.jvm(directory).named("producer").agent("workers=0").run("dev.bgtask.e2e.app.TestApp", "store-timed");
    assertEquals(0, producer.exitCode(), producer.describe());
    ResultLines results = new ResultLines(directory);
    Waiting.until(() -> results.all().size() == 5, Duration.ofSeconds(20), worker::describe);
    assertEquals(0, worker.stop(), worker.describe());

    List<String> enqueued = producer.stdout().lines().filter(line -> line.startsWith("enqueuing ")).toList();
    for (String line : results.all()) {
      String task = ResultLines.what(line).substring("ledger ".length());
      long enqueuedAt = Long.parseLong(enqueued.stream().filter(e -> e.startsWith("enqueuing " + task + " at "))
          .findFirst().orElseThrow().substring(("enqueuing " + task + " at ").length()));
      long latency = ResultLines.at(line) - enqueuedAt;
      assertTrue(latency < 2_000, "task " + task + " started " + latency + " ms after its enqueue, not at a poll a minute later");
    }
  }
}
