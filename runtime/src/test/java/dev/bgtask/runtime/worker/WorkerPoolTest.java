package dev.bgtask.runtime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.Background;
import dev.bgtask.runtime.codec.ArgumentCodec;
import dev.bgtask.runtime.schedule.BackoffPolicy;
import dev.bgtask.runtime.schedule.RecurringScheduler;
import dev.bgtask.runtime.store.ClaimedTask;
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
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** When a call may start its task on a free local thread, and that such a task is run and recorded like a claimed one. */
class WorkerPoolTest {

  static final CountDownLatch ran = new CountDownLatch(1);

  /** Shaped as the agent leaves a class: the body moved to name$bgtask. */
  static final class Mail {
    @Background
    static void send() {}

    private static void send$bgtask() {
      ran.countDown();
    }
  }

  static final CountDownLatch reportsMayFinish = new CountDownLatch(1);

  static final class Report {
    @Background
    static void build() {}

    private static void build$bgtask() throws InterruptedException {
      reportsMayFinish.await(10, TimeUnit.SECONDS);
    }
  }

  private final Clock clock = Clock.systemUTC();
  private Database database;
  private TaskStore store;
  private WorkerPool pool;

  @BeforeEach
  void createPool() {
    database = InMemoryDatabase.migrated();
    store = new TaskStore(database);
    ArgumentCodec codec = new ArgumentCodec();
    TaskRunner runner = new TaskRunner(new TaskMethods(codec, new ClassLoaders()), codec, store, new Receivers(),
        new BackoffPolicy(), false, clock);
    pool = new WorkerPool(store, runner, new RecurringScheduler(new RecurringScheduleStore(database)), new WorkerRegistry(database),
        WorkerIdentity.ofThisJvm(), 2, List.of("mail"), Duration.ofSeconds(60), Optional.empty(), Duration.ofSeconds(10),
        Duration.ofSeconds(60), clock, java.util.Set::of);
  }

  @AfterEach
  void close() {
    pool.stop(Duration.ofSeconds(5));
    database.close();
  }

  @Test
  void holdsAFreeThreadOnlyForADueTaskOfAServedQueueAndOnlyAsManyAsThereAreThreads() {
    Instant now = clock.instant();
    assertTrue(pool.holdThreadFor("other", now).isEmpty(), "a queue these workers do not serve");
    assertTrue(pool.holdThreadFor("mail", now.plusSeconds(5)).isEmpty(), "a task due later");
    Optional<HeldThread> first = pool.holdThreadFor("mail", now);
    assertTrue(first.isPresent());
    assertTrue(pool.holdThreadFor("mail", now).isPresent());
    assertTrue(pool.holdThreadFor("mail", now).isEmpty(), "both threads are held");
    first.get().letGo();
    assertTrue(pool.holdThreadFor("mail", now).isPresent(), "a thread let go is free again");
  }

  @Test
  void holdsNoThreadWhileTheWorkersOrTheQueueArePaused() {
    pool.pause(true);
    assertTrue(pool.holdThreadFor("mail", clock.instant()).isEmpty());
    pool.pause(false);
    pool.pause(true, "mail");
    assertTrue(pool.holdThreadFor("mail", clock.instant()).isEmpty());
    pool.pause(false, "mail");
    assertTrue(pool.holdThreadFor("mail", clock.instant()).isPresent());
  }

  @Test
  void aTaskStoredClaimedRunsOnTheHeldThreadAndItsSuccessIsRecordedByItsClaimToken() throws Exception {
    HeldThread thread = pool.holdThreadFor("mail", clock.instant()).orElseThrow();
    NewTask task = new NewTask("send", Mail.class.getName(), "send", "()V", "[]", "mail", 0, clock.instant(), clock.instant(), 3)
        .claimedBy(thread.worker(), "token-1");
    store.insert(task);
    assertEquals(List.of(), store.claim(10, List.of(), "another worker", clock.instant()), "stored already claimed");

    thread.start(ClaimedTask.storedClaimed(task));

    assertTrue(ran.await(10, TimeUnit.SECONDS), "the body ran");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (count() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(0, count(), "the success removed the row, fenced by the token it was stored with");
  }

  @Test
  void theHistoryPurgeHoldsBackWhileClaimsGetAllTheyAskForAndNoLongerOnceOneComesBackShort() throws Exception {
    for (int i = 0; i < 5; i++) {
      store.insert(new NewTask("build", Report.class.getName(), "build", "()V", "[]", "mail", 0, clock.instant(), clock.instant(), 3));
    }
    assertFalse(pool.drainingBacklog(), "nothing claimed yet");
    pool.start();
    awaitDrainingBacklog(true, "two free threads, five tasks waiting: the claim got the two it asked for");
    reportsMayFinish.countDown();
    awaitDrainingBacklog(false, "the last three tasks came back fewer than the claim asked for");
  }

  private void awaitDrainingBacklog(boolean expected, String why) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (pool.drainingBacklog() != expected && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(expected, pool.drainingBacklog(), why);
  }

  @Test
  void claimsAheadWhatItsThreadsGetThroughIn50MillisecondsOnlyWhileTasksAreShort() {
    ClaimAhead ahead = new ClaimAhead(8);
    assertEquals(0, ahead.extra(), "tasks count as long until some have run");
    ranMany(ahead, Duration.ofMillis(4));
    assertEquals(8 * 12, ahead.extra(), "50 ms / 4 ms per task, for each of 8 threads");
    ranMany(ahead, Duration.ofNanos(20_000));
    assertEquals(8 * 64, ahead.extra(), "no-op tasks: at most 64 per thread");
    ranMany(ahead, Duration.ofSeconds(2));
    assertEquals(0, ahead.extra());
  }

  private static void ranMany(ClaimAhead ahead, Duration each) {
    for (int i = 0; i < 200; i++) {
      ahead.ran(each.toNanos());
    }
  }

  private long count() {
    return InMemoryDatabase.count(database, "SELECT COUNT(*) FROM bgtask_task");
  }
}
