package dev.bgtask.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The task store against real databases (in-memory H2, PostgreSQL, MariaDB): claiming, fencing, finishing. */
@ParameterizedClass(name = "on {0}")
@EnumSource(ServerDatabase.class)
class TaskStoreTest {

  @Parameter
  ServerDatabase server;

  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

  private Database database;
  private TaskStore store;

  @BeforeEach
  void createSchema() {
    database = server.connect();
    assertEquals(SchemaMigrator.latestVersion(), new SchemaMigrator(database, "bgtask_").migrate());
    store = new TaskStore(database);
  }

  @AfterEach
  void close() {
    database.close();
    server.drop();
  }

  @Test
  void anErrorTextWithCharactersADatabaseRefusesIsStoredCleanedAndAHugeOneCut() {
    insert("nul", 0, NOW);
    ClaimedTask task = store.claim(1, List.of(), "w", NOW).get(0);
    assertTrue(store.retryLater(task, "before\u0000after", NOW, NOW), "PostgreSQL refuses U+0000 in text");
    assertEquals("before\\u0000after", text(InMemoryDatabase.rows(database, "SELECT last_error FROM bgtask_task").get(0).get("last_error")));
    ClaimedTask again = store.claim(1, List.of(), "w", NOW).get(0);
    assertTrue(store.retryLater(again, "x".repeat(1_000_000), NOW, NOW));
    assertEquals(1, count("SELECT COUNT(*) FROM bgtask_task WHERE last_error LIKE '%more characters)'"));
  }

  @Test
  void migratingTwiceChangesNothing() {
    assertEquals(SchemaMigrator.latestVersion(), new SchemaMigrator(database, "bgtask_").migrate());
    assertEquals(SchemaMigrator.latestVersion(), count("SELECT COUNT(*) FROM bgtask_schema_version"));
  }

