package dev.bgtask.runtime.schedule;

import dev.bgtask.runtime.store.RecurringSchedule;
import dev.bgtask.runtime.store.RecurringScheduleStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Fires due recurring schedules for a worker JVM; any number of JVMs may do so at once. */
public final class RecurringScheduler {

  private final RecurringScheduleStore store;
  private final Map<String, Recurrence> parsed = new ConcurrentHashMap<>();

  public RecurringScheduler(RecurringScheduleStore store) {
    this.store = store;
  }

  public int fireDue(Instant now) {
    return store.fireDue(now, (schedule, after) -> recurrenceOf(schedule).nextAfter(after));
  }

  public Optional<Instant> nextFireAt() {
    return store.nextFireAt();
  }

  private Recurrence recurrenceOf(RecurringSchedule schedule) {
    if (schedule.getCron() != null) {
      return parsed.computeIfAbsent(schedule.getCron(), Recurrence::cron);
    }
    return Recurrence.every(Duration.ofMillis(schedule.getPeriodMs()));
  }
}
