package dev.bgtask.runtime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.Background;
import dev.bgtask.runtime.codec.ArgumentCodec;
import dev.bgtask.runtime.event.Listeners;
import dev.bgtask.runtime.metrics.QueueMetrics;
import dev.bgtask.runtime.metrics.TaskMetrics;
import dev.bgtask.runtime.schedule.BackoffPolicy;
import dev.bgtask.runtime.schedule.RecurringScheduler;
import dev.bgtask.runtime.store.Database;
import dev.bgtask.runtime.store.InMemoryDatabase;
import dev.bgtask.runtime.store.MinuteStats;
import dev.bgtask.runtime.store.NewTask;
import dev.bgtask.runtime.store.QueuePauses;
import dev.bgtask.runtime.store.RecurringScheduleStore;
import dev.bgtask.runtime.store.TaskAdmin;
import dev.bgtask.runtime.store.TaskStatsStore;
import dev.bgtask.runtime.store.TaskStore;
import dev.bgtask.runtime.store.WorkerRegistry;
import dev.bgtask.runtime.task.ClassLoaders;
import dev.bgtask.runtime.task.TaskMethods;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What operations people do to running workers through the database: cancel a task, pause a queue; and what the workers report. */
class WorkerPoolOperationsTest {

  static volatile CountDownLatch started = new CountDownLatch(1);
  static final AtomicInteger quickRuns = new AtomicInteger();

  /** Shaped as the agent leaves a class: the body moved to name$bgtask. */
  static final class Tasks {
    @Background
    static void quick() {}

    private static void quick$bgtask() {
      quickRuns.incrementAndGet();
    }

    @Background
    static void long_() {}

    private static void long_$bgtask() throws InterruptedException {
      started.countDown();
      Thread.sleep(30_000);
    }
  }

  private final Clock clock = Clock.systemUTC();
  private final TaskMetrics metrics = new TaskMetrics();
  private Database database;
  private TaskStore store;
  private WorkerPool pool;

  @BeforeEach
  void start() {
    started = new CountDownLatch(1);
    quickRuns.set(0);
    database = InMemoryDatabase.migrated();
    store = new TaskStore(database);
    ArgumentCodec codec = new ArgumentCodec();
    TaskRunner runner = new TaskRunner(new TaskMethods(codec, new ClassLoaders()), codec, store, new Receivers(),
        new BackoffPolicy(), true, clock, new Listeners(), Duration.ZERO, metrics);
    pool = new WorkerPool(store, runner, new RecurringScheduler(new RecurringScheduleStore(database)), new WorkerRegistry(database),
        WorkerIdentity.ofThisJvm(), 2, List.of(), Duration.ofMillis(200), Optional.of(Duration.ofDays(1)), Duration.ofMillis(200),
        Duration.ofSeconds(10), clock, java.util.Set::of, metrics, Optional.of(new QueuePauses(database)),
        Optional.of(new TaskStatsStore(database)));
    pool.start();
  }

  @AfterEach
  void stop() {
    pool.stop(Duration.ofMillis(100));
    database.close();
  }

  @Test
  void aRunningTaskCancelledThroughTheDatabaseIsInterruptedAndKeptAsFailedWithoutARetry() throws InterruptedException {
    long id = store("long_", "");
    assertTrue(started.await(10, TimeUnit.SECONDS));
    assertEquals(TaskAdmin.Cancel.REQUESTED, new TaskAdmin(database).cancel(id, Duration.ofSeconds(10)));
    awaitTrue(() -> count("SELECT COUNT(*) FROM bgtask_completed_task WHERE outcome = 'FAILED' AND last_error LIKE 'cancelled%'") == 1,
        "filed as failed, cancelled, at the next heartbeat");
    assertEquals(0, count("SELECT COUNT(*) FROM bgtask_task"), "not retried");
    assertEquals(1, metrics.queue("").gaveUp());
  }

  @Test
  void aQueuePausedInTheDatabaseIsNotTakenUntilResumed() throws InterruptedException {
    QueuePauses pauses = new QueuePauses(database);
    pauses.pause("mail", clock.instant());
    Thread.sleep(1_200); // longer than the workers keep what they read of the pauses
    store("quick", "mail");
    store("quick", "");
    awaitTrue(() -> quickRuns.get() == 1, "the task of the other queue ran");
    Thread.sleep(1_000);
    assertEquals(1, quickRuns.get(), "the paused queue's task waits");
    pauses.resume("mail");
    pool.wake();
    awaitTrue(() -> quickRuns.get() == 2, "resumed, its task runs");
  }

  @Test
  void everyRunIsCountedByQueueAndWrittenToTheMinuteStatistics() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      store("quick", "reports");
    }
    awaitTrue(() -> metrics.queue("reports").succeeded() == 3, "three runs counted");
    QueueMetrics reports = metrics.queue("reports");
    assertEquals(3, reports.started());
    assertEquals(3, reports.runTime().count());
    assertEquals(3, reports.queueWait().count());
    awaitTrue(() -> new TaskStatsStore(database).since(clock.instant().minusSeconds(120)).stream()
        .filter(minute -> minute.getQueueName().equals("reports")).mapToLong(MinuteStats::getSucceeded).sum() == 3,
        "the minute's row holds the three runs");
    assertFalse(metrics.byQueue().containsKey("mail"));
  }

  private long store(String method, String queue) {
    long id = store.insert(new NewTask(method, Tasks.class.getName(), method, "()V", "[]", queue, 0, clock.instant().minusSeconds(1),
        clock.instant(), 3));
    pool.wake();
    return id;
  }

  private long count(String sql) {
    return InMemoryDatabase.count(database, sql);
  }

  private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting: " + what);
      }
      Thread.sleep(20);
    }
  }
}
