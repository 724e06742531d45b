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
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TasksSurviveTheJvmTest {

  @TempDir
  Path directory;

  @Test
  void tasksStoredByAnEnqueueOnlyJvmAreEachRunOnceByTheNext() {
    ChildJvm producer = ChildJvm.in(directory).named("producer").agent("workers=0").run("dev.bgtask.e2e.app.TestApp", "store", "100");
    assertEquals(0, producer.exitCode(), producer.describe());
    assertTrue(producer.stdout().contains("stored 100"), producer.describe());
    TaskTables tables = new TaskTables(directory);
    assertEquals(100, tables.count("SELECT COUNT(*) FROM bgtask_task"), "all 100 stored and still pending");
    assertEquals(List.of(), new ResultLines(directory).all(), "nothing ran in the enqueue-only JVM");

    ChildJvm worker = ChildJvm.in(directory).named("worker").agent("workers=4").start("dev.bgtask.e2e.app.TestApp", "serve");
    worker.awaitOutput("serving", Duration.ofSeconds(30));
    Waiting.until(() -> tables.count("SELECT COUNT(*) FROM bgtask_completed_task") == 100, Duration.ofSeconds(60),
        worker::describe);
    assertEquals(0, worker.stop(), worker.describe());

    List<String> ran = new ResultLines(directory).all().stream().map(ResultLines::what).sorted().toList();
    List<String> expected = IntStream.range(0, 100).mapToObj(i -> "ledger " + i).sorted().collect(Collectors.toList());
    assertEquals(expected, ran, "each stored task ran exactly once");
    assertEquals(0, tables.count("SELECT COUNT(*) FROM bgtask_task"));
  }
}
