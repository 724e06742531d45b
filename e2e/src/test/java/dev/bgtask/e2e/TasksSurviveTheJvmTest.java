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
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TasksSurviveTheJvmTest extends OnEveryDatabase {

  @TempDir
  Path directory;

  @Test
  void tasksStoredByAnEnqueueOnlyJvmAreEachRunOnceByTheNext() throws InterruptedException {
    ChildJvm producer = database.jvm(directory).named("producer").agent("workers=0").run("dev.bgtask.e2e.app.TestApp", "store", "100");
    assertEquals(0, producer.exitCode(), producer.describe());
    assertTrue(producer.stdout().contains("stored 100"), producer.describe());
    TaskTables tables = database.tables(directory);
    assertEquals(100, tables.count("SELECT COUNT(*) FROM bgtask_task"), "all 100 stored and still pending");
    assertEquals(List.of(), new ResultLines(directory).all(), "nothing ran in the enqueue-only JVM");

    ChildJvm worker = database.jvm(directory).named("worker").agent("workers=4").start("dev.bgtask.e2e.app.TestApp", "serve");
    worker.awaitOutput("serving", Duration.ofSeconds(30));
    worker.awaitAgentStarted();
    ResultLines results = new ResultLines(directory);
    Waiting.until(() -> results.all().size() >= 100, Duration.ofSeconds(60), worker::describe);
    Thread.sleep(500); // a duplicate run, if any, would show up now
    assertEquals(0, worker.stop(), worker.describe());
    assertEquals(100, tables.count("SELECT COUNT(*) FROM bgtask_completed_task"));

    List<String> ran = new ResultLines(directory).all().stream().map(ResultLines::what).sorted().toList();
    List<String> expected = IntStream.range(0, 100).mapToObj(i -> "ledger " + i).sorted().collect(Collectors.toList());
    assertEquals(expected, ran, "each stored task ran exactly once");
    assertEquals(0, tables.count("SELECT COUNT(*) FROM bgtask_task"));
  }

  @Test
  void threeJvmsShareTheEmbeddedFileAndEachTaskRunsOnce() throws InterruptedException {
    ChildJvm first = database.jvm(directory).named("first").agent("workers=3,sleep=200ms").start("dev.bgtask.e2e.app.TestApp", "serve");
    ChildJvm second = database.jvm(directory).named("second").agent("workers=3,sleep=200ms").start("dev.bgtask.e2e.app.TestApp", "serve");
    first.awaitAgentStarted();
    second.awaitAgentStarted();
    ChildJvm producer = database.jvm(directory).named("producer").agent("workers=0").run("dev.bgtask.e2e.app.TestApp", "store-slow", "200");
    assertEquals(0, producer.exitCode(), producer.describe());
    ResultLines results = new ResultLines(directory);
    Waiting.until(() -> results.all().size() >= 200, Duration.ofSeconds(60), () -> first.describe() + "\n" + second.describe());
    Thread.sleep(500); // a duplicate run, if any, would show up now
    assertEquals(0, first.stop(), first.describe());
    assertEquals(0, second.stop(), second.describe());
    TaskTables tables = database.tables(directory);
    List<Object> workers = tables.rows("SELECT DISTINCT claimed_by FROM bgtask_completed_task").stream()
        .map(row -> row.get("claimed_by")).toList();
    List<java.util.Map<String, Object>> rows = tables.rows(
        "SELECT id, arguments, claimed_by, created_at, finished_at, attempts FROM bgtask_completed_task ORDER BY id");

    List<String> ran = new ResultLines(directory).all().stream().map(ResultLines::what).sorted().toList();
    List<String> expected = IntStream.range(0, 200).mapToObj(i -> "ledger " + i).sorted().collect(Collectors.toList());
    assertEquals(expected, ran, () -> "each task ran exactly once across both worker JVMs;\n"
        + new ResultLines(directory).all() + "\nROWS " + rows + "\n" + first.describe() + "\n" + second.describe()
        + "\n" + producer.describe());
    assertEquals(2, workers.size(), "both worker JVMs took tasks: " + workers);
    assertEquals(200, tables.count("SELECT COUNT(*) FROM bgtask_completed_task"), "every outcome is kept");
  }
}
