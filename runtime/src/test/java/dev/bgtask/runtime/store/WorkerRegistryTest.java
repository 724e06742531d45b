package dev.bgtask.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bgtask.runtime.schedule.RepeatSchedule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Dead workers and what they held, on every database: reaping, its re-check, claims made ahead, leaving cleanly. */
@ParameterizedClass(name = "on {0}")
@EnumSource(ServerDatabase.class)
class WorkerRegistryTest {

  private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final BiFunction<ClaimedTask, Instant, Optional<Instant>> REPEATS =
      (task, now) -> RepeatSchedule.next(task.repeatPeriod(), task.plannedFor(), task.repeatUntil(), now);

  @Parameter
  ServerDatabase server;

  private Database database;
  private TaskStore store;
  private WorkerRegistry workers;

  @BeforeEach
  void connect() {
    database = server.connect();
    new SchemaMigrator(database, "bgtask_").migrate();
    store = new TaskStore(database);
    workers = new WorkerRegistry(database);
  }

  @AfterEach
  void close() {
    database.close();
    server.drop();
  }

  @Test
  void tasksOfAWorkerThatStoppedBeatingRunAgainUnlessTheirAttemptsAreUsedUp() {
    workers.register("dead", "host", 1, T0);
    workers.register("alive", "host", 2, T0);
    insert("retry", 3);
    insert("exhausted", 1);
    insert("other", 3);
    store.claim(2, List.of(), "dead", T0);
    store.claim(1, List.of(), "alive", T0);
    assertTrue(workers.beat("alive", T0.plusSeconds(31)));

    WorkerRegistry.Reaped reaped = workers.reapSilentFor(TIMEOUT, T0.plusSeconds(31), REPEATS);

    assertEquals(new WorkerRegistry.Reaped(1, 1, 1), reaped);
    assertEquals(1, count("SELECT COUNT(*) FROM bgtask_task WHERE task_name = 'retry' AND claim_token IS NULL AND attempts = 1"
        + " AND last_error LIKE 'the worker running this task (dead) stopped without finishing it%'"), "released, the attempt counted");
    assertEquals(1, count("SELECT COUNT(*) FROM bgtask_completed_task WHERE task_name = 'exhausted' AND outcome = 'FAILED'"));
    assertEquals(1, count("SELECT COUNT(*) FROM bgtask_task WHERE task_name = 'other' AND claimed_by = 'alive' AND claim_token IS NOT NULL"),
        "a live worker's task is untouched");
    assertEquals(1, count("SELECT COUNT(*) FROM bgtask_worker"), "the dead worker is forgotten");
    assertFalse(workers.beat("dead", T0.plusSeconds(32)), "a reaped worker's next heartbeat finds its row gone");
  }

  @Test
  void aWorkerWithinTheTimeoutIsAlive() {
    workers.register("slow", "host", 1, T0);
    insert("long", 3);
    store.claim(1, List.of(), "slow", T0);
    assertEquals(new WorkerRegistry.Reaped(0, 0, 0), workers.reapSilentFor(TIMEOUT, T0.plusSeconds(29), REPEATS));
  }

  @Test
  void theReapItselfChecksTheHeartbeatAgainSoAWorkerThatBeatSinceItWasFoundSilentStaysAlive() {
    workers.register("late", "host", 1, T0);
    Instant silentSince = T0.plusSeconds(31).minus(TIMEOUT);
    List<String> silent = database.inTransaction(WorkerMapper.class, mapper -> mapper.findSilentSince(silentSince));
    assertEquals(List.of("late"), silent);
    assertTrue(workers.beat("late", T0.plusSeconds(30)), "it beats between the finding and the reaping");
    assertEquals(0, (int) database.inTransaction(WorkerMapper.class, mapper -> mapper.removeIfSilent("late", silentSince)));
    assertEquals(1, count("SELECT COUNT(*) FROM bgtask_worker WHERE id = 'late'"));
  }

  @Test
  void claimsMadeAheadOfFreeThreadsGetTheirAttemptBackWhenTheirWorkerDiesAndAreNeverClaimedAheadAgain() {
    workers.register("dead", "host", 1, T0);
    insert("last-attempt", 1);
    insert("spare-attempts", 3);
    assertEquals(2, store.claim(2, List.of(), List.of(), List.of(), "dead", T0, true).size());

    WorkerRegistry.Reaped reaped = workers.reapSilentFor(TIMEOUT, T0.plusSeconds(31), REPEATS);

    assertEquals(new WorkerRegistry.Reaped(1, 2, 0), reaped, "a claim ahead on its last attempt is not filed as failed");
    assertEquals(2, count("SELECT COUNT(*) FROM bgtask_task WHERE claim_token IS NULL AND attempts = 0 AND orphaned = 1"));
    assertEquals(0, count("SELECT COUNT(*) FROM bgtask_completed_task"));
    assertEquals(List.of(), store.claim(2, List.of(), List.of(), List.of(), "next", T0.plusSeconds(32), true),
        "a row once reaped is not claimed ahead: a task that killed its JVM from there must use up its attempts");
    assertEquals(2, store.claim(2, List.of(), "next", T0.plusSeconds(32)).size(), "it is claimed for a free thread");
  }

  @Test
  void aRepeatingTaskGivenUpByTheReaperGoesOnWithItsNextRepetitionAsPlanned() {
    workers.register("dead", "host", 1, T0);
    store.insert(new NewTask("nightly", "com.example.Tasks", "nightly", "()V", "[]", "", 0, T0, T0, 1).withRepeat("DAILY", null));
    store.claim(1, List.of(), "dead", T0);

    assertEquals(new WorkerRegistry.Reaped(1, 0, 1), workers.reapSilentFor(TIMEOUT, T0.plusSeconds(31), REPEATS));

    assertEquals(1, count("SELECT COUNT(*) FROM bgtask_completed_task WHERE task_name = 'nightly' AND outcome = 'FAILED'"));
    List<ClaimedTask> next = store.claim(1, List.of(), "next", T0.plus(Duration.ofDays(1)));
    assertEquals(1, next.size(), "the chain goes on");
    assertEquals(T0.plus(Duration.ofDays(1)), next.get(0).dueAt());
  }

  @Test
  void aStoppingWorkerGivesBackWhatItStillHoldsAndOnlyThenLeaves() {
    workers.register("stopping", "host", 1, T0);
    insert("held", 3);
    store.claim(1, List.of(), "stopping", T0);

    assertEquals(1, workers.leave("stopping", "given back at shutdown"));

    assertEquals(1, count("SELECT COUNT(*) FROM bgtask_task WHERE claim_token IS NULL AND attempts = 1"
        + " AND last_error = 'given back at shutdown'"), "waiting again, its attempt counted");
    assertEquals(0, count("SELECT COUNT(*) FROM bgtask_worker"));
  }

  @Test
  void aWorkersRowStaysWhileItHoldsAClaim() {
    workers.register("busy", "host", 1, T0);
    insert("held", 3);
    store.claim(1, List.of(), "busy", T0);
    assertEquals(0, (int) database.inTransaction(WorkerMapper.class, mapper -> mapper.forgetIfIdle("busy")));
    assertEquals(1, count("SELECT COUNT(*) FROM bgtask_worker"), "else no reaper would ever free the claim");
  }

  private void insert(String name, int maxAttempts) {
    store.insert(new NewTask(name, "com.example.Tasks", name, "()V", "[]", "", name.equals("other") ? -1 : 0, T0, T0, maxAttempts));
  }

  private long count(String sql) {
    return InMemoryDatabase.count(database, sql);
  }
}
