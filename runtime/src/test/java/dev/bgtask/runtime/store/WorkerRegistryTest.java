package dev.bgtask.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WorkerRegistryTest {

  private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private Database database;
  private TaskStore store;
  private WorkerRegistry workers;

  @BeforeEach
  void connect() {
    database = InMemoryDatabase.migrated();
    store = new TaskStore(database);
    workers = new WorkerRegistry(database);
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void tasksOfAWorkerThatStoppedBeatingRunAgainUnlessTheirAttemptsAreUsedUp() {
    workers.beat("dead", "host", 1, T0);
    workers.beat("alive", "host", 2, T0);
    insert("retry", 3);
    insert("exhausted", 1);
    insert("other", 3);
    store.claim(2, List.of(), "dead", T0);
    store.claim(1, List.of(), "alive", T0);
    workers.beat("alive", "host", 2, T0.plusSeconds(31));

    WorkerRegistry.Reaped reaped = workers.reapSilentFor(TIMEOUT, T0.plusSeconds(31));

    assertEquals(new WorkerRegistry.Reaped(1, 1, 1), reaped);
    assertEquals(1, count("SELECT COUNT(*) FROM bgtask_task WHERE task_name = 'retry' AND claim_token IS NULL AND attempts = 1"
        + " AND last_error LIKE 'the worker running this task (dead) stopped without finishing it%'"), "released, the attempt counted");
    assertEquals(1, count("SELECT COUNT(*) FROM bgtask_completed_task WHERE task_name = 'exhausted' AND outcome = 'FAILED'"));
    assertEquals(1, count("SELECT COUNT(*) FROM bgtask_task WHERE task_name = 'other' AND claimed_by = 'alive' AND claim_token IS NOT NULL"),
        "a live worker's task is untouched");
    assertEquals(1, count("SELECT COUNT(*) FROM bgtask_worker"), "the dead worker is forgotten");
  }

  @Test
  void aWorkerWithinTheTimeoutIsAlive() {
    workers.beat("slow", "host", 1, T0);
    insert("long", 3);
    store.claim(1, List.of(), "slow", T0);
    assertEquals(new WorkerRegistry.Reaped(0, 0, 0), workers.reapSilentFor(TIMEOUT, T0.plusSeconds(29)));
  }

  private void insert(String name, int maxAttempts) {
    store.insert(new NewTask(name, "com.example.Tasks", name, "()V", "[]", "", name.equals("other") ? -1 : 0, T0, T0, maxAttempts));
  }


  private long count(String sql) {
    return InMemoryDatabase.count(database, sql);
  }
}
