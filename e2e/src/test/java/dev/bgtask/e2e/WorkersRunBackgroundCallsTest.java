package dev.bgtask.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.e2e.support.ChildJvm;
import dev.bgtask.e2e.support.ResultLines;
import dev.bgtask.e2e.support.TaskTables;
import dev.bgtask.e2e.support.TestDatabase;
import dev.bgtask.e2e.support.Waiting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One application JVM with the agent and two worker threads enqueues five tasks (static, instance,
 * a list of records, one that fails once, one that always fails) and runs them all.
 */
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.bgtask.e2e.support.TestDatabase#underTest")
class WorkersRunBackgroundCallsTest {

  @TempDir
  static Path tempDirectory;

  @Parameter
  TestDatabase database;

  private static ResultLines results;
  private static List<Map<String, Object>> completed;
  private static String stdout;

  /** Once per database: every test below reads what this one run left. */
  @BeforeParameterizedClassInvocation
  static void runTheApplication(TestDatabase database) throws java.io.IOException {
    Path directory = java.nio.file.Files.createDirectories(tempDirectory.resolve(database.name()));
    ChildJvm app = database.jvm(directory).agent("workers=2").start("dev.bgtask.e2e.app.TestApp", "basics");
    app.awaitOutput("serving", Duration.ofSeconds(30));
    app.awaitAgentStarted();
    results = new ResultLines(directory);
    // ledger, welcome, pack, flaky twice (fails, then succeeds after 6 s), doomed twice
    Waiting.until(() -> results.all().size() >= 7, Duration.ofSeconds(60), () -> "seven task runs; " + app.describe());
    // Stopping waits for running tasks to record their outcome.
    assertEquals(0, app.stop(), app.describe());
    stdout = app.stdout();
    TaskTables tables = database.tables(directory);
    completed = tables.rows("SELECT * FROM bgtask_completed_task ORDER BY id");
    assertEquals(5, completed.size(), () -> "five finished tasks: " + completed);
    assertEquals(0, tables.count("SELECT COUNT(*) FROM bgtask_task"), "no task left in the hot table");
  }

  @AfterParameterizedClassInvocation
  static void dropDatabases(TestDatabase database) {
    database.dropAll();
  }

  @Test
  void theCallReturnsBeforeAnyBodyRuns() {
    assertTrue(stdout.contains("enqueued, main thread main"), stdout);
    for (String line : results.all()) {
      assertTrue(ResultLines.thread(line).startsWith("bgtask-worker-"), "ran on a worker thread: " + line);
    }
  }

  @Test
  void staticMethodRunsOnAWorker() {
    assertEquals(List.of("ledger 7"), results.startingWith("ledger").stream().map(ResultLines::what).toList());
    assertEquals("SUCCEEDED", row("dev.bgtask.e2e.app.Ledger.post").get("outcome"));
  }

  @Test
  void instanceMethodRunsOnAWorker() {
    assertEquals(List.of("welcome ada@example.com"), results.startingWith("welcome").stream().map(ResultLines::what).toList());
    assertEquals("SUCCEEDED", row("dev.bgtask.e2e.app.Shop.sendWelcome").get("outcome"));
  }

  @Test
  void listOfRecordsRoundTripsWithItsElementType() {
    assertEquals(List.of("pack 42 dev.bgtask.e2e.app.OrderLine:teax2 dev.bgtask.e2e.app.OrderLine:cupx1"),
        results.startingWith("pack").stream().map(ResultLines::what).toList());
    String arguments = (String) row("dev.bgtask.e2e.app.Shop.pack").get("arguments");
    assertEquals("[42,[{\"sku\":\"tea\",\"quantity\":2},{\"sku\":\"cup\",\"quantity\":1}]]", arguments,
        "arguments are stored as plain JSON with no class names");
  }

  @Test
  void failingTaskIsRetriedAfterTheBackoffAndThenSucceeds() {
    List<String> flaky = results.startingWith("flaky");
    assertEquals(List.of("flaky inv-1 failing", "flaky inv-1 succeeded"), flaky.stream().map(ResultLines::what).toList());
    long waited = ResultLines.at(flaky.get(1)) - ResultLines.at(flaky.get(0));
    assertTrue(waited >= 5_500, "retried after the 1^4 + 5 s back-off, not before: waited " + waited + " ms");
    Map<String, Object> row = row("dev.bgtask.e2e.app.Flaky.syncInvoice");
    assertEquals("SUCCEEDED", row.get("outcome"));
    assertEquals(2, row.get("attempts"));
    assertTrue(((String) row.get("last_error")).contains("payment provider timed out for inv-1"), "keeps the last error");
  }

  @Test
  void taskFailingMaxAttemptsTimesEndsInTheCompletedTableAsFailed() {
    assertEquals(2, results.startingWith("doomed").size(), "tried exactly maxAttempts = 2 times");
    Map<String, Object> row = row("dev.bgtask.e2e.app.Doomed.importFeed");
    assertEquals("FAILED", row.get("outcome"));
    assertEquals(2, row.get("attempts"));
    String error = (String) row.get("last_error");
    assertTrue(error.startsWith("java.lang.IllegalStateException: feed prices.csv is malformed"), error);
    assertTrue(error.contains("at dev.bgtask.e2e.app.Doomed.importFeed"), "keeps the stack trace: " + error);
    assertTrue(row.get("failed_at") != null);
  }

  private Map<String, Object> row(String taskName) {
    return completed.stream().filter(r -> taskName.equals(r.get("task_name"))).findFirst()
        .orElseThrow(() -> new AssertionError("no completed row for " + taskName + " in " + completed));
  }
}
