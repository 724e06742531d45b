package dev.bgtask.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On MariaDB the claim index is the only index of the task table that holds the claim token, so a
 * claim moves one index entry per task; the due-time index is keyed by due time alone. On the real
 * server, for a fresh schema and for tables made by an older agent.
 */
class MariaDbDueIndexTest {

  private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

  private final ServerDatabase server = ServerDatabase.MARIADB;
  private Database database;

  @BeforeEach
  void connect() {
    database = server.connect();
    new SchemaMigrator(database, "bgtask_").migrate();
  }

  @AfterEach
  void close() {
    database.close();
    server.drop();
  }

  @Test
  void onlyTheClaimIndexHoldsTheClaimToken() {
    assertEquals(Set.of("bgtask_task_claim"), indexesWith("claim_token"));
    assertEquals(Set.of("bgtask_task_due_at"), indexesLedBy("due_at"));
  }

  @Test
  void tablesOfTheOlderSchemaGetTheNewIndexAndKeepTheirTasks() {
    TaskStore store = new TaskStore(database);
    long waiting = store.insert(task(NOW.minusSeconds(5)));
    long later = store.insert(task(NOW.plusSeconds(60)));
    InMemoryDatabase.execute(database, "DROP INDEX bgtask_task_due_at ON bgtask_task");
    InMemoryDatabase.execute(database, "CREATE INDEX bgtask_task_due ON bgtask_task (claim_token, due_at, priority)");
    InMemoryDatabase.execute(database, "DELETE FROM bgtask_schema_version WHERE version = 15");

    assertEquals(SchemaMigrator.latestVersion(), new SchemaMigrator(database, "bgtask_").migrate());

    assertEquals(Set.of("bgtask_task_claim"), indexesWith("claim_token"));
    assertEquals(List.of(waiting), store.claim(5, List.of(), "w", NOW).stream().map(ClaimedTask::id).toList());
    assertEquals(NOW.plusSeconds(60), store.nextDueAt(List.of()).orElseThrow());
    assertEquals(2, InMemoryDatabase.count(database, "SELECT COUNT(*) FROM bgtask_task WHERE id IN (" + waiting + ", " + later + ")"));
  }

  private static NewTask task(Instant due) {
    return new NewTask("t", "com.example.Tasks", "t", "()V", "[]", "", 0, due, NOW, 25);
  }

  private Set<String> indexesWith(String column) {
    return indexNames("COLUMN_NAME = '" + column + "'");
  }

  private Set<String> indexesLedBy(String column) {
    return indexNames("COLUMN_NAME = '" + column + "' AND SEQ_IN_INDEX = 1");
  }

  private Set<String> indexNames(String condition) {
    return Set.copyOf(InMemoryDatabase.rows(database, "SELECT INDEX_NAME FROM information_schema.STATISTICS"
        + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'bgtask_task' AND " + condition).stream()
        .map(row -> String.valueOf(row.values().iterator().next()))
        .toList());
  }
}
