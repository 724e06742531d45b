package dev.bgtask.bench.throughput;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * How long the agent's claims took, read from its {@code dev.bgtask:type=Workers} MXBean in the
 * drain's own JVM: bucket counts taken when the timed drain begins and when it ends, so the
 * percentiles are of the timed claims alone, estimated within their buckets as Prometheus would.
 */
final class ClaimTimes {

  private final double[] bounds;
  private final long[] counts;

  private ClaimTimes(double[] bounds, long[] counts) {
    this.bounds = bounds;
    this.counts = counts;
  }

  static ClaimTimes read() throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName workers = new ObjectName("dev.bgtask:type=Workers");
    return new ClaimTimes((double[]) server.getAttribute(workers, "ClaimBucketBoundsSeconds"),
        (long[]) server.getAttribute(workers, "ClaimBucketCounts"));
  }

  ClaimTimes since(ClaimTimes earlier) {
    long[] difference = counts.clone();
    for (int i = 0; i < difference.length; i++) {
      difference[i] -= earlier.counts[i];
    }
    return new ClaimTimes(bounds, difference);
  }

  /**
   * {@code line} (a JSON object) with the number of claims and their p50 and p99 in milliseconds
   * added; null percentiles when a short drain ran only tasks claimed before it began.
   */
  String addTo(String line) {
    return line.substring(0, line.length() - 1) + String.format(Locale.ROOT, ",\"claims\":%d,\"claimP50Ms\":%s,\"claimP99Ms\":%s}",
        total(), milliseconds(0.5), milliseconds(0.99));
  }

  private String milliseconds(double quantile) {
    return total() == 0 ? "null" : String.format(Locale.ROOT, "%.2f", quantile(quantile) * 1000);
  }

  private long total() {
    long total = 0;
    for (long count : counts) {
      total += count;
    }
    return total;
  }

  private double quantile(double quantile) {
    double rank = quantile * total();
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
    return Double.NaN;
  }
}
