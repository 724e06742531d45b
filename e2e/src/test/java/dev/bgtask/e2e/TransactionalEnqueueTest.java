package dev.bgtask.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.e2e.support.ChildJvm;
import dev.bgtask.e2e.support.OnEveryDatabase;
import dev.bgtask.e2e.support.ResultLines;
import dev.bgtask.e2e.support.TestDatabase;
import dev.bgtask.e2e.support.Waiting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §2: BackgroundTasks.inTransaction stores through the application's own connection and transaction. */
class TransactionalEnqueueTest extends OnEveryDatabase {

  @TempDir
  Path directory;

  @Test
  void rollbackLeavesNoTaskAndCommitRunsItNeverBefore() {
    ChildJvm app = database.jvm(directory).agent("workers=2,sleep=200ms")
        .start("dev.bgtask.e2e.app.TestApp", "transactional", database.url(directory), database.user());
    app.awaitOutput("committing at", Duration.ofSeconds(30));
    ResultLines results = new ResultLines(directory);
    Waiting.until(() -> !results.all().isEmpty(), Duration.ofSeconds(20), app::describe);
    app.awaitOutput("serving", Duration.ofSeconds(10));
    assertEquals(0, app.stop(), app.describe());

    long committedAt = Long.parseLong(app.stdout().lines().filter(line -> line.startsWith("committing at "))
        .findFirst().orElseThrow().substring("committing at ".length()));
    List<String> runs = results.all();
    assertEquals(List.of("ledger 2"), runs.stream().map(ResultLines::what).toList(),
        "the rolled-back task never ran, the committed one ran once");
    assertTrue(ResultLines.at(runs.get(0)) >= committedAt,
        "workers polling every 200 ms did not see the task in the 3 s before the commit");
    assertEquals(1, database.tables(directory).count("SELECT COUNT(*) FROM bgtask_completed_task WHERE priority = 3"),
        "one finished task, stored with its per-call options");
    assertEquals(0, database.tables(directory).count("SELECT COUNT(*) FROM bgtask_task"), "no row left behind");
    if (database != TestDatabase.H2) {
      assertTrue(app.stdout().contains("refused: BackgroundTasks.inTransaction: the connection is to jdbc:h2:mem:elsewhere"),
          app.describe());
    }
  }
}
