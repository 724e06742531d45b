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
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SPEC §3, leases: a worker JVM stopped with SIGSTOP for twice the worker timeout (a long GC pause,
 * a suspended VM) is taken for dead, and its task runs on another worker. When it resumes it
 * learns it lost its lease: it interrupts the body at once, claims nothing under its old identity,
 * and its stale writes change nothing.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(value = TestDatabase.class, names = {"POSTGRESQL", "MARIADB"})
class PausedWorkerTest {

  private static final String LEASES = "heartbeat=500ms,workerTimeout=3s,sleep=500ms,workers=1";

  @Parameter
  TestDatabase database;

  @TempDir
  Path directory;

  @AfterEach
  void dropDatabases() {
    database.dropAll();
  }

  @Test
  void aPausedWorkerThatResumesAfterItsTaskRanElsewhereStopsItsRunAndChangesNothing() throws InterruptedException {
    ChildJvm paused = database.jvm(directory).named("paused").jvmOption("-De2e.jvm=paused").agent(LEASES)
        .start("dev.bgtask.e2e.app.TestApp", "hold-once", "p", "60");
    ResultLines results = new ResultLines(directory);
    Waiting.until(() -> !results.startingWith("stamp p start").isEmpty(), Duration.ofSeconds(60), paused::describe);
    ChildJvm other = database.jvm(directory).named("other").jvmOption("-De2e.jvm=other").agent(LEASES)
        .start("dev.bgtask.e2e.app.TestApp", "serve");
    other.awaitAgentStarted();

    paused.pause();
    long pausedAt = System.currentTimeMillis();
    Waiting.until(() -> results.startingWith("stamp p end done").size() == 1, Duration.ofSeconds(30), other::describe);
    long sinceThePause = System.currentTimeMillis() - pausedAt;
    Thread.sleep(Math.max(0, 6_000 - sinceThePause)); // paused for twice the worker timeout in all
    long resumedAt = System.currentTimeMillis();
    paused.resume();
    Waiting.until(() -> !results.startingWith("stamp p end interrupted").isEmpty(), Duration.ofSeconds(30), paused::describe);
    Thread.sleep(1_500); // its stale outcome, if any, would be written now
    assertEquals(0, other.stop(), other.describe());
    assertEquals(0, paused.stop(), paused.describe());

    List<String> lines = results.startingWith("stamp p ");
    String interrupted = results.startingWith("stamp p end interrupted").get(0);
    assertEquals("paused", ResultLines.jvm(interrupted));
    assertTrue(ResultLines.at(interrupted) - resumedAt < 2_000,
        "the resumed body was interrupted " + (ResultLines.at(interrupted) - resumedAt) + " ms after SIGCONT, not left to run on: " + lines);
    String rerunStart = lines.stream().filter(line -> line.startsWith("stamp p start") && ResultLines.jvm(line).equals("other"))
        .findFirst().orElseThrow(() -> new AssertionError(lines.toString()));
    String rerunEnd = results.startingWith("stamp p end done").get(0);
    assertTrue(ResultLines.at(rerunStart) > pausedAt && ResultLines.at(rerunEnd) < resumedAt,
        "the other worker's run lay within the pause: the two never ran at the same time: " + lines);
    assertEquals(4, lines.size(), "two starts, two ends, one of them the interruption: " + lines);

    List<Map<String, Object>> done = database.tables(directory).rows("SELECT outcome, attempts, claimed_by FROM bgtask_completed_task");
    assertEquals(1, done.size(), "one outcome: the stale one changed nothing " + done);
    assertEquals("SUCCEEDED", done.get(0).get("outcome"));
    assertEquals(0, database.tables(directory).count("SELECT COUNT(*) FROM bgtask_task"));
    assertTrue(paused.stderr().contains("lost its lease") || paused.stderr().contains("could not confirm a heartbeat")
        || paused.stderr().contains("is gone: another JVM took it for dead"), paused.describe());
  }
}
