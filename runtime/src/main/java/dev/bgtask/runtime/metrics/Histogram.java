package dev.bgtask.runtime.metrics;

import java.util.Arrays;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * Durations counted in fixed buckets, as a Prometheus histogram keeps them: cheap to record from
 * many threads at once, and summable across JVMs and minutes, which percentiles are not.
 */
public final class Histogram {

  /** Upper bounds of the buckets, in seconds; a last bucket takes everything above. */
  public static final double[] BOUNDS = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600};

  private final LongAdder[] counts = new LongAdder[BOUNDS.length + 1];
  private final DoubleAdder sum = new DoubleAdder();

  public Histogram() {
    Arrays.setAll(counts, i -> new LongAdder());
  }

  public void record(double seconds) {
    double value = Math.max(0, seconds);
    counts[bucketOf(value)].increment();
    sum.add(value);
  }

  /** The count of each bucket (not cumulative), the last one for values above every bound. */
  public long[] counts() {
    return Arrays.stream(counts).mapToLong(LongAdder::sum).toArray();
  }

  public double sum() {
    return sum.sum();
  }

  public long count() {
    return Arrays.stream(counts()).sum();
  }

  private static int bucketOf(double seconds) {
    int index = Arrays.binarySearch(BOUNDS, seconds);
    return index >= 0 ? index : -index - 1;
  }

  /**
   * The {@code quantile} (0 to 1) of bucket counts, interpolated within its bucket; NaN when
   * nothing was counted. Above the last bound it answers the last bound.
   */
  public static double quantile(long[] counts, double quantile) {
    long total = Arrays.stream(counts).sum();
    if (total == 0) {
      return Double.NaN;
    }
    double rank = quantile * total;
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0 && seen + counts[i] >= rank) {
        if (i == BOUNDS.length) {
          return BOUNDS[BOUNDS.length - 1];
        }
        double lower = i == 0 ? 0 : BOUNDS[i - 1];
        return lower + (BOUNDS[i] - lower) * ((rank - seen) / counts[i]);
      }
      seen += counts[i];
    }
    return BOUNDS[BOUNDS.length - 1];
  }

  /** Bucket counts as text, for the statistics table: {@code 0,3,12,...}. */
  public static String format(long[] counts) {
    return Arrays.stream(counts).mapToObj(Long::toString).collect(Collectors.joining(","));
  }

  /** The counts {@link #format} wrote; a text of another layout counts nothing. */
  public static long[] parse(String text) {
    long[] counts = new long[BOUNDS.length + 1];
    if (text == null || text.isBlank()) {
      return counts;
    }
    String[] parts = text.split(",");
    if (parts.length != counts.length) {
      return counts;
    }
    for (int i = 0; i < parts.length; i++) {
      counts[i] = Long.parseLong(parts[i].trim());
    }
    return counts;
  }

  /** {@code a} minus {@code b}, bucket by bucket. */
  public static long[] minus(long[] a, long[] b) {
    long[] difference = new long[a.length];
    Arrays.setAll(difference, i -> a[i] - b[i]);
    return difference;
  }

  /** {@code a} plus {@code b}, bucket by bucket, into {@code a}. */
  public static void addTo(long[] a, long[] b) {
    for (int i = 0; i < a.length; i++) {
      a[i] += b[i];
    }
  }
}
