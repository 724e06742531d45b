package dev.bgtask.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.e2e.support.ChildJvm;
import dev.bgtask.e2e.support.OnEveryDatabase;
import dev.bgtask.e2e.support.ResultLines;
import dev.bgtask.e2e.support.TaskTables;
import dev.bgtask.e2e.support.Waiting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LimitsAndHistoryTest extends OnEveryDatabase {

  private static final String APP = "dev.bgtask.e2e.app.OptionsApp";

  @TempDir
  Path directory;

  @Test
  void attemptPastMaxRunTimeIsInterruptedAndRecordedAsTimedOut() throws InterruptedException {
    ChildJvm app = database.jvm(directory).agent("workers=2,maxRunTime=1500ms").start(APP, "slow");
    app.awaitOutput("serving", Duration.ofSeconds(30));
    Waiting.until(() -> app.stderr().contains("failed for good") && app.stderr().lines().filter(l -> l.contains("failed for good")).count() == 2,
        Duration.ofSeconds(20), app::describe);
    assertEquals(0, app.stop(), app.describe());
    List<Map<String, Object>> rows = database.tables(directory).rows(
        "SELECT method_name, outcome, last_error FROM bgtask_completed_task ORDER BY method_name");
    assertEquals(2, rows.size(), rows.toString());
    assertEquals("slowExport", rows.get(0).get("method_name"));
    assertEquals("FAILED", rows.get(0).get("outcome"));
    assertTrue(((String) rows.get(0).get("last_error")).startsWith("timed out after 1500 ms (maxRunTime); the attempt was interrupted"),
        "the global limit: " + rows.get(0));
    assertEquals("slowReport", rows.get(1).get("method_name"));
    assertTrue(((String) rows.get(1).get("last_error")).startsWith("timed out after 1 s (maxRunTime)"), "its own limit wins: " + rows.get(1));
    assertTrue(new ResultLines(directory).all().stream().noneMatch(l -> l.contains("finished?!")), "the body was interrupted");
  }

  @Test
  void historyIsPurgedOnceOlderThanConfiguredAndNothingElseIs() throws Exception {
    Path keptDirectory = java.nio.file.Files.createDirectories(directory.resolve("kept"));
    Path purgedDirectory = java.nio.file.Files.createDirectories(directory.resolve("purged"));
    ChildJvm kept = database.jvm(keptDirectory).agent("workers=1,history=1h").start(APP, "history");
    ChildJvm purged = database.jvm(purgedDirectory).agent("workers=1,history=2s").start(APP, "history");
    for (ChildJvm app : List.of(kept, purged)) {
      app.awaitOutput("serving", Duration.ofSeconds(30));
    }
    Waiting.until(() -> new ResultLines(purgedDirectory).all().size() == 2 && new ResultLines(keptDirectory).all().size() == 2,
        Duration.ofSeconds(30), purged::describe);
    Thread.sleep(4_000);
    assertEquals(0, purged.stop(), purged.describe());
    assertEquals(0, kept.stop(), kept.describe());
    assertEquals(0, database.tables(purgedDirectory).count("SELECT COUNT(*) FROM bgtask_completed_task"), "older than 2 s: purged");
    assertEquals(2, database.tables(keptDirectory).count("SELECT COUNT(*) FROM bgtask_completed_task"), "younger than 1 h: kept");
  }

  @Test
  void historyOffKeepsNoFinishedTask() {
    ChildJvm app = database.jvm(directory).agent("workers=1,history=off").start(APP, "history");
    app.awaitOutput("serving", Duration.ofSeconds(30));
    Waiting.until(() -> new ResultLines(directory).all().size() == 2, Duration.ofSeconds(30), app::describe);
    assertEquals(0, app.stop(), app.describe());
    TaskTables tables = database.tables(directory);
    assertEquals(0, tables.count("SELECT COUNT(*) FROM bgtask_completed_task"));
    assertEquals(0, tables.count("SELECT COUNT(*) FROM bgtask_task"));
  }
}
