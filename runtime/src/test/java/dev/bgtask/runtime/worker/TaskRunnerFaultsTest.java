package dev.bgtask.runtime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.Background;
import dev.bgtask.TaskEvent;
import dev.bgtask.TaskListener;
import dev.bgtask.runtime.codec.ArgumentCodec;
import dev.bgtask.runtime.event.Listeners;
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
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SPEC §3: every claim ends in one recorded outcome, whatever the body or a listener throws, Errors included. */
class TaskRunnerFaultsTest {

  /** A task class whose initialiser fails: every use of it throws ExceptionInInitializerError, then NoClassDefFoundError. */
  static final class Broken {
    static final int VALUE = Integer.parseInt("not a number");

    @Background
    static void run() {}

    private static void run$bgtask() {
      System.out.println(VALUE);
    }
  }

  static final class Fine {
    @Background
    static void run() {}

    private static void run$bgtask() {}
  }

  private final Clock clock = Clock.systemUTC();
  private Database database;
  private TaskStore store;
  private Listeners listeners;
  private TaskRunner runner;

  @BeforeEach
  void start() {
    database = InMemoryDatabase.migrated();
    store = new TaskStore(database);
    listeners = new Listeners();
    ArgumentCodec codec = new ArgumentCodec();
    runner = new TaskRunner(new TaskMethods(codec, new ClassLoaders()), codec, store, new Receivers(), new BackoffPolicy(), true, clock,
        listeners, Duration.ZERO);
  }

  @AfterEach
  void close() throws InterruptedException {
    runner.stop(Duration.ofSeconds(5));
    database.close();
  }

  @Test
  void aTaskClassWhoseInitialiserFailsIsAFailedAttemptEachTimeNotADeadThread() {
    store("broken", Broken.class, 3);
    runDueTasks();
    assertEquals(1, count("SELECT COUNT(*) FROM bgtask_task WHERE claim_token IS NULL AND attempts = 1"
        + " AND last_error LIKE 'java.lang.ExceptionInInitializerError%'"), rows());
    moveDueTimesToNow();
    runDueTasks();
    assertEquals(1, count("SELECT COUNT(*) FROM bgtask_task WHERE claim_token IS NULL AND attempts = 2"
        + " AND last_error LIKE 'java.lang.NoClassDefFoundError%'"), rows());
  }

  @Test
  void listenersThatThrowErrorsNeverKeepAnOutcomeFromBeingRecorded() throws InterruptedException {
    listeners.add(new TaskListener() {
      @Override
      public void started(TaskEvent task) {
        throw new AssertionError("a listener's assert");
      }

      @Override
      public void succeeded(TaskEvent task) {
        throw new StackOverflowError("not a VirtualMachineError a listener should throw, but not one to stop the recorder either");
      }
    });
    store("first", Fine.class, 3);
    runDueTasks();
    store("second", Fine.class, 3);
    runDueTasks();
    assertEquals(2, count("SELECT COUNT(*) FROM bgtask_completed_task WHERE outcome = 'SUCCEEDED'"),
        "the success recorder went on after the first success's listener threw");
    assertEquals(0, count("SELECT COUNT(*) FROM bgtask_task"));
  }

  private void store(String name, Class<?> type, int maxAttempts) {
    store.insert(new NewTask(name, type.getName(), "run", "()V", "[]", "", 0, clock.instant(), clock.instant(), maxAttempts));
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

  private void moveDueTimesToNow() {
    InMemoryDatabase.execute(database, "UPDATE bgtask_task SET due_at = CURRENT_TIMESTAMP(6) - INTERVAL '1' HOUR");
  }

  private long count(String sql) {
    return InMemoryDatabase.count(database, sql);
  }

  private String rows() {
    return InMemoryDatabase.rows(database, "SELECT * FROM bgtask_task").toString();
  }
}
