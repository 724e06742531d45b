package dev.bgtask.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.e2e.support.ChildJvm;
import dev.bgtask.e2e.support.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's threads keep nothing of the application thread that happened to start them (an
 * undeployed web application's loader would stay pinned), and the application's own code (its
 * instance resolver, its listeners) runs with the application's loader as context loader, never
 * the agent's hidden one.
 */
class ThreadHygieneTest {

  @TempDir
  Path directory;

  @Test
  void agentThreadsHoldNoApplicationLoaderAndApplicationCodeRunsWithItsOwn() {
    ChildJvm app = TestDatabase.H2.jvm(directory).agent("workers=2").start("dev.bgtask.e2e.app.ThreadHygieneApp");
    assertEquals(0, app.awaitExit(Duration.ofSeconds(60)), app.describe());
    List<String> lines = app.stdout().lines().toList();

    List<String> agentThreads = lines.stream().filter(line -> line.startsWith("agent thread ")).toList();
    assertTrue(agentThreads.stream().anyMatch(line -> line.startsWith("agent thread bgtask-worker-")), app.describe());
    assertTrue(agentThreads.stream().anyMatch(line -> line.startsWith("agent thread bgtask-notify") || line.contains("bgtask-success")),
        "threads the calls started: " + agentThreads);
    for (String thread : agentThreads) {
      assertFalse(thread.endsWith(" web-app"), "started from the main thread, it kept its context loader: " + thread);
    }
    List<String> resolver = lines.stream().filter(line -> line.startsWith("resolver context loader")).toList();
    assertEquals(3, resolver.size(), app.describe());
    resolver.forEach(line -> assertEquals("resolver context loader app", line, "the task class's loader"));
    List<String> listener = lines.stream().filter(line -> line.startsWith("listener context loader")).toList();
    assertEquals(6, listener.size(), app.describe());
    listener.forEach(line -> assertEquals("listener context loader app, inherited thread-local null", line));
  }
}
