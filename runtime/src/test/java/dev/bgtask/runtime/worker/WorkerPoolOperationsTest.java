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
import java.time.Instant;
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
  static volatile CountDownLatch gateEntered = new CountDownLatch(2);
  static volatile CountDownLatch gateOpen = new CountDownLatch(1);

  /** Shaped as the agent leaves a class: the body moved to name$bgtask. */
  static final class Tasks {
    @Background
    static void quick() {}

    private static void quick$bgtask() {
      quickRuns.incrementAndGet();
    }

    @Background
    static void gate() {}

    private static void gate$bgtask() throws InterruptedException {
      gateEntered.countDown();
      gateOpen.await(20, TimeUnit.SECONDS);
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
    gateEntered = new CountDownLatch(2);
    gateOpen = new CountDownLatch(1);
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
  void tasksClaimedAheadFromAQueuePausedHereGoBackUnstartedAndRunOnceResumed() throws InterruptedException {
    for (int i = 0; i < 20; i++) {
      store("quick", "");
    }
    awaitTrue(() -> quickRuns.get() == 20, "short tasks ran, so the workers claim ahead");
    Instant due = clock.instant().plusMillis(300); // one claim round takes them all
    store("gate", "", 9, due);
    store("gate", "", 9, due);
    for (int i = 0; i < 3; i++) {
      store("quick", "mail", 0, due);
    }
    assertTrue(gateEntered.await(10, TimeUnit.SECONDS), "both threads busy");
    awaitTrue(() -> count("SELECT COUNT(*) FROM bgtask_task WHERE queue_name = 'mail' AND claim_token IS NOT NULL") == 3,
        "the mail tasks were claimed ahead");

    pool.pause(true, "mail");
    gateOpen.countDown();
    awaitTrue(() -> count("SELECT COUNT(*) FROM bgtask_task WHERE queue_name = 'mail' AND claim_token IS NULL") == 3,
        "given back as they were about to start");
    Thread.sleep(500);
    assertEquals(20, quickRuns.get(), "no task of the paused queue started");

    pool.pause(false, "mail");
    awaitTrue(() -> quickRuns.get() == 23, "resumed, they run");
    assertEquals(0, count("SELECT COUNT(*) FROM bgtask_completed_task WHERE outcome <> 'SUCCEEDED'"), "no attempt was counted against them");
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
    return store(method, queue, 0, clock.instant().minusSeconds(1));
  }

  private long store(String method, String queue, int priority, Instant dueAt) {
    long id = store.insert(new NewTask(method, Tasks.class.getName(), method, "()V", "[]", queue, priority, dueAt, clock.instant(), 3));
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
