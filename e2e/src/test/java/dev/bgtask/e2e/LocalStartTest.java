package dev.bgtask.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bgtask.e2e.support.ChildJvm;
import dev.bgtask.e2e.support.OnEveryDatabase;
import dev.bgtask.e2e.support.ResultLines;
import dev.bgtask.e2e.support.Waiting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A call that a free worker of the calling JVM starts at once, without claiming it from the
 * database: its body gets the stored copy of anything the caller could still change, and the
 * call's own values when the method takes only primitives, boxed primitives and strings.
 */
class LocalStartTest extends OnEveryDatabase {

  @TempDir
  Path directory;

  @Test
  void bodyGetsACopyOfAListTheCallerChangesAfterTheCallAndTheCallsOwnValues() {
    ChildJvm app = database.jvm(directory).agent("workers=2").start("dev.bgtask.e2e.app.TestApp", "local-start");
    ResultLines results = new ResultLines(directory);
    Waiting.until(() -> results.all().size() >= 2, Duration.ofSeconds(30), () -> "two task runs; " + app.describe());
    assertEquals(0, app.stop(), app.describe());
    assertEquals(List.of("tag 1 [red, blue] a copy"), results.startingWith("tag").stream().map(ResultLines::what).toList());
    assertEquals(List.of("note 2 3 crème brûlée ✓ x 0.1 true null same string"),
        results.startingWith("note").stream().map(ResultLines::what).toList());
  }
}
