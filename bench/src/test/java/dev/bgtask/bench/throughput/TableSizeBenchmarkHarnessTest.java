package dev.bgtask.bench.throughput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Not a performance test: only that the packaged table-size bench runs a tiny round on both servers and reports each result. */
class TableSizeBenchmarkHarnessTest {

  /** Each drain's claims, timed in the agent: a p50 above zero (the claims were counted) and a p99. */
  private static final String CLAIM_TIMES = "\"claimP50Ms\":(?!0\\.00,)[0-9]+\\.[0-9][0-9],\"claimP99Ms\":[0-9]+\\.[0-9][0-9]";

  @Test
  void tinyRunReportsEveryResultOnPostgresAndMariaDb(@TempDir Path directory) throws Exception {
    Path document = directory.resolve("benchmarks.md");
    Files.writeString(document, "# before\n<!-- table-size-table:start -->\nold table\n<!-- table-size-table:end -->\n# after\n");
    Map<MariaDbSizing.Size, Long> before = new LinkedHashMap<>();
    for (MariaDbSizing.Size size : MariaDbSizing.SIZES) {
      before.put(size, MariaDbSizing.current(size));
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-jar", System.getProperty("bgtask.bench.jar"), "table-size", "--rows", "3000",
        "--future", "5000", "--history", "6000", "--backlog", "12000", "--agent", System.getProperty("bgtask.bench.agentJar"),
        "--doc", document.toString()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertEquals(0, process.waitFor(), output);

    List<String> results = output.lines().filter(line -> line.startsWith("{\"benchmark\":")).toList();
    for (String db : List.of("postgresql", "mariadb")) {
      assertEquals(1, count(results, "{\"benchmark\":\"table-size\",\"db\":\"" + db + "\",\"waiting\":3000,\"drainPerSecond\":[0-9]+,"
          + "\"drainLongestGapMs\":[0-9.]+,\"drainPausesOver50Ms\":[0-9]+," + CLAIM_TIMES + ",\"enqueuePerSecond\":[0-9]+}"), db + ": " + output);
      assertEquals(1, count(results, "{\"benchmark\":\"future-rows\",\"db\":\"" + db + "\",\"future\":5000,\"drainPerSecond\":[0-9]+,"
          + "\"drainLongestGapMs\":[0-9.]+,\"drainPausesOver50Ms\":[0-9]+," + CLAIM_TIMES + "}"), db + ": " + output);
      assertEquals(1, count(results, "{\"benchmark\":\"purge\",\"db\":\"" + db + "\",\"historyRows\":0,\"backlog\":12000,\"drained\":[0-9]+,.*"), output);
      // the purge of 6,000 rows (six batches) finished, and took a measurable time
      assertEquals(1, count(results, "{\"benchmark\":\"purge\",\"db\":\"" + db + "\",\"historyRows\":6000,\"backlog\":12000,\"drained\":[0-9]+,"
          + "\"drainPerSecond\":[0-9]+,\"drainSeconds\":[0-9.]+,\"drainLongestGapMs\":[0-9.]+,\"drainPausesOver50Ms\":[0-9]+," + CLAIM_TIMES + ",\"purgedRows\":6000,\"purgeSeconds\":[0-9]+\\.[0-9]}"),
          output);
    }
    // MariaDB's redo log and buffer pool were sized for the run, and have the server's own sizes again
    for (Map.Entry<MariaDbSizing.Size, Long> own : before.entrySet()) {
      MariaDbSizing.Size size = own.getKey();
      assertEquals(own.getValue(), MariaDbSizing.current(size), size.variable());
      assertEquals(own.getValue() < size.bytes(), output.contains("mariadb: " + size.variable() + " " + (size.bytes() >> 20)
          + " MB for this run (" + size.likePostgres() + "), " + (own.getValue() >> 20) + " MB again after"), output);
    }
    String written = Files.readString(document);
    assertTrue(written.contains("| mariadb | 12,000 waiting, 6,000 history rows to purge |") && !written.contains("old table"), written);
    assertTrue(written.contains("| claim p50 / p99 (ms) |"), written);
  }

  private static long count(List<String> results, String pattern) {
    String regex = pattern.replace("{", "\\{").replace("}", "\\}");
    return results.stream().filter(line -> line.matches(regex)).count();
  }
}
