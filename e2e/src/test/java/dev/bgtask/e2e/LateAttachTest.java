package dev.bgtask.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.e2e.support.ChildJvm;
import dev.bgtask.e2e.support.Waiting;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
    Waiting.until(() -> app.stderr().contains("dev.bgtask.e2e.app.LoadedEarly" + TOO_EARLY) && results().contains("ledger 1"),
        Duration.ofSeconds(30), app::describe);
    assertEquals(0, app.stop(), app.describe());
    assertTrue(results().contains("ledger 1 | thread=bgtask-worker-"),
        "the class loaded after the attach was rewritten; its call ran on a worker: " + results());
    assertFalse(app.stderr().contains("Ledger" + TOO_EARLY), "a class loaded after the attach is not reported: " + app.describe());
  }

  private String results() {
    Path results = directory.resolve("results.txt");
    try {
      return Files.exists(results) ? Files.readString(results) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
