package dev.bgtask.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.e2e.support.ChildJvm;
import dev.bgtask.e2e.support.OnEveryDatabase;
import dev.bgtask.e2e.support.ResultLines;
import dev.bgtask.e2e.support.TaskTables;
import dev.bgtask.e2e.support.Waiting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskListenersTest extends OnEveryDatabase {

  @TempDir
  Path directory;

  @Test
  void listenersHearEachEventInOrderAndOneThatThrowsChangesNothing() throws Exception {
    ChildJvm app = database.jvm(directory).agent("workers=1").start("dev.bgtask.e2e.app.ListenerApp");
    app.awaitOutput("serving", Duration.ofSeconds(30));
    Path events = directory.resolve("results.txt.events");
    Waiting.until(() -> lines(events).stream().filter(l -> l.startsWith("finished")).count() == 2, Duration.ofSeconds(30),
        app::describe);
    assertEquals(0, app.stop(), app.describe());

    List<String> ledger = lines(events).stream().filter(l -> l.contains("Ledger.post")).toList();
    assertEquals(List.of(
        "created dev.bgtask.e2e.app.Ledger.post #1 attempt 0/25 queue '' on main",
        "started dev.bgtask.e2e.app.Ledger.post #1 attempt 1/25 queue ''",
        "succeeded dev.bgtask.e2e.app.Ledger.post #1 attempt 1/25 queue ''",
        "finished dev.bgtask.e2e.app.Ledger.post #1 attempt 1/25 queue ''"), ledger,
        "the listener added after the throwing one still hears succeeded");
    List<String> doomed = lines(events).stream().filter(l -> l.contains("Doomed.importOnce")).toList();
    assertEquals(List.of(
        "created dev.bgtask.e2e.app.Doomed.importOnce #2 attempt 0/1 queue 'imports' on main",
        "started dev.bgtask.e2e.app.Doomed.importOnce #2 attempt 1/1 queue 'imports'",
        "failed dev.bgtask.e2e.app.Doomed.importOnce #2 attempt 1/1 queue 'imports': java.lang.IllegalStateException: feed bad.csv is malformed",
        "gaveUp dev.bgtask.e2e.app.Doomed.importOnce #2 attempt 1/1 queue 'imports'",
        "finished dev.bgtask.e2e.app.Doomed.importOnce #2 attempt 1/1 queue 'imports'"), doomed);

    assertEquals(1, new ResultLines(directory).startingWith("ledger").size(), "the body ran once despite the throwing listener");
    TaskTables tables = database.tables(directory);
    assertEquals(1, tables.count("SELECT COUNT(*) FROM bgtask_completed_task WHERE id = 1 AND outcome = 'SUCCEEDED'"));
    assertEquals(0, tables.count("SELECT COUNT(*) FROM bgtask_task"));
    assertTrue(app.stderr().contains("threw from succeeded for task 1 (dev.bgtask.e2e.app.Ledger.post); ignored:"
        + " java.lang.IllegalStateException: listener bug"), app.describe());
  }

  private static List<String> lines(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file) : List.of();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
