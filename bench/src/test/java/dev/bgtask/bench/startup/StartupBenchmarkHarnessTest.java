package dev.bgtask.bench.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Not a performance test: only that the packaged harness runs and reports every measurement. */
class StartupBenchmarkHarnessTest {

  @Test
  void harnessRunsOneRoundAndPrintsAResultPerMeasurementAndSetUp() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-jar", System.getProperty("bgtask.bench.jar"), "startup", "--runs", "1",
        "--agent", System.getProperty("bgtask.bench.agentJar")).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertEquals(0, process.waitFor(), output);
    List<String> results = output.lines().filter(line -> line.startsWith("{\"benchmark\":\"startup\"")).toList();
    assertEquals(9, results.size(), output);
    assertTrue(results.stream().allMatch(line -> line.contains("\"runs\":1")), output);
    assertTrue(output.lines().anyMatch(line -> line.matches("\\| load \\d{4,} classes .*")), "a few thousand classes: " + output);
  }
}
