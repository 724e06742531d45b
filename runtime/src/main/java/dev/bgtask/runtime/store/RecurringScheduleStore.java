package dev.bgtask.runtime.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Recurring schedules: registered by unique name (idempotent across start-ups and JVMs) and fired
 * once per fire time across all JVMs sharing the database.
 */
public final class RecurringScheduleStore {

  private final Database database;

  public RecurringScheduleStore(Database database) {
    this.database = database;
  }

  /** Stores the schedule, or updates it when its definition changed; registering the same one again changes nothing. */
  public void register(RecurringSchedule schedule) {
    for (int attempt = 0; ; attempt++) {
      try {
        database.inTransaction(RecurringScheduleMapper.class, mapper -> {
          RecurringSchedule existing = mapper.find(schedule.getName());
          if (existing == null) {
            return mapper.insert(schedule);
          }
          return existing.sameDefinitionAs(schedule) ? 0 : mapper.update(schedule);
        });
        return;
      } catch (DatabaseUnavailableException e) {
        // Two JVMs registering the same new name at once: the loser re-reads and finds it there.
        if (attempt >= 3 || !Database.isKeyViolation(e)) {
          throw e;
        }
      }
    }
  }

  /**
   * Stores a task for every schedule whose fire time has come, if this JVM wins that fire time.
   * {@code nextAfter} gives a schedule's next fire time after an instant, or null for a schedule
   * not to fire. Returns how many fired.
   */
  public int fireDue(Instant now, java.util.function.BiFunction<RecurringSchedule, Instant, Instant> nextAfter) {
    List<RecurringSchedule> due = database.inTransaction(RecurringScheduleMapper.class, mapper -> mapper.findDue(now));
    int fired = 0;
    for (RecurringSchedule schedule : due) {
      Instant fireAt = schedule.getNextFireAt();
      // Fire times missed while no worker ran are skipped: one run now, then the next one to come.
      Instant next = nextAfter.apply(schedule, now);
      if (next == null) {
        continue;
      }
      boolean won = database.inTransaction(session -> {
        if (session.getMapper(RecurringScheduleMapper.class).advance(schedule.getName(), fireAt, next) != 1) {
          return false;
        }
        session.getMapper(TaskMapper.class).insert(schedule.taskFiringAt(fireAt, now));
        return true;
      });
      if (won) {
        fired++;
      }
    }
    return fired;
  }

  /** The earliest fire time of the schedules, leaving out those named in {@code leftOut}. */
  public Optional<Instant> nextFireAt(java.util.Collection<String> leftOut) {
    return Optional.ofNullable(database.inTransaction(RecurringScheduleMapper.class, mapper -> mapper.nextFireAt(leftOut)));
  }

  /** Stops a schedule firing in every JVM until it is enabled again; false when there is no such enabled schedule. */
  public boolean disable(String name) {
    return database.inTransaction(RecurringScheduleMapper.class, mapper -> mapper.setDisabled(name, true, false, null) == 1);
  }

  /**
   * Lets a disabled schedule fire again, next at {@code nextAfter} of now: the fire times it missed
   * while disabled are not made up. False when there is no such disabled schedule.
   */
  public boolean enable(String name, Instant now, java.util.function.BiFunction<RecurringSchedule, Instant, Instant> nextAfter) {
    return database.inTransaction(RecurringScheduleMapper.class, mapper -> {
      RecurringSchedule schedule = mapper.find(name);
      if (schedule == null) {
        return false;
      }
      return mapper.setDisabled(name, false, true, nextAfter.apply(schedule, now)) == 1;
    });
  }

  /** Stores the schedule's task, due now, without moving its next fire time; empty when there is no such schedule. */
  public Optional<Long> runNow(String name, Instant now) {
    Optional<Long> id = database.inTransaction(session -> {
      RecurringSchedule schedule = session.getMapper(RecurringScheduleMapper.class).find(name);
      if (schedule == null) {
        return Optional.<Long>empty();
      }
      NewTask task = schedule.taskFiringAt(now, now);
      session.getMapper(TaskMapper.class).insert(task);
      return Optional.of(task.getId());
    });
    id.ifPresent(stored -> StoredTaskNotice.sendNow(database));
    return id;
  }
}
