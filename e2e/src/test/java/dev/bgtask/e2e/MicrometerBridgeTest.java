package dev.bgtask.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.e2e.support.ChildJvm;
import dev.bgtask.e2e.support.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §9: an application that uses Micrometer, a version of its own, finds the agent's meters in
 * its registry without a line of code for them, and their values are the runs' own.
 */
class MicrometerBridgeTest {

  @TempDir
  Path directory;

  @Test
  void theApplicationsOwnMicrometerRegistryHoldsTheAgentsMeters() {
    ChildJvm app = TestDatabase.H2.jvm(directory).agent("workers=2").start("dev.bgtask.e2e.app.MicrometerApp");
    assertEquals(0, app.awaitExit(Duration.ofSeconds(60)), app.describe());
    String out = app.stdout();
    assertTrue(out.contains("micrometer 1.9."), "the application's own Micrometer: " + out);
    assertTrue(out.contains("meter bgtask.tasks.succeeded default COUNT 3.0"), out);
    assertTrue(out.contains("meter bgtask.tasks.enqueued default COUNT 3.0"), out);
    assertTrue(out.contains("meter bgtask.task.run.duration default COUNT 3.0"), out);
    assertTrue(out.contains("meter bgtask.worker.threads busy VALUE") && out.contains("meter bgtask.worker.threads idle VALUE"), out);
    assertTrue(out.contains("meter bgtask.tasks.waiting null VALUE 0.0"), out);
    assertFalse(out.contains("NaN"), "every meter still reads after a garbage collection: " + out);
    assertTrue(app.agentErrorLines().stream().noneMatch(line -> line.contains("WARN") || line.contains("ERROR")), app.stderr());
  }
}
