package dev.bgtask.bench.throughput;

import java.util.List;
import java.util.Locale;

/** The JSON result lines the harness prints, one per measurement. */
final class ResultLines {

  private ResultLines() {}

  static String throughput(String workload, String system, String database, int tasks, int threads, long nanos) {
    return String.format(Locale.ROOT,
        "{\"benchmark\":\"%s\",\"system\":\"%s\",\"db\":\"%s\",\"tasks\":%d,\"threads\":%d,\"seconds\":%.3f,\"tasksPerSecond\":%.0f}",
        workload, system, database, tasks, threads, nanos / 1e9, tasks / (nanos / 1e9));
  }

  /** A drain stopped at {@code limitSeconds} with {@code ran} of {@code tasks} run: the rate is of those. */
  static String stoppedDrain(String system, String database, int ran, int tasks, long nanos, long limitSeconds) {
    String line = throughput("drain", system, database, ran, 8, nanos);
    return line.substring(0, line.length() - 1) + ",\"stoppedAfterSeconds\":" + limitSeconds + ",\"of\":" + tasks + "}";
  }

  /**
   * A drain's line with the longest time between two runs in it (how long the drain ever stood
   * still) and how many such gaps were pauses of {@link NoOpTask#PAUSE_NANOS} or more.
   */
  static String withPauses(String drainLine, long longestGapNanos, int pauses) {
    return drainLine.substring(0, drainLine.length() - 1)
        + String.format(Locale.ROOT, ",\"longestGapMs\":%.1f,\"pausesOver50Ms\":%d}", longestGapNanos / 1e6, pauses);
  }

  static String latency(String system, String database, String where, List<Long> micros) {
    List<Long> sorted = micros.stream().sorted().toList();
    return String.format(Locale.ROOT,
        "{\"benchmark\":\"latency\",\"system\":\"%s\",\"db\":\"%s\",\"from\":\"%s\",\"tasks\":%d,"
            + "\"p50ms\":%.2f,\"p95ms\":%.2f,\"p99ms\":%.2f}",
        system, database, where, sorted.size(), percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99));
  }

  private static double percentile(List<Long> sortedMicros, int percent) {
    int index = Math.min(sortedMicros.size() - 1, (int) Math.ceil(percent / 100.0 * sortedMicros.size()) - 1);
    return sortedMicros.get(Math.max(0, index)) / 1000.0;
  }
}
