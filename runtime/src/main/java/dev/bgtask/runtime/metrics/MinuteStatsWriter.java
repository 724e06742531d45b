package dev.bgtask.runtime.metrics;

import dev.bgtask.runtime.store.MinuteStats;
import dev.bgtask.runtime.store.TaskStatsStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Writes what this worker JVM ran, per minute and queue, to the statistics table the dashboard
 * reads: every few seconds it takes what {@link TaskMetrics} counted since the last time and adds
 * it to the current minute's row of this worker (minutes by the database's clock). The runs
 * themselves pay nothing for it. Rows older than a day go.
 */
public final class MinuteStatsWriter {

  /** How long the statistics are kept: the dashboard charts the last hour, the health check the last day. */
  public static final Duration KEPT = Duration.ofHours(25);
  private static final Duration PURGE_EVERY = Duration.ofMinutes(10);

  private final TaskMetrics metrics;
  private final TaskStatsStore store;
  private final Clock clock;
  private final Supplier<String> worker;
  /** What was counted at the last write, per queue. */
  private final Map<String, Totals> counted = new HashMap<>();
  /** This minute's figures so far, per queue, of {@link #minuteWorker} in {@link #minute}. */
  private final Map<String, Totals> thisMinute = new HashMap<>();
  private Instant minute;
  private String minuteWorker;
  private Instant nextPurge = Instant.MIN;

  public MinuteStatsWriter(TaskMetrics metrics, TaskStatsStore store, Clock clock, Supplier<String> worker) {
    this.metrics = metrics;
    this.store = store;
    this.clock = clock;
    this.worker = worker;
  }

  /** Adds what was counted since the last call to this minute's rows and writes the rows that changed. */
  public synchronized void write() {
    Instant now = clock.instant();
    Instant currentMinute = now.truncatedTo(ChronoUnit.MINUTES);
    String currentWorker = worker.get();
    if (!currentMinute.equals(minute) || !currentWorker.equals(minuteWorker)) {
      thisMinute.clear();
      minute = currentMinute;
      minuteWorker = currentWorker;
    }
    for (Map.Entry<String, QueueMetrics> queue : metrics.byQueue().entrySet()) {
      Totals current = Totals.of(queue.getValue());
      Totals before = counted.getOrDefault(queue.getKey(), Totals.ZERO);
      Totals added = current.minus(before);
      if (added.isEmpty()) {
        continue;
      }
      Totals minuteSoFar = thisMinute.getOrDefault(queue.getKey(), Totals.ZERO).plus(added);
      store.write(new MinuteStats(currentWorker, currentMinute, queue.getKey(), minuteSoFar.succeeded, minuteSoFar.failed,
          minuteSoFar.gaveUp, Histogram.format(minuteSoFar.run), Histogram.format(minuteSoFar.waits)));
      // Only once written: a write that failed is tried again with the same figures next time.
      thisMinute.put(queue.getKey(), minuteSoFar);
      counted.put(queue.getKey(), current);
    }
    if (!now.isBefore(nextPurge)) {
      nextPurge = now.plus(PURGE_EVERY);
      store.purgeBefore(now.minus(KEPT));
    }
  }

  /** Counts of one queue. */
  private record Totals(long succeeded, long failed, long gaveUp, long[] run, long[] waits) {
    static final Totals ZERO = new Totals(0, 0, 0, new long[Histogram.BOUNDS.length + 1], new long[Histogram.BOUNDS.length + 1]);

    static Totals of(QueueMetrics metrics) {
      return new Totals(metrics.succeeded(), metrics.failed(), metrics.gaveUp(), metrics.runTime().counts(), metrics.queueWait().counts());
    }

    Totals minus(Totals other) {
      return new Totals(succeeded - other.succeeded, failed - other.failed, gaveUp - other.gaveUp,
          Histogram.minus(run, other.run), Histogram.minus(waits, other.waits));
    }

    Totals plus(Totals other) {
      long[] runs = run.clone();
      long[] summedWaits = waits.clone();
      Histogram.addTo(runs, other.run);
      Histogram.addTo(summedWaits, other.waits);
      return new Totals(succeeded + other.succeeded, failed + other.failed, gaveUp + other.gaveUp, runs, summedWaits);
    }

    boolean isEmpty() {
      return succeeded == 0 && failed == 0 && gaveUp == 0 && java.util.Arrays.stream(run).allMatch(c -> c == 0)
          && java.util.Arrays.stream(waits).allMatch(c -> c == 0);
    }
  }
}
