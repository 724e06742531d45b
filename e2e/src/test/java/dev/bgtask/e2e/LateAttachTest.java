package dev.bgtask.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.e2e.support.ChildJvm;
import dev.bgtask.e2e.support.ResultLines;
import dev.bgtask.e2e.support.Waiting;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An agent attached to a running JVM cannot rewrite what was loaded before it, and says which classes those are. */
class LateAttachTest {

  private static final String TOO_EARLY = " was loaded before the agent started, so its @Background methods run synchronously";

  @TempDir
  Path directory;

  @Test
  void anAgentAttachedLateNamesTheBackgroundClassesLoadedBeforeItAndNoOthers() throws Exception {
    ChildJvm app = ChildJvm.in(directory).withoutAgent().jvmOption("-Djdk.attach.allowAttachSelf=true")
        .start("dev.bgtask.e2e.app.LateAttachApp", ChildJvm.agentJar());
    ResultLines results = new ResultLines(directory);
    Waiting.until(() -> app.stderr().contains("dev.bgtask.e2e.app.LoadedEarly" + TOO_EARLY) && !results.startingWith("ledger 1").isEmpty(),
        Duration.ofSeconds(30), app::describe);
    assertEquals(0, app.stop(), app.describe());
    assertTrue(ResultLines.thread(results.startingWith("ledger 1").get(0)).startsWith("bgtask-worker-"),
        "the class loaded after the attach was rewritten; its call ran on a worker: " + results.all());
    assertFalse(app.stderr().contains("Ledger" + TOO_EARLY), "a class loaded after the attach is not reported: " + app.describe());
  }
}
