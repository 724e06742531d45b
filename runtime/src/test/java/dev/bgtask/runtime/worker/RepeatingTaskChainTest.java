package dev.bgtask.runtime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.Background;
import dev.bgtask.runtime.codec.ArgumentCodec;
import dev.bgtask.runtime.schedule.BackoffPolicy;
import dev.bgtask.runtime.store.ClaimedTask;
import dev.bgtask.runtime.store.Database;
import dev.bgtask.runtime.store.InMemoryDatabase;
import dev.bgtask.runtime.store.NewTask;
import dev.bgtask.runtime.store.TaskStore;
import dev.bgtask.runtime.task.ClassLoaders;
import dev.bgtask.runtime.task.TaskMethods;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A repeating task's chain through the real store and runner, with a clock the test moves. */
class RepeatingTaskChainTest {

  private static final Instant T0 = Instant.parse("2026-11-23T02:00:00Z");
  static final List<Instant> runs = new ArrayList<>();
  static boolean failing;

  /** Shaped as the agent leaves a class: the body moved to name$bgtask. */
  static final class Report {
    @Background(maxAttempts = 1)
    static void nightly() {}

    private static void nightly$bgtask() {
      runs.add(clock.instant());
      if (failing) {
        throw new IllegalStateException("report failed");
      }
    }
  }

  static final class MovableClock extends Clock {
    private Instant now = T0;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }

    void set(Instant instant) {
      now = instant;
    }
  }

  static final MovableClock clock = new MovableClock();
  private Database database;
  private TaskStore store;
  private TaskRunner runner;

  @BeforeEach
  void start() {
    runs.clear();
    failing = false;
    clock.set(T0);
    database = InMemoryDatabase.migrated();
    store = new TaskStore(database);
    ArgumentCodec codec = new ArgumentCodec();
    runner = new TaskRunner(new TaskMethods(codec, new ClassLoaders()), codec, store, new Receivers(), new BackoffPolicy(), true, clock);
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void dailyTaskWithRepeatUntilInThreeDaysRunsFourTimesThenStops() {
    store(T0, T0.plus(Duration.ofDays(3)));
    for (int day = 0; day <= 5; day++) {
      clock.set(T0.plus(Duration.ofDays(day)).plusSeconds(1));
      runDueTasks();
    }
    assertEquals(List.of(T0.plusSeconds(1), T0.plus(Duration.ofDays(1)).plusSeconds(1),
        T0.plus(Duration.ofDays(2)).plusSeconds(1), T0.plus(Duration.ofDays(3)).plusSeconds(1)), runs);
    assertEquals(0, count("SELECT COUNT(*) FROM bgtask_task"), "no repetition after repeatUntil");
    assertEquals(4, count("SELECT COUNT(*) FROM bgtask_completed_task WHERE outcome = 'SUCCEEDED'"));
  }

  @Test
  void missedDaysAreSkippedAndTheChainKeepsItsTimeOfDay() {
    store(T0, null);
    clock.set(T0.plus(Duration.ofDays(3)).plus(Duration.ofHours(7)));
    runDueTasks();
    assertEquals(1, runs.size(), "one run for the three missed days, not a burst");
    assertEquals(List.of(Map.of("due_at", java.sql.Timestamp.valueOf("2026-11-27 02:00:00"))),
        rows("SELECT due_at FROM bgtask_task"), "next due at the chain's time of day (stored as UTC)");
  }

  @Test
  void aRunThatUsesUpItsAttemptsDoesNotEndTheChain() {
    failing = true;
    store(T0, null);
    runDueTasks();
    assertEquals(1, count("SELECT COUNT(*) FROM bgtask_completed_task WHERE outcome = 'FAILED'"));
    assertEquals(1, count("SELECT COUNT(*) FROM bgtask_task WHERE attempts = 0 AND repeat_period = 'DAILY'"));
  }

  @Test
  void aRepetitionRetriedTenTimesKeepsTheChainOnItsPlannedTime() {
    store.insert(new NewTask("nightly", Report.class.getName(), "nightly", "()V", "[]", "", 0, T0, T0, 11).withRepeat("DAILY", null));
    while (runs.size() < 11) {
      failing = runs.size() < 10;
      Instant due = ((java.sql.Timestamp) rows("SELECT due_at FROM bgtask_task").get(0).get("due_at")).toLocalDateTime()
          .toInstant(ZoneOffset.UTC);
      clock.set(due);
      runDueTasks();
    }
    assertTrue(clock.instant().isAfter(T0.plus(Duration.ofHours(3))), "ten back-offs took hours: " + clock.instant());
    assertEquals(List.of(Map.of("due_at", java.sql.Timestamp.valueOf("2026-11-24 02:00:00"))),
        rows("SELECT due_at FROM bgtask_task"), "the next repetition at 02:00, as planned, not at the hour the last retry ran");
  }

  @Test
  void aRowWhoseRepeatPeriodIsNoneOfTheKnownOnesIsRefusedWithoutRunning() {
    store.insert(new NewTask("nightly", Report.class.getName(), "nightly", "()V", "[]", "", 0, T0, T0, 3).withRepeat("FORTNIGHTLY", null));
    runDueTasks();
    assertEquals(List.of(), runs);
    assertEquals(1, count("SELECT COUNT(*) FROM bgtask_completed_task WHERE outcome = 'FAILED'"
        + " AND last_error LIKE 'refused: the row''s repeat_period ''FORTNIGHTLY'' is none of%'"));
    assertEquals(0, count("SELECT COUNT(*) FROM bgtask_task"));
  }

  private void store(Instant due, Instant until) {
    store.insert(new NewTask("nightly", Report.class.getName(), "nightly", "()V", "[]", "", 0, due, T0, 1)
        .withRepeat("DAILY", until));
  }

  private void runDueTasks() {
    for (ClaimedTask task : store.claim(10, List.of(), "test", clock.instant())) {
      runner.run(task);
    }
    try {
      assertTrue(runner.awaitRecorded(Duration.ofSeconds(10)), "successes recorded");
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }



  private long count(String sql) {
    return InMemoryDatabase.count(database, sql);
  }

  private List<Map<String, Object>> rows(String sql) {
    return InMemoryDatabase.rows(database, sql);
  }
}
