package dev.bgtask.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RecurringScheduleStoreTest {

  private static final Instant T0 = Instant.parse("2026-11-23T02:00:00Z");

  private Database database;
  private RecurringScheduleStore schedules;

  @BeforeEach
  void connect() {
    database = InMemoryDatabase.migrated();
    schedules = new RecurringScheduleStore(database);
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void registeringTheSameScheduleAgainChangesNothingAndAChangedOneReplacesIt() {
    schedules.register(schedule("[1]", T0));
    schedules.register(schedule("[1]", T0.plusSeconds(600)));
    assertEquals(1, count("SELECT COUNT(*) FROM bgtask_recurring_schedule"));
    assertEquals(1, count("SELECT COUNT(*) FROM bgtask_recurring_schedule WHERE next_fire_at = TIMESTAMP WITH TIME ZONE '2026-11-23 02:00:00Z'"),
        "an unchanged registration keeps the fire time");
    schedules.register(schedule("[2]", T0.plusSeconds(600)));
    assertEquals(1, count("SELECT COUNT(*) FROM bgtask_recurring_schedule WHERE arguments = '[2]'"));
  }

  @Test
  void eachFireTimeIsTakenOnceByConcurrentWorkers() throws Exception {
    schedules.register(schedule("[1]", T0));
    AtomicInteger fired = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Thread worker = new Thread(() -> {
        try {
          start.await();
          for (int tick = 0; tick < 5; tick++) {
            Instant now = T0.plusSeconds(60L * tick);
            fired.addAndGet(schedules.fireDue(now, (schedule, after) -> after.plusSeconds(60)));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      worker.start();
      workers.add(worker);
    }
    start.countDown();
    for (Thread worker : workers) {
      worker.join();
    }
    long tasks = count("SELECT COUNT(*) FROM bgtask_task");
    assertEquals(tasks, count("SELECT COUNT(DISTINCT due_at) FROM bgtask_task"), "no fire time stored twice");
    assertEquals(fired.get(), tasks);
  }

  @Test
  void missedFireTimesAreSkipped() {
    schedules.register(schedule("[1]", T0));
    assertEquals(1, schedules.fireDue(T0.plus(Duration.ofHours(5)), (schedule, after) -> after.plusSeconds(60)));
    assertEquals(0, schedules.fireDue(T0.plus(Duration.ofHours(5)), (schedule, after) -> after.plusSeconds(60)));
    assertEquals(1, count("SELECT COUNT(*) FROM bgtask_task"));
  }

  private static RecurringSchedule schedule(String arguments, Instant nextFire) {
    NewTask task = new NewTask("report", "com.example.Reports", "nightly", "(I)V", arguments, "", 0, nextFire, T0, 25);
    return new RecurringSchedule("nightly-report", task, null, 60_000L, nextFire, T0);
  }


  private long count(String sql) {
    return InMemoryDatabase.count(database, sql);
  }
}
