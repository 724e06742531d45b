package dev.bgtask.bench.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Not a performance test: only that the packaged harness fills every database, times every page
 * there, and times our drain with the dashboard off and on, reporting each.
 */
class DashboardBenchmarkHarnessTest {

  @Test
  void tinyRunTimesEveryPageOnEveryDatabaseAndTheDrainWithAndWithoutTheDashboard() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-jar", System.getProperty("bgtask.bench.jar"), "dashboard", "--finished", "2000",
        "--waiting", "300", "--requests", "2", "--drains", "1", "--tasks", "200", "--agent", System.getProperty("bgtask.bench.agentJar"))
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertEquals(0, process.waitFor(), output);

    List<String> results = output.lines().filter(line -> line.startsWith("{\"benchmark\":")).toList();
    for (String db : List.of("postgresql", "mariadb", "h2")) {
      assertEquals(1, count(results, "\"dashboard-fill\",\"db\":\"" + db + "\",\"finished\":2000,\"waiting\":300,"), output);
      assertEquals(20, count(results, "\"dashboard-page\",\"db\":\"" + db + "\",.*\"requests\":2,\"p50ms\":[0-9.]+,\"p95ms\":[0-9.]+"), output);
    }
    for (String db : List.of("postgresql", "h2")) {
      for (String dashboard : List.of("off", "on")) {
        assertEquals(1, count(results, "\"drain\",\"system\":\"background-task\",\"db\":\"" + db + "\".*\"tasksPerSecond\":[0-9]+,\"longestGapMs\":[0-9.]+,\"pausesOver50Ms\":[0-9]+,"
            + "\"claims\":[0-9]+,\"claimP50Ms\":([0-9.]+|null),\"claimP99Ms\":([0-9.]+|null),\"dashboard\":\"" + dashboard + "\""), output);
      }
    }
  }

  private static long count(List<String> results, String pattern) {
    return results.stream().filter(line -> line.matches("\\{\"benchmark\":" + pattern + ".*")).count();
  }
}
