package dev.bgtask.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.e2e.support.ChildJvm;
import dev.bgtask.e2e.support.ResultLines;
import dev.bgtask.e2e.support.TaskTables;
import dev.bgtask.e2e.support.Waiting;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §2 and §7: only methods carrying @Background in the loaded code can ever run from a row. */
class TamperedRowsTest {

  @TempDir
  Path directory;

  @Test
  void rowsNamingRuntimeExitOrAMethodWithoutBackgroundAreFailedAndNeverInvoked() throws Exception {
    ChildJvm setup = ChildJvm.in(directory).named("setup").agent("workers=0").run("dev.bgtask.e2e.app.TestApp", "store", "1");
    assertEquals(0, setup.exitCode(), setup.describe());
    try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + directory.resolve("background-tasks"), "sa", "");
        Statement statement = connection.createStatement()) {
      for (String[] row : List.of(
          new String[] {"java.lang.Runtime", "exit", "(I)V", "[7]"},
          new String[] {"dev.bgtask.e2e.app.Results", "record", "(Ljava/lang/String;)V", "[\"pwned\"]"})) {
        statement.executeUpdate("INSERT INTO bgtask_task (task_name, class_name, method_name, descriptor, arguments, queue_name,"
            + " priority, due_at, created_at, attempts, max_attempts) VALUES ('tampered', '" + row[0] + "', '" + row[1] + "', '"
            + row[2] + "', '" + row[3] + "', '', 10, CURRENT_TIMESTAMP - INTERVAL '1' HOUR, CURRENT_TIMESTAMP, 0, 25)");
      }
    }
    ChildJvm worker = ChildJvm.in(directory).named("worker").agent("workers=1").start("dev.bgtask.e2e.app.TestApp", "serve");
    ResultLines results = new ResultLines(directory);
    Waiting.until(() -> results.all().size() == 1, Duration.ofSeconds(30), worker::describe);
    Thread.sleep(500);
    assertEquals(0, worker.stop(), "the worker went on (Runtime.exit(7) never ran): " + worker.describe());

    assertEquals(List.of("ledger 0"), results.all().stream().map(ResultLines::what).toList(), "Results.record(\"pwned\") never ran");
    List<Map<String, Object>> refused = new TaskTables(directory).rows(
        "SELECT class_name, outcome, attempts, last_error FROM bgtask_completed_task WHERE task_name = 'tampered' ORDER BY class_name");
    assertEquals(2, refused.size(), refused.toString());
    for (Map<String, Object> row : refused) {
      assertEquals("FAILED", row.get("outcome"), "failed for good at once, never retried");
      assertEquals(1, row.get("attempts"));
      assertTrue(((String) row.get("last_error")).contains("is not annotated @Background; refusing to run it"), row.toString());
    }
  }

  @Test
  void rowOfAClassThisJvmCannotLoadIsLeftForAnotherJvmReportedOnceAndCostsNoAttempt() throws Exception {
    ChildJvm setup = ChildJvm.in(directory).named("setup").agent("workers=0").run("dev.bgtask.e2e.app.TestApp", "store", "1");
    assertEquals(0, setup.exitCode(), setup.describe());
    try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + directory.resolve("background-tasks"), "sa", "");
        Statement statement = connection.createStatement()) {
      statement.executeUpdate("INSERT INTO bgtask_task (task_name, class_name, method_name, descriptor, arguments, queue_name,"
          + " priority, due_at, created_at, attempts, max_attempts) VALUES ('from the next deploy', 'com.example.NextDeploy',"
          + " 'run', '()V', '[]', '', 10, CURRENT_TIMESTAMP - INTERVAL '1' HOUR, CURRENT_TIMESTAMP, 0, 25)");
    }
    ChildJvm worker = ChildJvm.in(directory).named("worker").agent("workers=1,sleep=100ms").start("dev.bgtask.e2e.app.TestApp", "serve");
    Waiting.until(() -> new ResultLines(directory).all().size() == 1, Duration.ofSeconds(30), worker::describe);
    Thread.sleep(1_500); // many claim rounds
    assertEquals(0, worker.stop(), worker.describe());

    Map<String, Object> row = new TaskTables(directory).rows(
        "SELECT attempts, claim_token, last_error FROM bgtask_task WHERE class_name = 'com.example.NextDeploy'").get(0);
    assertEquals(0, row.get("attempts"), "no attempt spent: " + row);
    assertEquals(null, row.get("claim_token"));
    assertTrue(((String) row.get("last_error")).contains("class com.example.NextDeploy cannot be loaded"), row.toString());
    assertTrue(((String) row.get("last_error")).endsWith("left for a JVM that can run it"), row.toString());
    assertEquals(1, worker.stderr().lines().filter(l -> l.contains("tasks of com.example.NextDeploy cannot run in this JVM")).count(),
        "reported once: " + worker.describe());
  }
}