  @Test
  void claimTakesDueTasksByPriorityThenDueTimeAndCountsTheAttempt() {
    long low = insert("low", 0, NOW.minusSeconds(30));
    long high = insert("high", 5, NOW.minusSeconds(10));
    long older = insert("older", 0, NOW.minusSeconds(60));
    insert("future", 9, NOW.plusSeconds(60));
    List<Long> order = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ClaimedTask task = store.claim(1, List.of(), "worker-a", NOW).get(0);
      assertEquals(1, task.attempts(), "the claim counts the attempt");
      order.add(task.id());
    }
    assertEquals(List.of(high, older, low), order);
    assertEquals(List.of(), store.claim(10, List.of(), "worker-b", NOW), "claimed and future tasks are not claimed");
  }

  @Test
  void timesAreStoredAsUtcWallClockWhateverTheJvmsTimeZone() {
    java.util.TimeZone original = java.util.TimeZone.getDefault();
    try {
      java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("America/New_York"));
      // 02:30 on this day does not exist in New York (clocks jump from 02:00 to 03:00)
      Instant due = Instant.parse("2026-03-08T02:30:00.123456Z");
      insert("zoned", 0, due);
      assertEquals(1, count("SELECT COUNT(*) FROM bgtask_task WHERE due_at = TIMESTAMP '2026-03-08 02:30:00.123456'"));
      assertEquals(due, store.claim(1, List.of(), "w", due).get(0).dueAt());
    } finally {
      java.util.TimeZone.setDefault(original);
    }
  }

  @Test
  void claimHonoursTheLimitAndTheQueues() {
    insert("a", 0, NOW, "mail");
    insert("b", 0, NOW, "reports");
    insert("c", 0, NOW, "mail");
    assertEquals(1, store.claim(1, List.of("mail"), "w", NOW).size());
    List<ClaimedTask> rest = store.claim(10, List.of("mail"), "w", NOW);
    assertEquals(1, rest.size());
    assertEquals("mail", rest.get(0).queueName());
    assertEquals(Instant.parse("2026-11-23T12:00:00Z"), store.nextDueAt(List.of("reports")).orElseThrow());
    assertTrue(store.nextDueAt(List.of("mail")).isEmpty());
  }

  @Test
  void theNextDueTimeIsTheEarliestOfWhatAClaimWouldTakePastClaimedRowsPausedQueuesAndUnloadableClasses() {
    insert("claimed", 0, NOW.minusSeconds(60));
    insert("paused", 0, NOW.plusSeconds(10), "mail");
    store.insert(new NewTask("unloadable", "com.example.Gone", "unloadable", "()V", "[]", "", 0, NOW.plusSeconds(20), NOW, 25));
    insert("last", 0, NOW.plusSeconds(30));
    assertEquals(1, store.claim(1, List.of(), "w", NOW).size());
    assertEquals(NOW.plusSeconds(10), store.nextDueAt(List.of(), Set.of(), Set.of()).orElseThrow());
    assertEquals(NOW.plusSeconds(20), store.nextDueAt(List.of(), Set.of("mail"), Set.of()).orElseThrow());
    assertEquals(NOW.plusSeconds(30), store.nextDueAt(List.of(), Set.of("mail"), Set.of("com.example.Gone")).orElseThrow());
    assertEquals(NOW.plusSeconds(10), store.nextDueAt(List.of("mail"), Set.of(), Set.of()).orElseThrow());
  }

  @Test
  void concurrentClaimersNeverGetTheSameTask() throws Exception {
    for (int i = 0; i < 300; i++) {
      insert("t" + i, 0, NOW);
    }
    ConcurrentLinkedQueue<Long> claimed = new ConcurrentLinkedQueue<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> claimers = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      String worker = "worker-" + c;
      Thread thread = new Thread(() -> {
        try {
          start.await();
          List<ClaimedTask> batch;
          do {
            batch = store.claim(7, List.of(), worker, NOW);
            batch.forEach(t -> claimed.add(t.id()));
          } while (!batch.isEmpty() || count("SELECT COUNT(*) FROM bgtask_task WHERE claim_token IS NULL") > 0);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      thread.start();
      claimers.add(thread);
    }
    start.countDown();
    for (Thread thread : claimers) {
      thread.join();
    }
    Set<Long> distinct = new HashSet<>(claimed);
    assertEquals(300, claimed.size(), "every task claimed");
    assertEquals(300, distinct.size(), "no task claimed twice");
  }

  @Test
  void finishMovesTheRunToTheCompletedTable() {
    insert("done", 0, NOW);
    ClaimedTask task = store.claim(1, List.of(), "w", NOW).get(0);
    assertTrue(store.finish(task, TaskStore.Outcome.SUCCEEDED, true, NOW));
    assertEquals(0, count("SELECT COUNT(*) FROM bgtask_task"));
    assertEquals(1, count("SELECT COUNT(*) FROM bgtask_completed_task WHERE outcome = 'SUCCEEDED' AND attempts = 1"));
  }

  @Test
  void finishWithHistoryOffKeepsNothing() {
    insert("done", 0, NOW);
    ClaimedTask task = store.claim(1, List.of(), "w", NOW).get(0);
    assertTrue(store.finish(task, TaskStore.Outcome.SUCCEEDED, false, NOW));
    assertEquals(0, count("SELECT COUNT(*) FROM bgtask_task") + count("SELECT COUNT(*) FROM bgtask_completed_task"));
  }

  @Test
  void writesWithAStaleClaimTokenChangeNothing() {
    insert("contested", 0, NOW);
    ClaimedTask first = store.claim(1, List.of(), "w1", NOW).get(0);
    assertTrue(store.release(first));
    ClaimedTask second = store.claim(1, List.of(), "w2", NOW).get(0);
    assertEquals(first.id(), second.id());

    assertFalse(store.finish(first, TaskStore.Outcome.SUCCEEDED, true, NOW), "stale finish");
    assertFalse(store.retryLater(first, "boom", NOW.plusSeconds(6), NOW), "stale failure");
    assertFalse(store.giveUp(first, "boom", true, NOW), "stale give-up");
    assertFalse(store.release(first), "stale release");
    assertEquals(0, count("SELECT COUNT(*) FROM bgtask_completed_task"));
    assertEquals(1, count("SELECT COUNT(*) FROM bgtask_task WHERE claim_token = '" + second.claimToken() + "' AND last_error IS NULL"));
    assertTrue(store.finish(second, TaskStore.Outcome.SUCCEEDED, true, NOW), "the current holder still finishes");
  }

  @Test
  void successesRecordedTogetherMoveEveryRowAndAStaleOneOnlyFailsItself() {
    for (int i = 0; i < 4; i++) {
      insert("batch" + i, 0, NOW);
    }
    List<ClaimedTask> claimed = store.claim(4, List.of(), "w1", NOW);
    assertEquals(List.of(true, true), store.finishSucceeded(claimed.subList(0, 2), true, NOW));
    assertEquals(2, count("SELECT COUNT(*) FROM bgtask_completed_task WHERE outcome = 'SUCCEEDED'"));

    ClaimedTask stale = claimed.get(2);
    assertTrue(store.release(stale));
    ClaimedTask reclaimed = store.claim(1, List.of(), "w2", NOW).get(0);
    assertEquals(List.of(false, true), store.finishSucceeded(List.of(stale, claimed.get(3)), true, NOW));
    assertEquals(3, count("SELECT COUNT(*) FROM bgtask_completed_task"));
    assertEquals(1, count("SELECT COUNT(*) FROM bgtask_task WHERE claim_token = '" + reclaimed.claimToken() + "'"),
        "the row another worker holds now is untouched");
  }

  @Test
  void successesOfSeveralClaimsRecordedTogetherEachMoveUnderItsOwnToken() {
    for (int i = 0; i < 5; i++) {
      insert("claims" + i, 0, NOW);
    }
    List<ClaimedTask> runs = new ArrayList<>(store.claim(2, List.of(), "w1", NOW));
    runs.addAll(store.claim(3, List.of(), "w1", NOW));
    assertEquals(2, runs.stream().map(ClaimedTask::claimToken).distinct().count());
    assertEquals(List.of(true, true, true, true, true), store.finishSucceeded(runs, true, NOW));
    assertEquals(5, count("SELECT COUNT(*) FROM bgtask_completed_task WHERE outcome = 'SUCCEEDED'"));
    assertEquals(0, count("SELECT COUNT(*) FROM bgtask_task"));
  }

  @Test
  void successesRecordedTogetherWithoutHistoryDropEveryRowAndAStaleOneOnlyFailsItself() {
    for (int i = 0; i < 4; i++) {
      insert("dropped" + i, 0, NOW);
    }
    List<ClaimedTask> claimed = store.claim(4, List.of(), "w1", NOW);
    assertEquals(List.of(true, true), store.finishSucceeded(claimed.subList(0, 2), false, NOW));
    assertEquals(2, count("SELECT COUNT(*) FROM bgtask_task"));

    ClaimedTask stale = claimed.get(2);
    assertTrue(store.release(stale));
    ClaimedTask reclaimed = store.claim(1, List.of(), "w2", NOW).get(0);
    assertEquals(List.of(false, true), store.finishSucceeded(List.of(stale, claimed.get(3)), false, NOW));
    assertEquals(List.of(reclaimed.id()), InMemoryDatabase.rows(database, "SELECT id FROM bgtask_task").stream()
        .map(row -> ((Number) row.get("id")).longValue()).toList(), "only the row another worker holds now is left");
    assertEquals(0, count("SELECT COUNT(*) FROM bgtask_completed_task"));
  }

  @Test
  void concurrentInsertsAreEachStoredOnceAndEachCallerGetsItsOwnRowsId() throws Exception {
    List<Thread> callers = new ArrayList<>();
    java.util.Map<Long, String> names = new java.util.concurrent.ConcurrentHashMap<>();
    CountDownLatch start = new CountDownLatch(1);
    for (int t = 0; t < 8; t++) {
      int caller = t;
      callers.add(new Thread(() -> {
        awaitQuietly(start);
        for (int i = 0; i < 50; i++) {
          String name = "c" + caller + "-" + i;
          names.put(insert(name, 0, NOW), name);
        }
      }));
    }
    callers.forEach(Thread::start);
    start.countDown();
    for (Thread caller : callers) {
      caller.join();
    }
    assertEquals(400, names.size());
    assertEquals(400, count("SELECT COUNT(DISTINCT task_name) FROM bgtask_task"));
    java.util.Map<Long, String> stored = new java.util.HashMap<>();
    for (java.util.Map<String, Object> row : InMemoryDatabase.rows(database, "SELECT id, task_name FROM bgtask_task")) {
      stored.put(((Number) row.get("id")).longValue(), (String) row.get("task_name"));
    }
    assertEquals(stored, names, "the id each call returned is the id of the row it stored");
  }

  @Test
  void rowsWrittenTogetherKeepTheirOwnOptionalColumnsWhetherOrNotTheOthersHaveThem() {
    NewTask plain = new NewTask("plain", "com.example.Tasks", "t", "()V", "[1]", "", 0, NOW, NOW, 25);
    NewTask full = new NewTask("full", "com.example.Tasks", "t", "()V", "[2]", "reports", 3, NOW, NOW, 5, "Full report", "user:7")
        .withMaxRunSeconds(30L).withRepeat("DAILY", Instant.parse("2027-01-01T00:00:00Z")).withPendingKey("k-full")
        .claimedBy("worker-1", "token-1");
    NewTask alsoPlain = new NewTask("also plain", "com.example.Tasks", "t", "()V", "[3]", "", 0, NOW, NOW, 25);
    NewTask alone = new NewTask("alone", "com.example.Tasks", "t", "()V", "[4]", "", 0, NOW, NOW, 25);
    database.autoCommitted(TaskMapper.class, mapper -> mapper.insertAll(List.of(plain, full, alsoPlain)));
    database.autoCommitted(TaskMapper.class, mapper -> mapper.insertAll(List.of(alone)));
    List<java.util.Map<String, Object>> rows = InMemoryDatabase.rows(database, "SELECT task_name, queue_name, priority,"
        + " max_attempts, verbose_name, creator, max_run_seconds, repeat_period, repeat_until, pending_key, claimed_by,"
        + " claim_token, claimed_at FROM bgtask_task ORDER BY id");
    assertEquals(List.of("plain", "full", "also plain", "alone"), rows.stream().map(row -> row.get("task_name")).toList());
    for (int i : new int[] {0, 2, 3}) {
      java.util.Map<String, Object> row = rows.get(i);
      for (String column : List.of("verbose_name", "creator", "max_run_seconds", "repeat_period", "repeat_until", "pending_key",
          "claimed_by", "claim_token", "claimed_at")) {
        assertEquals(null, row.get(column), row.get("task_name") + "'s " + column);
      }
    }
    java.util.Map<String, Object> stored = rows.get(1);
    assertEquals(List.of("reports", 3, 5, "Full report", "user:7", 30L, "DAILY", "k-full", "worker-1", "token-1"),
        List.of(stored.get("queue_name"), ((Number) stored.get("priority")).intValue(), ((Number) stored.get("max_attempts")).intValue(),
            stored.get("verbose_name"), stored.get("creator"), ((Number) stored.get("max_run_seconds")).longValue(),
            stored.get("repeat_period"), stored.get("pending_key"), stored.get("claimed_by"), stored.get("claim_token")));
    assertTrue(stored.get("repeat_until") != null && stored.get("claimed_at") != null, "repeat_until and claimed_at: " + stored);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aRowTheDatabaseRefusesFailsOnlyItsOwnCallerWhenStoredWithOthers() throws Exception {
    String tooLong = "x".repeat(300); // verbose_name is VARCHAR(255)
    List<Thread> callers = new ArrayList<>();
    ConcurrentLinkedQueue<String> outcomes = new ConcurrentLinkedQueue<>();
    CountDownLatch start = new CountDownLatch(1);
    for (int t = 0; t < 8; t++) {
      int caller = t;
      callers.add(new Thread(() -> {
        try {
          start.await();
          for (int i = 0; i < 20; i++) {
            String verbose = caller == 0 && i == 10 ? tooLong : "fine";
            try {
              store.insert(new NewTask("v" + caller + "-" + i, "com.example.Tasks", "t", "()V", "[]", "", 0, NOW, NOW, 25,
                  verbose, null));
              outcomes.add("stored");
            } catch (DatabaseUnavailableException e) {
              outcomes.add("refused " + caller + "-" + i);
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
    }
    callers.forEach(Thread::start);
    start.countDown();
    for (Thread caller : callers) {
      caller.join();
    }
    assertEquals(List.of("refused 0-10"), outcomes.stream().filter(o -> o.startsWith("refused")).toList());
    assertEquals(159, count("SELECT COUNT(*) FROM bgtask_task"));
  }

  @Test
  void releaseGivesTheTaskBackWithoutCountingTheAttempt() {
    insert("released", 0, NOW);
    ClaimedTask task = store.claim(1, List.of(), "w", NOW).get(0);
    assertTrue(store.release(task));
    assertEquals(1, count("SELECT COUNT(*) FROM bgtask_task WHERE claim_token IS NULL AND attempts = 0"));
  }

  @Test
  void retryLaterKeepsTheErrorAndTheNewDueTime() {
    insert("flaky", 0, NOW);
    ClaimedTask task = store.claim(1, List.of(), "w", NOW).get(0);
    assertTrue(store.retryLater(task, "java.io.IOException: timed out", NOW.plusSeconds(6), NOW));
    assertEquals(List.of(), store.claim(1, List.of(), "w", NOW.plusSeconds(5)), "not due before the back-off");
    ClaimedTask again = store.claim(1, List.of(), "w", NOW.plusSeconds(6)).get(0);
    assertEquals(2, again.attempts());
  }

  @Test
  void giveUpMovesTheTaskToCompletedAsFailedWithItsError() {
    insert("doomed", 0, NOW);
    ClaimedTask task = store.claim(1, List.of(), "w", NOW).get(0);
    assertTrue(store.giveUp(task, "java.lang.IllegalStateException: bad feed", true, NOW));
    assertEquals(1, count("SELECT COUNT(*) FROM bgtask_completed_task WHERE outcome = 'FAILED'"
        + " AND last_error = 'java.lang.IllegalStateException: bad feed' AND failed_at IS NOT NULL"));
  }

  @Test
  void purgeGoesOnBatchByBatchUntilNothingOlderIsLeft() {
    for (int i = 0; i < 7; i++) {
      insert("old" + i, 0, NOW);
    }
    insert("new", 0, NOW);
    List<ClaimedTask> tasks = store.claim(8, List.of(), "w", NOW);
    for (ClaimedTask task : tasks) {
      boolean isNew = task.taskName().equals("new");
      store.finish(task, TaskStore.Outcome.SUCCEEDED, true, isNew ? NOW : NOW.minusSeconds(3600));
    }
    assertEquals(7, new HistoryPurge(database, 3, System::nanoTime, nanos -> { }).before(NOW.minusSeconds(60)), "three batches: 3, 3 and 1");
    assertEquals(1, count("SELECT COUNT(*) FROM bgtask_completed_task WHERE task_name = 'new'"));
    assertEquals(1, count("SELECT COUNT(*) FROM bgtask_completed_task"));
  }

  @Test
  void purgeRestsFiveTimesLongerAfterABatchWhileTheWorkersDrainABacklog() {
    for (int i = 0; i < 7; i++) {
      insert("old" + i, 0, NOW);
    }
    for (ClaimedTask task : store.claim(7, List.of(), "w", NOW)) {
      store.finish(task, TaskStore.Outcome.SUCCEEDED, true, NOW.minusSeconds(3600));
    }
    long[] ticker = {0};
    List<Long> rests = new ArrayList<>();
    Iterator<Boolean> draining = List.of(true, false).iterator();
    HistoryPurge purge = new HistoryPurge(database, 3, () -> ticker[0] += 10_000_000, rests::add);

    assertEquals(7, purge.before(NOW.minusSeconds(60), draining::next));
    assertEquals(List.of(150_000_000L, 30_000_000L), rests, "each batch took 10 ms: 15 times that while draining, 3 times after");
  }

  @Test
  void purgeRemovesOnlyHistoryOlderThanTheCutOff() {
    insert("old", 0, NOW);
    insert("new", 0, NOW);
    List<ClaimedTask> tasks = store.claim(2, List.of(), "w", NOW);
    store.finish(tasks.get(0), TaskStore.Outcome.SUCCEEDED, true, NOW.minusSeconds(3600));
    store.finish(tasks.get(1), TaskStore.Outcome.SUCCEEDED, true, NOW);
    assertEquals(1, store.purgeCompletedBefore(NOW.minusSeconds(60), () -> false));
    assertEquals(1, count("SELECT COUNT(*) FROM bgtask_completed_task"));
  }

  @Test
  void uniqueInsertReturnsTheWaitingTaskUntilItIsClaimed() {
    long first = store.insertUnique(keyed("k1"));
    assertEquals(first, store.insertUnique(keyed("k1")), "a waiting task with the key: its id, nothing stored");
    assertEquals(1, count("SELECT COUNT(*) FROM bgtask_task"));
    store.claim(1, List.of(), "w", NOW);
    long second = store.insertUnique(keyed("k1"));
    assertTrue(second != first, "a running task does not block a new waiting one");
    assertEquals(2, count("SELECT COUNT(*) FROM bgtask_task"));
  }

  @Test
  void replacePendingDeletesOnlyWaitingTasksWithTheKey() {
    store.replacePending(keyed("k1"));
    store.replacePending(keyed("k2"));
    long newest = store.replacePending(keyed("k1"));
    assertEquals(2, count("SELECT COUNT(*) FROM bgtask_task"));
    assertEquals(newest, count("SELECT id FROM bgtask_task WHERE pending_key = 'k1'"));
  }

  private static NewTask keyed(String key) {
    return new NewTask("t", "com.example.Tasks", "t", "()V", "[]", "", 0, NOW, NOW, 25).withPendingKey(key);
  }

  private long insert(String name, int priority, Instant due) {
    return insert(name, priority, due, "");
  }

  private long insert(String name, int priority, Instant due, String queue) {
    return store.insert(new NewTask(name, "com.example.Tasks", name, "()V", "[]", queue, priority, due, NOW, 25));
  }


  private long count(String sql) {
    return InMemoryDatabase.count(database, sql);
  }

  private static String text(Object value) {
    try {
      return value instanceof java.sql.Clob clob ? clob.getSubString(1, (int) clob.length()) : (String) value;
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }
}
