package dev.bgtask.runtime.dashboard;

import dev.bgtask.runtime.metrics.Histogram;
import dev.bgtask.runtime.store.MinuteStats;
import dev.bgtask.runtime.store.QueuePauses;
import dev.bgtask.runtime.store.TaskBrowser;
import dev.bgtask.runtime.store.TaskFilter;
import dev.bgtask.runtime.store.TaskStatsStore;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The figures of the overview and queues pages, across every JVM: the live table by queue (one
 * pass over it), the history table counted only up to {@link #OVERVIEW_COUNT_CAP}, and the last hour per
 * minute from the workers' statistics, never from the history table.
 */
final class Overview {

  /** Counts of what a bulk action would change stop here: counting millions of rows would take seconds. */
  static final long COUNT_CAP = 100_000;
  /** The overview's counts of history stop sooner: it is read every few seconds by every open page. */
  static final long OVERVIEW_COUNT_CAP = 10_000;
  private static final int MINUTES = 60;

  /** How long one reading of the overview serves every page that asks: each open page asks every few seconds. */
  private static final long FRESH_NANOS = 2_000_000_000L;

  private final TaskBrowser browser;
  private final TaskStatsStore stats;
  private final QueuePauses pauses;
  private Map<String, Object> last;
  private long lastNanos;

  Overview(TaskBrowser browser, TaskStatsStore stats, QueuePauses pauses) {
    this.browser = browser;
    this.stats = stats;
    this.pauses = pauses;
  }

  /** The overview, read again when the last reading is over two seconds old. */
  synchronized Map<String, Object> overview(Instant now, Duration workerTimeout) {
    if (last == null || System.nanoTime() - lastNanos > FRESH_NANOS) {
      last = read(now, workerTimeout);
      lastNanos = System.nanoTime();
    }
    return last;
  }

  private Map<String, Object> read(Instant now, Duration workerTimeout) {
    List<Map<String, Object>> queues = queues(now);
    Map<String, Object> states = new LinkedHashMap<>();
    for (String state : List.of("waiting", "scheduled", "running")) {
      states.put(state, queues.stream().mapToLong(queue -> (Long) queue.get(state)).sum());
    }
    for (String state : List.of("failed", "succeeded")) {
      states.put(state, cappedCount(browser.count(TaskFilter.of(state), now, OVERVIEW_COUNT_CAP + 1), OVERVIEW_COUNT_CAP));
    }
    List<MinuteStats> lastHour = stats.since(now.truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(MINUTES - 1)));
    Map<String, Object> overview = new LinkedHashMap<>();
    overview.put("now", now);
    overview.put("states", states);
    overview.put("oldestWaitingSeconds", queues.stream().mapToDouble(queue -> (Double) queue.get("oldestWaitingSeconds")).max().orElse(0));
    overview.put("liveWorkers", browser.liveWorkers(now.minus(workerTimeout)));
    overview.put("minutes", perMinute(lastHour, now));
    overview.put("runTime", percentiles(lastHour, true));
    overview.put("queueWait", percentiles(lastHour, false));
    overview.put("queues", queues);
    return overview;
  }

  /** Every queue with tasks, paused or with runs in the last hour: its depth, its pause, its last hour. */
  List<Map<String, Object>> queues(Instant now) {
    Map<String, Map<String, Object>> byName = new TreeMap<>();
    for (Map<String, Object> depth : browser.queueDepths(now)) {
      Map<String, Object> queue = queue(byName, (String) depth.get("queue_name"));
      queue.put("waiting", number(depth.get("waiting")));
      queue.put("scheduled", number(depth.get("scheduled")));
      queue.put("running", number(depth.get("running")));
      Instant oldest = (Instant) depth.get("oldest_due");
      queue.put("oldestWaitingSeconds", oldest == null ? 0.0 : Math.max(0, Duration.between(oldest, now).toMillis() / 1000.0));
    }
    Set<String> paused = pauses.paused();
    paused.forEach(name -> queue(byName, name));
    for (MinuteStats minute : stats.since(now.minus(Duration.ofHours(1)))) {
      Map<String, Object> queue = queue(byName, minute.getQueueName());
      queue.merge("succeededLastHour", minute.getSucceeded(), (a, b) -> (Long) a + (Long) b);
      queue.merge("failedLastHour", minute.getFailed(), (a, b) -> (Long) a + (Long) b);
    }
    byName.forEach((name, queue) -> queue.put("paused", paused.contains(name)));
    return new ArrayList<>(byName.values());
  }

  private static Map<String, Object> queue(Map<String, Map<String, Object>> byName, String name) {
    return byName.computeIfAbsent(name, key -> {
      Map<String, Object> queue = new LinkedHashMap<>();
      queue.put("queue", key);
      queue.put("waiting", 0L);
      queue.put("scheduled", 0L);
      queue.put("running", 0L);
      queue.put("oldestWaitingSeconds", 0.0);
      queue.put("succeededLastHour", 0L);
      queue.put("failedLastHour", 0L);
      return queue;
    });
  }

  /** The last hour, a minute at a time, oldest first, with every minute present. */
  private static List<Map<String, Object>> perMinute(List<MinuteStats> lastHour, Instant now) {
    Instant first = now.truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(MINUTES - 1));
    long[] succeeded = new long[MINUTES];
    long[] failed = new long[MINUTES];
    for (MinuteStats minute : lastHour) {
      int index = (int) Duration.between(first, minute.getMinuteStart()).toMinutes();
      if (index >= 0 && index < MINUTES) {
        succeeded[index] += minute.getSucceeded();
        failed[index] += minute.getFailed();
      }
    }
    List<Map<String, Object>> minutes = new ArrayList<>();
    for (int i = 0; i < MINUTES; i++) {
      minutes.add(Map.of("minute", first.plus(Duration.ofMinutes(i)), "succeeded", succeeded[i], "failed", failed[i]));
    }
    return minutes;
  }

  /** p50 and p95 in seconds over the histograms of the last hour; null when nothing ran. */
  private static Map<String, Object> percentiles(List<MinuteStats> lastHour, boolean runTime) {
    long[] counts = new long[Histogram.BOUNDS.length + 1];
    for (MinuteStats minute : lastHour) {
      Histogram.addTo(counts, Histogram.parse(runTime ? minute.getRunSeconds() : minute.getWaitSeconds()));
    }
    Map<String, Object> percentiles = new LinkedHashMap<>();
    percentiles.put("count", java.util.Arrays.stream(counts).sum());
    percentiles.put("p50", finiteOrNull(Histogram.quantile(counts, 0.5)));
    percentiles.put("p95", finiteOrNull(Histogram.quantile(counts, 0.95)));
    return percentiles;
  }

  private static Map<String, Object> cappedCount(long counted, long cap) {
    return Map.of("count", Math.min(counted, cap), "capped", counted > cap);
  }

  private static Double finiteOrNull(double value) {
    return Double.isNaN(value) ? null : value;
  }

  private static long number(Object value) {
    return value instanceof Number number ? number.longValue() : 0;
  }
}
