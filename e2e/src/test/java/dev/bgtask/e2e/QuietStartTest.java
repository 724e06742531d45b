package dev.bgtask.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.e2e.support.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuietStartTest {

  @TempDir
  Path directory;

  @Test
  void childJvmsRunOnTheJdkThisSuiteExecutionIsFor() {
    ChildJvm app = ChildJvm.in(directory).run("dev.bgtask.e2e.app.TestApp", "nothing");
    assertEquals(0, app.exitCode(), app.describe());
    assertTrue(app.stdout().contains("main ran on java " + System.getProperty("bgtask.e2e.javaFeature")),
        "expected java " + System.getProperty("bgtask.e2e.javaFeature") + " from " + ChildJvm.java() + ": " + app.describe());
  }

  @Test
  void agentPrintsOneLineAtStartAndTheJvmAtMostOneMore() {
    ChildJvm app = ChildJvm.in(directory).start("dev.bgtask.e2e.app.TestApp", "serve");
    app.awaitOutput("serving", Duration.ofSeconds(30));
    app.awaitAgentStarted();
    assertEquals(0, app.stop(), app.describe());
    List<String> agentLines = app.agentErrorLines();
    assertEquals(1, agentLines.size(), "one start-up line: " + agentLines);
    assertTrue(agentLines.get(0).startsWith("[bgtask] INFO  background-task "), agentLines.get(0));
    assertFalse(app.stderr().contains("Sharing is only supported"), "the API is defined in the boot loader, not appended to its"
        + " class path, so the JVM keeps class-data sharing and says nothing: " + app.stderr());
    assertEquals(1, app.stderr().lines().count(), "nothing but the agent's line: " + app.stderr());
  }
}
