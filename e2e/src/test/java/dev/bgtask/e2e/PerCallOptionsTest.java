package dev.bgtask.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.e2e.support.ChildJvm;
import dev.bgtask.e2e.support.OnEveryDatabase;
import dev.bgtask.e2e.support.ResultLines;
import dev.bgtask.e2e.support.TaskTables;
import dev.bgtask.e2e.support.Waiting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §2: BackgroundTasks.options(), now(), inline mode, priority ordering, queues and instance resolvers. */
class PerCallOptionsTest extends OnEveryDatabase {

  private static final String APP = "dev.bgtask.e2e.app.OptionsApp";

  @TempDir
  Path directory;

  @Test
  void eachOptionChangesWhatIsStoredAndCallReturnsTheId() {
    ChildJvm app = database.jvm(directory).agent("workers=0").run(APP, "options");
    assertEquals(0, app.exitCode(), app.describe());
    List<Map<String, Object>> all = database.tables(directory).rows("SELECT * FROM bgtask_task ORDER BY id");
    Map<String, Object> later = all.get(0);
    assertEquals("postInAnHour", later.get("method_name"));
    assertEquals(3_600_000L, ((Timestamp) later.get("due_at")).getTime() - ((Timestamp) later.get("created_at")).getTime(),
        "@Background(schedule = 3600)");
    List<Map<String, Object>> rows = all.subList(1, all.size());
    assertEquals(2, rows.size(), "the refused lambdas stored nothing: " + rows);
    Map<String, Object> first = rows.get(0);
    assertTrue(app.stdout().contains("stored id " + first.get("id")), app.describe());
    assertEquals("reports", first.get("queue_name"));
    assertEquals(7, first.get("priority"));
    assertEquals("Nightly report", first.get("verbose_name"));
    assertEquals("user:42", first.get("creator"));
    long delay = ((Timestamp) first.get("due_at")).getTime() - ((Timestamp) first.get("created_at")).getTime();
    assertEquals(Duration.ofHours(1).toMillis(), delay, "in(1 h)");
    assertEquals(Timestamp.valueOf("2030-01-01 02:00:00"), rows.get(1).get("due_at"), "at(2030-01-01T02:00Z), stored as UTC");
    assertEquals("WEEKLY", rows.get(1).get("repeat_period"));
    assertEquals(Timestamp.valueOf("2030-03-01 00:00:00"), rows.get(1).get("repeat_until"));
    assertEquals(null, first.get("repeat_period"), "no repeat unless asked");
    assertTrue(app.stdout().contains("refused none: BackgroundTasks.options().call(...): the lambda must make exactly one"
        + " call of a @Background method, but it made 0"), app.describe());
    assertTrue(app.stdout().contains("refused two: BackgroundTasks.options().call(...): the lambda must make exactly one"
        + " call of a @Background method, but it made 2"), app.describe());
  }

  @Test
  void taskScheduledInThreeSecondsDoesNotRunBeforeAndRunsSoonAfter() {
    ChildJvm app = database.jvm(directory).agent("workers=1").start(APP, "delayed");
    app.awaitOutput("serving", Duration.ofSeconds(30));
    ResultLines results = new ResultLines(directory);
    Waiting.until(() -> !results.all().isEmpty(), Duration.ofSeconds(30), app::describe);
    assertEquals(0, app.stop(), app.describe());
    // From when the call stored the task (a call made while the agent still starts waits for it).
    long storedAt = ((Timestamp) database.tables(directory).rows("SELECT created_at FROM bgtask_completed_task").get(0)
        .get("created_at")).getTime();
    long waited = ResultLines.at(results.all().get(0)) - storedAt;
    assertTrue(waited >= 3_000, "not before 3 s: " + waited + " ms");
    assertTrue(waited < 4_500, "soon after 3 s, without waiting for a poll: " + waited + " ms");
  }

  @Test
  void higherPriorityRunsFirstByDefaultAndLowerFirstWithAscendingOrdering() {
    assertEquals(List.of("ledger 5", "ledger 3", "ledger 1"), runBacklogWith("workers=1", "desc"));
    assertEquals(List.of("ledger 1", "ledger 3", "ledger 5"), runBacklogWith("workers=1,priorityOrdering=asc", "asc"));
  }

