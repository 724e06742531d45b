package dev.bgtask.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The management commands' changes, on every database: releasing a task whose worker is gone. */
@ParameterizedClass(name = "on {0}")
@EnumSource(ServerDatabase.class)
class TaskAdminTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Parameter
  ServerDatabase server;

  private Database database;
  private TaskStore store;
  private TaskAdmin admin;
  private WorkerRegistry workers;

  @BeforeEach
  void connect() {
    database = server.connect();
    new SchemaMigrator(database, "bgtask_").migrate();
    store = new TaskStore(database);
    admin = new TaskAdmin(database);
    workers = new WorkerRegistry(database);
  }

  @AfterEach
  void close() {
    database.close();
    server.drop();
  }

  @Test
  void aRunningTaskIsReleasedByHandOnlyWhenItsWorkerIsGone() {
    Instant now = admin.databaseNow();
    long alive = claimedBy("alive", now);
    long silent = claimedBy("silent", now);
    long vanished = claimedBy("vanished", now);
    workers.register("alive", "host", 1, now);
    workers.register("silent", "host", 2, now.minus(TIMEOUT).minusSeconds(1));

    assertFalse(admin.release(alive, TIMEOUT), "its worker still sends heartbeats");
    assertTrue(admin.release(silent, TIMEOUT), "its worker's heartbeat is older than the timeout");
    assertTrue(admin.release(vanished, TIMEOUT), "its worker has no row at all");
    assertFalse(admin.release(vanished, TIMEOUT), "released already: it waits");

    assertEquals(2, InMemoryDatabase.count(database, "SELECT COUNT(*) FROM bgtask_task WHERE claim_token IS NULL AND attempts = 1"
        + " AND last_error LIKE 'released by hand%'"), "waiting again, the attempt counted");
    assertEquals(1, InMemoryDatabase.count(database, "SELECT COUNT(*) FROM bgtask_task WHERE claimed_by = 'alive' AND claim_token IS NOT NULL"));
  }

  private long claimedBy(String worker, Instant now) {
    store.insert(new NewTask(worker, "com.example.Tasks", worker, "()V", "[]", "", 0, now.minusSeconds(1), now, 3));
    List<ClaimedTask> claimed = store.claim(1, List.of(), worker, now);
    return claimed.get(0).id();
  }
}
