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

  /** Upper bounds of the buckets of task durations, in seconds; a last bucket takes everything above. */
  public static final double[] BOUNDS = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600};

  /** Upper bounds for database round trips, which take from a tenth of a millisecond to seconds. */
  public static final double[] ROUND_TRIP_BOUNDS = {0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5};

  private final double[] bounds;
  private final LongAdder[] counts;
  private final DoubleAdder sum = new DoubleAdder();

  /** Buckets of task durations ({@link #BOUNDS}). */
  public Histogram() {
    this(BOUNDS);
  }

  public Histogram(double[] bounds) {
    this.bounds = bounds.clone();
    this.counts = new LongAdder[bounds.length + 1];
    Arrays.setAll(counts, i -> new LongAdder());
  }

  /** The upper bounds of the buckets, in seconds. */
  public double[] bounds() {
    return bounds.clone();
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

  private int bucketOf(double seconds) {
    int index = Arrays.binarySearch(bounds, seconds);
    return index >= 0 ? index : -index - 1;
  }

  /** The {@code quantile} (0 to 1) of what this histogram counted, as {@link #quantile(double[], long[], double)} estimates it. */
  public double quantile(double quantile) {
    return quantile(bounds, counts(), quantile);
  }

  /** The {@code quantile} of bucket counts of task durations ({@link #BOUNDS}). */
  public static double quantile(long[] counts, double quantile) {
    return quantile(BOUNDS, counts, quantile);
  }

  /**
   * The {@code quantile} (0 to 1) of bucket counts under {@code bounds}, interpolated within its
   * bucket; NaN when nothing was counted. Above the last bound it answers the last bound.
   */
  public static double quantile(double[] bounds, long[] counts, double quantile) {
    long total = Arrays.stream(counts).sum();
    if (total == 0) {
      return Double.NaN;
    }
    double rank = quantile * total;
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0 && seen + counts[i] >= rank) {
        if (i == bounds.length) {
          return bounds[bounds.length - 1];
        }
        double lower = i == 0 ? 0 : bounds[i - 1];
        return lower + (bounds[i] - lower) * ((rank - seen) / counts[i]);
      }
      seen += counts[i];
    }
    return bounds[bounds.length - 1];
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
