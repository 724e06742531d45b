package dev.bgtask.bench.throughput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The table of repeated purge drains: one row each, and the sentence that sums up every run. */
class PurgeSummaryTest {

  @Test
  void repeatedPurgeDrainsShowOnceInTheTableAndAllInTheSentence() throws Exception {
    List<String> lines = List.of(
        purge(0, 20_000, 60.0, 2), purge(5_000_000, 19_000, 80.5, 3),
        purge(0, 25_000, 120.0, 1), purge(5_000_000, 20_000, 90.0, 4),
        purge(0, 24_000, 40.0, 0), purge(5_000_000, 24_000, 101.0, 2));

    String table = TableSizeBenchmark.markdown(lines);

    assertEquals(1, occurrences(table, "| mariadb | 200,000 waiting, 0 history rows to purge | 20,000 | 60.0 |"), table);
    assertEquals(1, occurrences(table, "| mariadb | 200,000 waiting, 5,000,000 history rows to purge | 19,000 | 80.5 |"), table);
    assertEquals(2, occurrences(table, "history rows to purge"), table);
    assertTrue(table.contains("Purge on mariadb, 3 drains beside a purge of 5,000,000 history rows and 3 without one, alternating:"
        + " the longest pause 80.5-101 ms (median 90 ms) beside a purge (1 over 100 ms) and 40-120 ms (median 60 ms) without one"
        + " (1 over 100 ms); pauses of 50 ms or more 2-4 (median 3) against 0-2 (median 1); beside a purge the drain kept 80-100 %"
        + " (median 95 %) of the"
        + " rate of the drain just before it."), table);
  }

  @Test
  void valuesAllAlikeAreNamedOnce() throws Exception {
    String table = TableSizeBenchmark.markdown(List.of(purge(0, 20_000, 30.0, 0), purge(5_000_000, 20_000, 30.0, 0),
        purge(0, 20_000, 30.0, 0), purge(5_000_000, 20_000, 30.0, 0)));

    assertTrue(table.contains("the longest pause 30 ms beside a purge (0 over 100 ms) and 30 ms without one (0 over 100 ms);"
        + " pauses of 50 ms or more 0 against 0; beside a purge the drain kept 100 % of the rate"), table);
  }

  @Test
  void oneRunOfEachGetsNoSentence() throws Exception {
    String table = TableSizeBenchmark.markdown(List.of(purge(0, 20_000, 60.0, 2), purge(5_000_000, 19_000, 80.5, 3)));

    assertEquals(2, occurrences(table, "history rows to purge"), table);
    assertFalse(table.contains("Purge on"), table);
  }

  @Test
  void purgeRunsBelowOneAreRefusedBeforeAnythingRuns(@TempDir Path directory) throws Exception {
    Path agent = Files.createFile(directory.resolve("agent.jar"));
    TableSizeBenchmark benchmark = new TableSizeBenchmark(agent);
    PrintStream out = new PrintStream(new ByteArrayOutputStream());

    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> benchmark.run(List.of("mariadb"), List.of(10_000), 0, 1_000, 20_000, 0, out));

    assertEquals("--purge-runs must be at least 1, not 0", refused.getMessage());
  }

  private static String purge(long historyRows, double rate, double longestGapMs, int pauses) {
    return String.format(Locale.ROOT, "{\"benchmark\":\"purge\",\"db\":\"mariadb\",\"historyRows\":%d,\"backlog\":200000,\"drained\":190000,"
        + "\"drainPerSecond\":%.0f,\"drainSeconds\":8.0,\"drainLongestGapMs\":%.1f,\"drainPausesOver50Ms\":%d,\"claimP50Ms\":9.00,"
        + "\"claimP99Ms\":48.00,\"purgedRows\":%d,\"purgeSeconds\":0.0}", historyRows, rate, longestGapMs, pauses, historyRows == 0 ? 0 : 100_000);
  }

  private static int occurrences(String text, String part) {
    return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
  }
}
