package dev.bgtask.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.e2e.support.ChildJvm;
import dev.bgtask.e2e.support.TaskTables;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BadInputIsRefusedTest {

  @TempDir
  Path directory;

  @Test
  void cyclicArgumentMakesTheCallThrowNamingMethodAndParameterAndStoresNothing() {
    ChildJvm app = ChildJvm.in(directory).agent("workers=0").run("dev.bgtask.e2e.app.TestApp", "unserialisable");
    assertEquals(0, app.exitCode(), app.describe());
    String refusal = app.stdout().lines().filter(l -> l.startsWith("refused: ")).findFirst()
        .orElseThrow(() -> new AssertionError(app.describe()));
    assertTrue(refusal.contains("dev.bgtask.e2e.app.Graph.walk"), refusal);
    assertTrue(refusal.contains("parameter 2 'start' (dev.bgtask.e2e.app.Graph$Node)"), refusal);
    assertTrue(app.stdout().contains("stored null"), "a null argument is fine: " + app.stdout());
    TaskTables tables = new TaskTables(directory);
    assertEquals(1, tables.count("SELECT COUNT(*) FROM bgtask_task"), "only the call with the null argument was stored");
    assertEquals("[\"thread\",null]", tables.rows("SELECT arguments FROM bgtask_task").get(0).get("arguments"));
  }

  @Test
  void nonVoidMethodIsReportedAtClassLoadAndThrowsAtTheCall() {
    ChildJvm app = ChildJvm.in(directory).agent("workers=0").run("dev.bgtask.e2e.app.TestApp", "non-void");
    assertEquals(0, app.exitCode(), app.describe());
    assertTrue(app.stdout().contains("refused: @Background method dev.bgtask.e2e.app.Graph.countNodes returns int"), app.describe());
    assertTrue(app.stderr().contains("[bgtask] ERROR @Background method dev.bgtask.e2e.app.Graph.countNodes returns int"), app.describe());
    // The JVM may exit before the agent's background start has even created the tables.
    assertEquals(0, new TaskTables(directory).countOrZero("SELECT COUNT(*) FROM bgtask_task"), "nothing stored");
  }

  @Test
  void misspeltAgentKeyStopsStartUpWithOneLineNamingIt() {
    ChildJvm app = ChildJvm.in(directory).agent("wokers=2").run("dev.bgtask.e2e.app.TestApp", "nothing");
    assertStoppedWithOneLine(app, "background-task: unknown configuration key 'wokers' in -javaagent arguments (did you mean 'workers'?)");
  }

  @Test
  void misspeltSystemPropertyOrEnvironmentVariableStopsStartUpToo() {
    ChildJvm property = ChildJvm.in(directory).named("property").jvmOption("-Dbgtask.maxAtempts=3")
        .run("dev.bgtask.e2e.app.TestApp", "nothing");
    assertStoppedWithOneLine(property, "unknown configuration key 'maxAtempts' in -Dbgtask.maxAtempts (did you mean 'maxAttempts'?)");
    ChildJvm environment = ChildJvm.in(directory).named("environment").environment("BGTASK_WORKER", "2")
        .run("dev.bgtask.e2e.app.TestApp", "nothing");
    assertStoppedWithOneLine(environment, "unknown configuration key 'BGTASK_WORKER' in environment variable BGTASK_WORKER (did you mean 'BGTASK_WORKERS'?)");
  }

  @Test
  void malformedValueStopsStartUpNamingKeyAndExpectation() {
    ChildJvm app = ChildJvm.in(directory).agent("workers=two").run("dev.bgtask.e2e.app.TestApp", "nothing");
    assertStoppedWithOneLine(app, "invalid value 'two' for workers (-javaagent arguments): expected a whole number, 0 or more");
  }

  @Test
  void unreachableDatabaseUrlStopsStartUpWithOneLine() {
    ChildJvm app = ChildJvm.in(directory).agent("url=jdbc:postgresql://127.0.0.1:1/nowhere,user=nobody")
        .run("dev.bgtask.e2e.app.TestApp", "nothing");
    assertStoppedWithOneLine(app, "background-task: cannot connect to jdbc:postgresql://127.0.0.1:1/nowhere");
  }

  @Test
  void unsupportedDatabaseUrlStopsStartUpWithOneLine() {
    ChildJvm app = ChildJvm.in(directory).agent("url=jdbc:oracle:thin:@db:1521/x").run("dev.bgtask.e2e.app.TestApp", "nothing");
    assertStoppedWithOneLine(app, "unsupported JDBC URL 'jdbc:oracle:thin:@db:1521/x'");
  }

  private static void assertStoppedWithOneLine(ChildJvm app, String expected) {
    assertNotEquals(0, app.exitCode(), app.describe());
    assertFalse(app.stdout().contains("main ran"), "the application's main never ran: " + app.describe());
    List<String> lines = app.agentErrorLines();
    assertEquals(1, lines.size(), "exactly one line: " + lines);
    assertTrue(lines.get(0).contains(expected), lines.get(0));
    assertTrue(lines.get(0).startsWith("background-task: "), lines.get(0));
  }
}
