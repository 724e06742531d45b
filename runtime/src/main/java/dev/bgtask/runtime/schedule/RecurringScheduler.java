package dev.bgtask.runtime.schedule;

import dev.bgtask.runtime.store.RecurringSchedule;
import dev.bgtask.runtime.store.RecurringScheduleStore;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires due recurring schedules for a worker JVM; any number of JVMs may do so at once. A schedule
 * whose stored definition this JVM cannot read (a cron that no longer parses, a period of zero) is
 * reported once and left alone: it never keeps the others from firing, nor the workers from
 * claiming.
 */
public final class RecurringScheduler {

  private static final Logger log = LoggerFactory.getLogger(RecurringScheduler.class);

  private final RecurringScheduleStore store;
  private final Map<String, Recurrence> parsed = new ConcurrentHashMap<>();
  /** Schedules that cannot be read, by name, with the definition that could not: a new one is tried again. */
  private final Map<String, String> unreadable = new ConcurrentHashMap<>();

  public RecurringScheduler(RecurringScheduleStore store) {
    this.store = store;
  }

  public int fireDue(Instant now) {
    return store.fireDue(now, this::nextAfter);
  }

  public Optional<Instant> nextFireAt() {
    return store.nextFireAt(Set.copyOf(unreadable.keySet()));
  }

  /** The schedule's next fire time after {@code after}, or null when its definition cannot be read. */
  private Instant nextAfter(RecurringSchedule schedule, Instant after) {
    String definition = schedule.getCron() != null ? "cron " + schedule.getCron() : "every " + schedule.getPeriodMs() + " ms";
    if (definition.equals(unreadable.get(schedule.getName()))) {
      return null;
    }
    try {
      Instant next = recurrenceOf(schedule).nextAfter(after);
      unreadable.remove(schedule.getName());
      return next;
    } catch (RuntimeException e) {
      if (!definition.equals(unreadable.put(schedule.getName(), definition))) {
        log.error("recurring schedule '{}' cannot be read and does not fire: {}; register it again with a valid definition",
            schedule.getName(), e.getMessage());
      }
      return null;
    }
  }

  private Recurrence recurrenceOf(RecurringSchedule schedule) {
    if (schedule.getCron() != null) {
      return parsed.computeIfAbsent(schedule.getCron(), Recurrence::cron);
    }
    return Recurrence.of(null, schedule.getPeriodMs());
  }
}
