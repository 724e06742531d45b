package dev.bgtask.runtime.metrics;

import dev.bgtask.runtime.store.TaskBrowser;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * How many tasks are due and waiting across all JVMs, and how long the oldest has waited: one
 * query, run at most every few seconds however often the gauges are read. While the database
 * cannot be read, the last figures stay.
 */
public final class WaitingTasks {

  private static final Duration FRESH_FOR = Duration.ofSeconds(5);

  /** The figures and when they were read ({@code readAt} null: never read). */
  public record Snapshot(long waiting, double oldestWaitingSeconds, Instant readAt) {}

  private final TaskBrowser browser;
  private final Clock clock;
  private Snapshot last = new Snapshot(0, 0, null);
  private long readNanos;

  public WaitingTasks(TaskBrowser browser, Clock clock) {
    this.browser = browser;
    this.clock = clock;
  }

  public synchronized Snapshot get() {
    long now = System.nanoTime();
    if (last.readAt() != null && now - readNanos < FRESH_FOR.toNanos()) {
      return last;
    }
    try {
      Instant at = clock.instant();
      Map<String, Object> summary = browser.waitingSummary(at);
      Instant oldest = (Instant) summary.get("oldest_due");
      long waiting = ((Number) summary.getOrDefault("waiting", 0L)).longValue();
      double age = oldest == null ? 0 : Math.max(0, Duration.between(oldest, at).toMillis() / 1000.0);
      last = new Snapshot(waiting, age, at);
      readNanos = now;
    } catch (RuntimeException e) {
      readNanos = now; // not again at once: a scrape must not wait on a database that is down
    }
    return last;
  }
}
