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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §3: a task whose worker JVM died runs again; a slow one of a live worker never does. */
class DeadWorkersTest {

  private static final String FAST_LEASES = "workers=1,heartbeat=500ms,workerTimeout=2s,sleep=500ms";

  @TempDir
  Path directory;

  @Test
  void taskOfAWorkerKilledWithSigkillRunsAgainOnAnotherWorker() {
    ChildJvm doomed = ChildJvm.in(directory).named("killed").agent(FAST_LEASES).start("dev.bgtask.e2e.app.TestApp", "hang-once");
    ResultLines results = new ResultLines(directory);
    Waiting.until(() -> results.all().size() == 1, Duration.ofSeconds(30), doomed::describe);
    doomed.kill();
    doomed.awaitExit(Duration.ofSeconds(10));

    ChildJvm rescuer = ChildJvm.in(directory).named("rescuer").agent(FAST_LEASES).start("dev.bgtask.e2e.app.TestApp", "serve");
    Waiting.until(() -> results.all().size() == 2, Duration.ofSeconds(30), rescuer::describe);
    assertEquals(0, rescuer.stop(), rescuer.describe());

    assertEquals(List.of("hang k1 started", "hang k1 finished"), results.all().stream().map(ResultLines::what).toList());
    Map<String, Object> row = new TaskTables(directory).rows("SELECT * FROM bgtask_completed_task").get(0);
    assertEquals("SUCCEEDED", row.get("outcome"));
    assertEquals(2, row.get("attempts"), "the killed run counted");
    assertTrue(((String) row.get("last_error")).contains("stopped without finishing it: no heartbeat for 2 s"), row.toString());
    assertTrue(rescuer.stderr().contains("1 worker(s) stopped sending heartbeats; 1 of their task(s) will run again"), rescuer.describe());
  }

  @Test
  void slowTaskOfALiveWorkerIsNeverHandedToAnotherHoweverLongItRuns() {
    ChildJvm busy = ChildJvm.in(directory).named("busy").agent(FAST_LEASES).start("dev.bgtask.e2e.app.TestApp", "slow", "6");
    ResultLines results = new ResultLines(directory);
    Waiting.until(() -> results.all().size() == 1, Duration.ofSeconds(30), busy::describe);
    ChildJvm idle = ChildJvm.in(directory).named("idle").agent(FAST_LEASES).start("dev.bgtask.e2e.app.TestApp", "serve");
    Waiting.until(() -> results.all().size() == 2, Duration.ofSeconds(30), busy::describe);
    assertEquals(0, idle.stop(), idle.describe());
    assertEquals(0, busy.stop(), busy.describe());
    assertEquals(List.of("slow started", "slow finished"), results.all().stream().map(ResultLines::what).toList(),
        "6 s, three times the worker timeout, and still run once");
    assertEquals(1, new TaskTables(directory).count("SELECT COUNT(*) FROM bgtask_completed_task WHERE outcome = 'SUCCEEDED' AND attempts = 1"));
  }
}
