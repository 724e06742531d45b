package dev.bgtask.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HistogramTest {

  @Test
  void countsEachDurationInTheFirstBucketWhoseBoundHoldsIt() {
    Histogram histogram = new Histogram();
    histogram.record(0.0005);
    histogram.record(0.001);
    histogram.record(0.002);
    histogram.record(7200);
    histogram.record(-1); // a clock's step back counts as no time
    long[] counts = histogram.counts();
    assertEquals(3, counts[0], "0.0005, 0.001 and the negative one");
    assertEquals(1, counts[1]);
    assertEquals(1, counts[Histogram.BOUNDS.length], "above every bound");
    assertEquals(5, histogram.count());
    assertEquals(7200.0035, histogram.sum(), 1e-9);
  }

  @Test
  void quantilesInterpolateWithinTheirBucket() {
    long[] counts = new long[Histogram.BOUNDS.length + 1];
    counts[6] = 100; // (0.1, 0.25]
    assertEquals(0.175, Histogram.quantile(counts, 0.5), 1e-9);
    assertEquals(0.2425, Histogram.quantile(counts, 0.95), 1e-9);
    assertTrue(Double.isNaN(Histogram.quantile(new long[Histogram.BOUNDS.length + 1], 0.5)), "nothing counted");
  }

  @Test
  void aHistogramOfRoundTripsCountsAndEstimatesUnderItsOwnBounds() {
    Histogram histogram = new Histogram(Histogram.ROUND_TRIP_BOUNDS);
    for (int i = 0; i < 99; i++) {
      histogram.record(0.0003); // (0.0002, 0.0005]
    }
    histogram.record(0.015); // (0.01, 0.02]
    assertArrayEquals(Histogram.ROUND_TRIP_BOUNDS, histogram.bounds());
    assertEquals(99, histogram.counts()[2]);
    assertEquals(0.0002 + 0.0003 * (50.0 / 99), histogram.quantile(0.5), 1e-12);
    assertEquals(0.0005, histogram.quantile(0.99), 1e-12, "the 99th of 100 is the last in its bucket");
    assertEquals(0.02, histogram.quantile(1.0), 1e-12);
  }

  @Test
  void bucketCountsSurviveTheirTextFormAndAddUp() {
    long[] counts = new long[Histogram.BOUNDS.length + 1];
    counts[2] = 4;
    counts[17] = 1;
    long[] parsed = Histogram.parse(Histogram.format(counts));
    assertArrayEquals(counts, parsed);
    Histogram.addTo(parsed, counts);
    assertEquals(8, parsed[2]);
    assertArrayEquals(counts, Histogram.minus(parsed, counts));
    assertArrayEquals(new long[Histogram.BOUNDS.length + 1], Histogram.parse("1,2,3"), "another layout counts nothing");
  }
}
