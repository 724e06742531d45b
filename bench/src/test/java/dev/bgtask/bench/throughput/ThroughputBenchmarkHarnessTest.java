package dev.bgtask.bench.throughput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Not a performance test: only that the packaged harness runs a tiny round of every workload and reports each. */
class ThroughputBenchmarkHarnessTest {

  @Test
  void tinyRunReportsEveryWorkloadForBothSystemsOnBothDatabasesAndTheLatencies() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-jar", System.getProperty("bgtask.bench.jar"), "throughput", "--tasks", "200",
        "--agent", System.getProperty("bgtask.bench.agentJar")).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertEquals(0, process.waitFor(), output);
    List<String> results = output.lines().filter(line -> line.startsWith("{\"benchmark\":")).toList();
    assertEquals(15, results.size(), output);
    for (String system : List.of("background-task", "plain JDBC")) {
      for (String db : List.of("h2", "postgresql")) {
        for (String workload : List.of("\"enqueue\".*\"threads\":1,", "\"enqueue\".*\"threads\":4,", "\"drain\"")) {
          assertEquals(1, results.stream().filter(line -> line.contains("\"system\":\"" + system + "\"")
              && line.contains("\"db\":\"" + db + "\"") && line.matches(".*" + workload + ".*")).count(),
              system + " " + db + " " + workload + ": " + output);
        }
      }
    }
    assertTrue(results.stream().allMatch(line -> line.contains("\"tasks\":200,")), output);
    for (String latency : List.of("\"db\":\"h2\",\"from\":\"same-jvm\"", "\"db\":\"postgresql\",\"from\":\"same-jvm\"",
        "\"db\":\"postgresql\",\"from\":\"other-jvm\"")) {
      assertEquals(1, results.stream().filter(line -> line.startsWith("{\"benchmark\":\"latency\"") && line.contains(latency)
          && line.matches(".*\"p50ms\":[0-9.]+,\"p95ms\":[0-9.]+,\"p99ms\":[0-9.]+}")).count(), latency + ": " + output);
    }
  }
}
