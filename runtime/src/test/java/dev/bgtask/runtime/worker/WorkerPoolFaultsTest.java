package dev.bgtask.runtime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.Background;
import dev.bgtask.runtime.codec.ArgumentCodec;
import dev.bgtask.runtime.schedule.BackoffPolicy;
import dev.bgtask.runtime.schedule.RecurringScheduler;
import dev.bgtask.runtime.store.Database;
import dev.bgtask.runtime.store.InMemoryDatabase;
import dev.bgtask.runtime.store.NewTask;
import dev.bgtask.runtime.store.RecurringScheduleStore;
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
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SPEC §3 with the worker pool on a real (in-memory H2) store: what a stop, a lost lease or a bad row does to the claims. */
class WorkerPoolFaultsTest {

  static volatile CountDownLatch started = new CountDownLatch(1);
  static volatile CountDownLatch ran = new CountDownLatch(1);

  /** Shaped as the agent leaves a class: the body moved to name$bgtask. */
  static final class Tasks {
    @Background
    static void quick() {}

    private static void quick$bgtask() {
      ran.countDown();
    }

    @Background
    static void long_() {}

    private static void long_$bgtask() throws InterruptedException {
      started.countDown();
      Thread.sleep(30_000);
    }

    @Background
    static void stubborn() {}

    /** Ignores interrupts for three seconds. */
    private static void stubborn$bgtask() {
      started.countDown();
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
      while (System.nanoTime() < until) {
        Thread.onSpinWait();
      }
    }
  }

  private final Clock clock = Clock.systemUTC();
  private Database database;
  private TaskStore store;
  private WorkerPool pool;

  @BeforeEach
  void connect() {
    started = new CountDownLatch(1);
    ran = new CountDownLatch(1);
    database = InMemoryDatabase.migrated();
    store = new TaskStore(database);
  }

  @AfterEach
  void close() {
    if (pool != null) {
      pool.stop(Duration.ofMillis(100));
    }
    database.close();
  }

  private WorkerPool start(Duration heartbeat, Duration workerTimeout) {
    ArgumentCodec codec = new ArgumentCodec();
    TaskRunner runner = new TaskRunner(new TaskMethods(codec, new ClassLoaders()), codec, store, new Receivers(),
        new BackoffPolicy(), false, clock);
    pool = new WorkerPool(store, runner, new RecurringScheduler(new RecurringScheduleStore(database)), new WorkerRegistry(database),
        WorkerIdentity.ofThisJvm(), 2, List.of(), Duration.ofSeconds(30), Optional.empty(), heartbeat, workerTimeout, clock,
        java.util.Set::of);
    pool.start();
    return pool;
  }

  private void store(String method, String queue) {
    store.insert(new NewTask(method, Tasks.class.getName(), method, "()V", "[]", queue, 0, clock.instant().minusSeconds(1),
        clock.instant(), 3));
    if (pool != null) {
      pool.wake();
    }
  }

  @Test
  void aRecurringScheduleThatCannotBeReadNeverKeepsTheWorkersFromClaiming() throws InterruptedException {
    InMemoryDatabase.execute(database, "INSERT INTO bgtask_recurring_schedule (name, task_name, class_name, method_name, descriptor,"
        + " arguments, queue_name, priority, max_attempts, cron, next_fire_at, updated_at) VALUES ('broken', 'x', 'x', 'x', '()V',"
        + " '[]', '', 0, 3, 'not a cron at all', TIMESTAMP '2020-01-01 00:00:00', TIMESTAMP '2020-01-01 00:00:00')");
    store("quick", "");
    start(Duration.ofSeconds(10), Duration.ofSeconds(60));
    assertTrue(ran.await(10, TimeUnit.SECONDS), "the due task ran beside the unreadable schedule");
  }

  @Test
  void anIdleDispatcherDoesNotSpinOnADueTaskItMayNotClaim() throws InterruptedException {
    InMemoryDatabase.execute(database, "SET QUERY_STATISTICS TRUE");
    start(Duration.ofSeconds(10), Duration.ofSeconds(60));
    pool.pause(true, "held");
    store("quick", "held");
    Thread.sleep(500); // the dispatcher settles
    long before = claimRounds();
    Thread.sleep(1_000);
    long rounds = claimRounds() - before;
    assertTrue(rounds <= 3, rounds + " claim rounds in a second of a paused queue's due task (it polls every 30 s)");
  }

  @Test
  void afterTheGracePeriodARunningBodyIsInterruptedAndItsAttemptRecordedAsFailed() throws InterruptedException {
    start(Duration.ofSeconds(10), Duration.ofSeconds(60));
    store("long_", "");
    assertTrue(started.await(10, TimeUnit.SECONDS));
    pool.stop(Duration.ofMillis(200));
    pool = null;
    assertEquals(1, count("SELECT COUNT(*) FROM bgtask_task WHERE claim_token IS NULL AND attempts = 1"
        + " AND last_error LIKE 'interrupted: the JVM stopped and the task had not finished within the shutdown grace period%'"),
        InMemoryDatabase.rows(database, "SELECT * FROM bgtask_task").toString());
    assertEquals(0, count("SELECT COUNT(*) FROM bgtask_worker"), "the worker left: it holds nothing");
  }

  @Test
  void aBodyThatIgnoresTheInterruptHasItsClaimGivenBackCountedAsTheJvmStops() throws InterruptedException {
    start(Duration.ofSeconds(10), Duration.ofSeconds(60));
    store("stubborn", "");
    assertTrue(started.await(10, TimeUnit.SECONDS));
    pool.stop(Duration.ofMillis(100));
    pool = null;
    assertEquals(1, count("SELECT COUNT(*) FROM bgtask_task WHERE claim_token IS NULL AND attempts = 1"
        + " AND last_error = 'its body was still running when its JVM stopped'"),
        InMemoryDatabase.rows(database, "SELECT * FROM bgtask_task").toString());
    assertEquals(0, count("SELECT COUNT(*) FROM bgtask_worker"));
  }

  @Test
  void aWorkerThatFindsItselfReapedInterruptsItsBodiesAndWorksOnUnderANewIdentity() throws InterruptedException {
    start(Duration.ofMillis(100), Duration.ofMillis(600));
    String first = pool.worker();
    store("long_", "");
    assertTrue(started.await(10, TimeUnit.SECONDS));
    InMemoryDatabase.execute(database, "DELETE FROM bgtask_worker"); // as another JVM's reaper would

    await(() -> !pool.worker().equals(first), "a new identity");
    await(() -> count("SELECT COUNT(*) FROM bgtask_task WHERE claim_token IS NULL AND last_error LIKE 'interrupted: this worker''s"
        + " heartbeat row (" + first + ") is gone%'") == 1, "the interrupted attempt recorded");
    assertNotEquals(first, pool.worker());
    store("quick", "");
    assertTrue(ran.await(10, TimeUnit.SECONDS), "it claims again, as the new worker");
    assertEquals(1, count("SELECT COUNT(*) FROM bgtask_worker WHERE id = '" + pool.worker() + "'"));
  }

  private long claimRounds() {
    return InMemoryDatabase.rows(database, "SELECT SQL_STATEMENT, EXECUTION_COUNT FROM INFORMATION_SCHEMA.QUERY_STATISTICS").stream()
        .filter(row -> String.valueOf(row.get("sql_statement")).contains("USE INDEX"))
        .mapToLong(row -> ((Number) row.get("execution_count")).longValue()).sum();
  }

  private long count(String sql) {
    return InMemoryDatabase.count(database, sql);
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }
}
