package dev.bgtask.bench.throughput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not a performance test: only that the packaged harness runs a tiny round of every workload for
 * every contender, reports each, and writes its table into a document.
 */
class ThroughputBenchmarkHarnessTest {

  private static final List<String> QUEUES = List.of("background-task", "db-scheduler", "JobRunr");

  @Test
  void tinyRunReportsEveryWorkloadOfEveryContenderOnEveryDatabase(@TempDir Path directory) throws Exception {
    Path document = directory.resolve("benchmarks.md");
    Files.writeString(document, "# before\n" + "<!-- throughput-table:start -->" + "\nold table\n" + "<!-- throughput-table:end -->" + "\n# after\n");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-jar", System.getProperty("bgtask.bench.jar"), "throughput", "--tasks", "200",
        "--agent", System.getProperty("bgtask.bench.agentJar"), "--doc", document.toString()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertEquals(0, process.waitFor(), output);

    List<String> results = output.lines().filter(line -> line.startsWith("{\"benchmark\":")).toList();
    // per database: 4 workloads of 4 contenders, back-to-back latency of 3; on PostgreSQL, latency from another JVM of 3
    assertEquals(1 + (4 * 4 + 3) + (4 * 4 + 3 + 3) + (4 * 4 + 3), results.size(), output);
    for (String db : List.of("h2", "postgresql", "mariadb")) {
      for (String system : List.of("background-task", "db-scheduler", "JobRunr", "plain JDBC")) {
        for (String workload : List.of("\"enqueue\".*\"tasks\":200,\"threads\":1,", "\"enqueue\".*\"tasks\":200,\"threads\":4,",
            // the timed drain starts after the warm-up runs, so it times up to 200 of the 400 stored; on a fast
            // machine one claim round of 520 can run all 400 before the warm-up is seen to end, leaving none
            "\"drain\".*\"tasks\":([0-9][0-9]?|1[0-9][0-9]|200),\"threads\":8,")) {
          // drains say how long they ever stood still; ours also how long its claims took
          assertEquals(1, count(results, system, db, workload + ".*\"tasksPerSecond\":[0-9]+(,\"longestGapMs\":[0-9.]+,\"pausesOver50Ms\":[0-9]+"
              + (system.equals("background-task") && workload.startsWith("\"drain\"") ? ",\"claims\":[0-9]+,\"claimP50Ms\":([0-9.]+|null),\"claimP99Ms\":([0-9.]+|null)" : "")
              + ")?}"),
              system + " " + db + " " + workload + ": " + output);
        }
      }
      for (String system : List.of("background-task", "db-scheduler", "JobRunr", "plain JDBC")) {
        List<String> froms = new java.util.ArrayList<>(List.of("same-jvm"));
        if (!system.equals("JobRunr")) {
          froms.add("same-jvm-back-to-back");
        }
        if (db.equals("postgresql") && QUEUES.contains(system)) {
          froms.add("other-jvm");
        }
        for (String from : froms) {
          assertEquals(1, count(results, system, db, "\"latency\".*\"from\":\"" + from + "\",\"tasks\":200,"
              + "\"p50ms\":[0-9.]+,\"p95ms\":[0-9.]+,\"p99ms\":[0-9.]+}"), system + " " + db + " " + from + ": " + output);
        }
      }
    }
    assertEquals(1, results.stream().filter(line -> line.matches("\\{\"benchmark\":\"plain-call\".*\"nanosPerCall\":[0-9.]+}")).count(), output);

    String written = Files.readString(document);
    assertTrue(written.startsWith("# before\n") && written.endsWith("<!-- throughput-table:end -->" + "\n# after\n") && !written.contains("old table"), written);
    assertTrue(written.contains("| drain, 8 workers (tasks/s) | postgresql | "), written);
  }

  private static long count(List<String> results, String system, String db, String workload) {
    return results.stream().filter(line -> line.contains("\"system\":\"" + system + "\"") && line.contains("\"db\":\"" + db + "\"")
        && line.matches(".*" + workload + ".*")).count();
  }
}