  private List<String> runBacklogWith(String workerOptions, String name) {
    Path dir = directory.resolve(name);
    try {
      Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    ChildJvm producer = database.jvm(dir).named("producer").agent("workers=0").run(APP, "priorities");
    assertEquals(0, producer.exitCode(), producer.describe());
    ChildJvm worker = database.jvm(dir).named("worker").agent(workerOptions).start("dev.bgtask.e2e.app.TestApp", "serve");
    ResultLines results = new ResultLines(dir);
    Waiting.until(() -> results.all().size() == 3, Duration.ofSeconds(30), worker::describe);
    assertEquals(0, worker.stop(), worker.describe());
    return results.all().stream().map(ResultLines::what).toList();
  }

  @Test
  void workerForQueueMailNeverRunsReportsTasks() throws InterruptedException {
    ChildJvm producer = database.jvm(directory).named("producer").agent("workers=0").run(APP, "queues");
    assertEquals(0, producer.exitCode(), producer.describe());
    ChildJvm worker = database.jvm(directory).named("worker").agent("workers=2,queues=mail").start("dev.bgtask.e2e.app.TestApp", "serve");
    ResultLines results = new ResultLines(directory);
    Waiting.until(() -> !results.all().isEmpty(), Duration.ofSeconds(30), worker::describe);
    Thread.sleep(1_000);
    assertEquals(0, worker.stop(), worker.describe());
    assertEquals(List.of("ledger 2"), results.all().stream().map(ResultLines::what).toList());
    assertEquals(List.of(Map.of("queue_name", "reports")), database.tables(directory).rows("SELECT queue_name FROM bgtask_task"));
  }

  @Test
  void nowRunsTheBodyInTheCallersThreadBeforeReturning() {
    ChildJvm app = database.jvm(directory).agent("workers=0").run(APP, "now");
    assertEquals(0, app.exitCode(), app.describe());
    assertTrue(app.stdout().contains("body ran before now() returned: true"), app.describe());
    assertTrue(app.stdout().contains("now() rethrew: feed now.csv is malformed"), app.describe());
    List<String> lines = new ResultLines(directory).all();
    assertEquals("main", ResultLines.thread(lines.get(0)), "ran on the caller's thread, on the object it was called on");
    assertEquals("greet Hi now", ResultLines.what(lines.get(0)));
    assertEquals(0, database.tables(directory).countOrZero("SELECT COUNT(*) FROM bgtask_task"), "nothing stored");
  }

  @Test
  void inlineModeRunsEveryCallSynchronouslyAndStillRejectsUnserialisableArguments() throws Exception {
    ChildJvm app = database.jvm(directory).agent("mode=inline").run(APP, "inline");
    assertEquals(0, app.exitCode(), app.describe());
    assertTrue(app.stdout().contains("inline call ran before returning: true"), app.describe());
    assertTrue(app.stdout().contains("refused cyclic: cannot store a task for dev.bgtask.e2e.app.Graph.walk"), app.describe());
    assertTrue(app.stdout().contains("inline call() returned 0"), app.describe());
    assertEquals(List.of("ledger 11", "ledger 12"), new ResultLines(directory).all().stream().map(ResultLines::what).toList());
    assertTrue(new ResultLines(directory).all().stream().allMatch(l -> ResultLines.thread(l).equals("main")));
    try (var files = Files.list(directory)) {
      assertFalse(files.anyMatch(f -> f.getFileName().toString().startsWith("background-tasks")), "no database in inline mode");
    }
  }

  @Test
  void instanceResolverComesFromServiceLoaderOrTheFacade() {
    ChildJvm app = database.jvm(directory).agent("workers=1").run(APP, "resolver");
    assertEquals(0, app.exitCode(), app.describe());
    assertTrue(app.stdout().contains("resolved both"), app.describe());
    assertEquals(List.of("greet Hello service", "greet Bonjour facade"),
        new ResultLines(directory).all().stream().map(ResultLines::what).toList());
  }

  @Test
  void concurrentRemoveExistingTasksAndUniqueCallsLeaveExactlyOneWaitingTask() {
    ChildJvm app = database.jvm(directory).agent("workers=0").run(APP, "dedupe");
    assertEquals(0, app.exitCode(), app.describe());
    TaskTables tables = database.tables(directory);
    assertEquals(List.of(Map.of("arguments", "[\"sku-1\"]", "n", 1L), Map.of("arguments", "[\"sku-2\"]", "n", 1L),
            Map.of("arguments", "[\"sku-3\"]", "n", 1L)),
        tables.rows("SELECT arguments, COUNT(*) AS n FROM bgtask_task WHERE method_name = 'recount' GROUP BY arguments ORDER BY arguments"),
        "removeExistingTasks: one waiting task per argument list, whether the calls came one after another or 8 at once");
    List<Map<String, Object>> ledger = tables.rows("SELECT id, pending_key FROM bgtask_task WHERE method_name = 'post' ORDER BY id");
    assertEquals(2, ledger.size(), "8 concurrent unique() calls stored one task; the plain call after them another: " + ledger);
    assertTrue(app.stdout().contains("unique ids [" + ledger.get(0).get("id") + "]"), "every unique() call returned its id: " + app.stdout());
    assertEquals(null, ledger.get(1).get("pending_key"), "a plain call is not de-duplicated");
  }

  @Test
  void pausedWorkersTakeNothingUntilResumedAndAPausedQueueWaitsAlone() {
    ChildJvm app = database.jvm(directory).agent("workers=1,paused=true").run(APP, "pause");
    assertEquals(0, app.exitCode(), app.describe());
    assertTrue(app.stdout().contains("ran while paused: []"), app.describe());
    assertTrue(app.stdout().contains("ran with mail paused: [ledger 1, ledger 3]"), app.describe());
    assertTrue(app.stdout().contains("ran after resuming mail: [ledger 1, ledger 3, ledger 2]"), app.describe());
  }
}
