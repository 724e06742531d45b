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
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §6: on PostgreSQL, an enqueue in one JVM wakes an idle worker in another through
 * LISTEN/NOTIFY: the first task as promptly as the next, and a task stored by a JVM that exits at
 * once too.
 */
class PostgresWakeUpTest {

  private static final TestDatabase DATABASE = TestDatabase.POSTGRESQL;
  private static final int EXITING_PRODUCERS = 16;

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

  @Test
  void aTaskStoredByAJvmThatExitsRightAfterTheCallStillWakesTheWorker() {
    ChildJvm worker = DATABASE.jvm(directory).named("worker").agent("workers=2,sleep=60s").start("dev.bgtask.e2e.app.TestApp", "serve");
    worker.awaitAgentStarted();
    ResultLines results = new ResultLines(directory);
    for (int round = 0; round < EXITING_PRODUCERS; round++) {
      ChildJvm producer = DATABASE.jvm(directory).named("producer-" + round).agent("workers=0")
          .run("dev.bgtask.e2e.app.TestApp", "store-one", String.valueOf(round));
      assertEquals(0, producer.exitCode(), producer.describe());
      int ran = round + 1;
      // Unheard, it would wait for the worker's next poll, a minute away.
      Waiting.until(() -> results.all().size() == ran, Duration.ofSeconds(10), () -> "round " + ran + ": " + worker.describe());
    }
    assertEquals(0, worker.stop(), worker.describe());
  }

  @Test
  void theFirstTaskAnotherJvmStoresStartsAsPromptlyAsTheNextOnes() {
    ChildJvm worker = DATABASE.jvm(directory).named("worker").agent("workers=2,sleep=60s").start("dev.bgtask.e2e.app.TestApp", "serve");
    worker.awaitAgentStarted();
    ChildJvm producer = DATABASE.jvm(directory).named("producer").agent("workers=0").run("dev.bgtask.e2e.app.TestApp", "store-timed");
    assertEquals(0, producer.exitCode(), producer.describe());
    ResultLines results = new ResultLines(directory);
    Waiting.until(() -> results.all().size() == 5, Duration.ofSeconds(20), worker::describe);
    assertEquals(0, worker.stop(), worker.describe());

    // From the row's creation (the database saw the call) to the body's start, both on this machine's clock.
    Map<String, Long> createdAt = new java.util.HashMap<>();
    for (Map<String, Object> row : DATABASE.tables(directory).rows(
        "SELECT arguments, (EXTRACT(EPOCH FROM created_at) * 1000)::bigint AS created FROM bgtask_completed_task")) {
      createdAt.put("ledger " + ((String) row.get("arguments")).replaceAll("[\\[\\]]", ""), ((Number) row.get("created")).longValue());
    }
    long[] latency = new long[5];
    for (String line : results.all()) {
      latency[Integer.parseInt(ResultLines.what(line).substring("ledger ".length()))] = ResultLines.at(line) - createdAt.get(ResultLines.what(line));
    }
    long slowestOfTheNext = java.util.Arrays.stream(latency, 1, 5).max().orElseThrow();
    // Code run for the first time costs the first task some 150-200 ms here; a NOTIFY missed or sent late costs a poll.
    assertTrue(latency[0] <= 4 * slowestOfTheNext + 300, "the first task started " + latency[0]
        + " ms after it was stored, the next ones after " + java.util.Arrays.toString(java.util.Arrays.copyOfRange(latency, 1, 5)) + " ms");
  }
}
