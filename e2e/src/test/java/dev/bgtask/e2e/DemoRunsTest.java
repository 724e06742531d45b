package dev.bgtask.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.e2e.support.ChildJvm;
import dev.bgtask.e2e.support.TaskTables;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoRunsTest {

  @TempDir
  Path directory;

  @Test
  void demoJarStartsTheAgentItselfRunsEveryTaskAndExitsWithinAMinute() {
    Path demoJar = Path.of(System.getProperty("bgtask.e2e.agentJar")).getParent().resolve("../../demo/target/background-task-demo.jar");
    long start = System.nanoTime();
    ChildJvm demo = ChildJvm.in(directory).runJar(demoJar);
    long seconds = (System.nanoTime() - start) / 1_000_000_000L;
    assertEquals(0, demo.exitCode(), demo.describe());
    assertTrue(seconds < 60, "exits by itself in under a minute, took " + seconds + " s");
    assertTrue(demo.stdout().contains("Done in"), demo.describe());
    assertTrue(demo.stdout().contains("charged 37.50 EUR for order A-1001 (attempt 2)"), demo.describe());
    assertTrue(demo.stderr().contains("retrying in 6 s"), "the agent reports the retry: " + demo.describe());
    assertFalse(demo.stderr().contains("was loaded before the agent started"),
        "the demo's classes load after its agent starts, so none is reported as loaded too early: " + demo.describe());
    TaskTables tables = new TaskTables(directory);
    assertEquals(5, tables.count("SELECT COUNT(*) FROM bgtask_completed_task WHERE outcome = 'SUCCEEDED'"));
    assertEquals(0, tables.count("SELECT COUNT(*) FROM bgtask_task"));
  }
}
