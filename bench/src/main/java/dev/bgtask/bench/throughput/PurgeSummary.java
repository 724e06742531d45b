package dev.bgtask.bench.throughput;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The repeated purge drains of one database in a sentence: the range and median of their longest
 * pauses and of their pause counts, beside a purge and without one, and the rate each drain beside a
 * purge kept of the drain without one just before it. A drain's longest pause is one event, so only
 * many runs tell a purge's pauses from the machine's.
 */
final class PurgeSummary {

  /** A drain that stood still longer than this misses the target. */
  private static final double TARGET_MS = 100;

  private final String database;
  private final List<JsonNode> withoutPurge = new ArrayList<>();
  private final List<JsonNode> besidePurge = new ArrayList<>();

  PurgeSummary(String database) {
    this.database = database;
  }

  /** Adds one drain's result; true when it is the first of its kind (beside a purge, or without one). */
  boolean add(JsonNode purgeResult) {
    List<JsonNode> kind = purgeResult.get("historyRows").asLong() == 0 ? withoutPurge : besidePurge;
    kind.add(purgeResult);
    return kind.size() == 1;
  }

  boolean repeated() {
    return besidePurge.size() > 1;
  }

  String sentence() {
    List<Double> kept = new ArrayList<>();
    for (int i = 0; i < Math.min(withoutPurge.size(), besidePurge.size()); i++) {
      kept.add(100 * rate(besidePurge.get(i)) / rate(withoutPurge.get(i)));
    }
    return String.format(Locale.ROOT, "Purge on %s, %d drains beside a purge of %,d history rows and %d without one, alternating:"
        + " the longest pause %s beside a purge (%d over %.0f ms) and %s without one (%d over %.0f ms); pauses of 50 ms or"
        + " more %s against %s; beside a purge the drain kept %s of the rate of the drain just before it.", database,
        besidePurge.size(), besidePurge.get(0).get("historyRows").asLong(), withoutPurge.size(), spread(besidePurge, PurgeSummary::longestPause, " ms"),
        over(besidePurge), TARGET_MS, spread(withoutPurge, PurgeSummary::longestPause, " ms"), over(withoutPurge), TARGET_MS,
        spread(besidePurge, PurgeSummary::pauses, ""), spread(withoutPurge, PurgeSummary::pauses, ""), range(kept, " %"));
  }

  private static double rate(JsonNode result) {
    return result.get("drainPerSecond").asDouble();
  }

  private static double longestPause(JsonNode result) {
    return result.get("drainLongestGapMs").asDouble();
  }

  private static double pauses(JsonNode result) {
    return result.get("drainPausesOver50Ms").asDouble();
  }

  private static long over(List<JsonNode> results) {
    return results.stream().filter(result -> longestPause(result) > TARGET_MS).count();
  }

  private static String spread(List<JsonNode> results, ToDoubleFunction<JsonNode> measure, String unit) {
    return range(results.stream().map(measure::applyAsDouble).toList(), unit);
  }

  /** "low-high unit (median m unit)", or the one value when all are alike; whole numbers unless a value has a fraction. */
  private static String range(List<Double> values, String unit) {
    List<Double> sorted = values.stream().sorted(Comparator.naturalOrder()).toList();
    int n = sorted.size();
    if (sorted.get(0).equals(sorted.get(n - 1))) {
      return number(sorted.get(0)) + unit;
    }
    double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    return number(sorted.get(0)) + "-" + number(sorted.get(n - 1)) + unit + " (median " + number(median) + unit + ")";
  }

  private static String number(double value) {
    return value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.1f", value);
  }
}
