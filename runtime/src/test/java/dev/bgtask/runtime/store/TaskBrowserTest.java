package dev.bgtask.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** What the dashboard reads and does, on every database: pages, search, bulk actions, cancel, pauses, schedules, statistics. */
@ParameterizedClass(name = "on {0}")
@EnumSource(ServerDatabase.class)
class TaskBrowserTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Parameter
  ServerDatabase server;

  private Database database;
  private TaskStore store;
  private TaskBrowser browser;
  private TaskAdmin admin;
  private Instant now;

  @BeforeEach
  void connect() {
    database = server.connect();
    new SchemaMigrator(database, "bgtask_").migrate();
    store = new TaskStore(database);
    browser = new TaskBrowser(database);
    admin = new TaskAdmin(database);
    now = admin.databaseNow();
  }

  @AfterEach
  void close() {
    database.close();
    server.drop();
  }

  @Test
  void pagesGoNewestFirstFromOneKeyToTheNextWithoutCountingAndEndWithNoNextKey() {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      ids.add(store.insert(task("mail.send", "mail", "[" + i + "]", now.minusSeconds(1))));
    }
    TaskBrowser.Page first = browser.page(TaskFilter.of("waiting"), null, 3, now);
    assertEquals(List.of(ids.get(6), ids.get(5), ids.get(4)), idsOf(first));
    TaskBrowser.Page second = browser.page(TaskFilter.of("waiting"), first.nextBefore(), 3, now);
    assertEquals(List.of(ids.get(3), ids.get(2), ids.get(1)), idsOf(second));
    TaskBrowser.Page last = browser.page(TaskFilter.of("waiting"), second.nextBefore(), 3, now);
    assertEquals(List.of(ids.get(0)), idsOf(last));
    assertNull(last.nextBefore(), "no page after the last");
    assertEquals("waiting", first.tasks().get(0).get("state"));
  }

  @Test
  void eachStateShowsItsOwnRows() {
    long waiting = store.insert(task("a", "", "[]", now.minusSeconds(1)));
    long scheduled = store.insert(task("b", "", "[]", now.plusSeconds(3600)));
    long running = store.insert(task("c", "", "[]", now.minusSeconds(2)));
    claim(running, "worker-1");
    long succeeded = finished("d", TaskStore.Outcome.SUCCEEDED);
    long failed = finished("e", TaskStore.Outcome.FAILED);

    assertEquals(List.of(waiting), idsOf(browser.page(TaskFilter.of("waiting"), null, 10, now)));
    assertEquals(List.of(scheduled), idsOf(browser.page(TaskFilter.of("scheduled"), null, 10, now)));
    assertEquals(List.of(running), idsOf(browser.page(TaskFilter.of("running"), null, 10, now)));
    assertEquals(List.of(succeeded), idsOf(browser.page(TaskFilter.of("succeeded"), null, 10, now)));
    assertEquals(List.of(failed), idsOf(browser.page(TaskFilter.of("failed"), null, 10, now)));
    assertEquals("scheduled", browser.task(scheduled, now).orElseThrow().get("state"));
    assertEquals("failed", browser.task(failed, now).orElseThrow().get("state"));
    assertFalse(browser.task(running, now).orElseThrow().containsKey("claim_token"), "the claim token stays the workers' business");
  }

  @Test
  void searchFindsByIdQueueAndTextInTheNameOrArgumentsTakingWildcardsLiterally() {
    long percent = store.insert(task("reports.build_100%", "reports", "[\"ada@example.com\"]", now.minusSeconds(1)));
    long other = store.insert(task("reports.buildX100", "reports", "[\"bob@example.com\"]", now.minusSeconds(1)));
    long mail = store.insert(task("mail.send", "mail", "[\"ada@example.com\"]", now.minusSeconds(1)));

    assertEquals(List.of(percent), idsOf(search(null, null, "build_100%", null)), "_ and % are the name's own characters");
    assertEquals(List.of(mail, percent), idsOf(search(null, null, null, "ada@")));
    assertEquals(List.of(other, percent), idsOf(search(null, "reports", null, null)));
    assertEquals(List.of(mail), idsOf(search(mail, null, null, null)));
    assertEquals(List.of(), idsOf(search(mail, "reports", null, null)), "every criterion holds");
    assertEquals(2, browser.count(new TaskFilter("waiting", null, null, null, "ada@"), now, 10));
    assertEquals(2, browser.count(TaskFilter.of("waiting"), now, 2), "counts stop at the cap");
  }

  @Test
  void bulkRetryAndDeleteActOnTheMatchingTasksAndNoMoreThanTheConfirmedCount() {
    List<Long> failed = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      failed.add(finished("import", TaskStore.Outcome.FAILED));
    }
    long otherFailure = finished("export", TaskStore.Outcome.FAILED);

    assertEquals(3, admin.retryAll(new TaskFilter("failed", null, null, "import", null), 3, now), "three confirmed");
    Instant later = now.plusSeconds(1); // the retried tasks are due now: at a later look they wait
    assertEquals(3, idsOf(browser.page(TaskFilter.of("waiting"), null, 10, later)).size());
    assertEquals(2, admin.retryAll(new TaskFilter("failed", null, null, "import", null), 100, now));
    assertEquals(List.of(otherFailure), idsOf(browser.page(TaskFilter.of("failed"), null, 10, now)));
    List<Long> waiting = idsOf(browser.page(TaskFilter.of("waiting"), null, 10, later));
    assertEquals(failed.stream().sorted().toList(), waiting.stream().sorted().toList(), "the same ids wait again");

    assertEquals(5, admin.deleteAll(TaskFilter.of("waiting"), 100, later));
    assertEquals(0, browser.count(TaskFilter.of("waiting"), later, 10));
    assertEquals(1, admin.deleteAll(TaskFilter.of("failed"), 100, now));
  }

  @Test
  void aRunningTaskIsCancelledThroughItsLiveWorkerOrAtOnceWhenItsWorkerIsGone() {
    WorkerRegistry workers = new WorkerRegistry(database);
    workers.register("alive", "host", 1, now);
    long live = store.insert(task("a", "", "[]", now.minusSeconds(1)));
    claim(live, "alive");
    long orphan = store.insert(task("b", "", "[]", now.minusSeconds(1)));
    claim(orphan, "gone");
    long waiting = store.insert(task("c", "", "[]", now.minusSeconds(1)));

    assertEquals(TaskAdmin.Cancel.REQUESTED, admin.cancel(live, TIMEOUT));
    assertEquals(List.of(live), store.cancelRequested(List.of(live, waiting)), "its worker finds the request");
    assertEquals(TaskAdmin.Cancel.NOT_RUNNING, admin.cancel(live, TIMEOUT), "requested once");
    assertEquals(TaskAdmin.Cancel.CANCELLED, admin.cancel(orphan, TIMEOUT));
    Map<String, Object> filed = browser.task(orphan, now).orElseThrow();
    assertEquals("failed", filed.get("state"));
    assertTrue(((String) filed.get("last_error")).startsWith("cancelled"), filed.toString());
    assertEquals(TaskAdmin.Cancel.NOT_RUNNING, admin.cancel(waiting, TIMEOUT), "a waiting task is deleted, not cancelled");
  }

  @Test
  void aQueuePausedInTheDatabaseIsPausedOnceForEveryoneUntilResumed() {
    QueuePauses pauses = new QueuePauses(database);
    assertTrue(pauses.pause("mail", now));
    assertFalse(pauses.pause("mail", now), "paused already");
    assertEquals(java.util.Set.of("mail"), pauses.paused());
    assertTrue(pauses.resume("mail"));
    assertFalse(pauses.resume("mail"));
    assertEquals(java.util.Set.of(), pauses.paused());
  }

  @Test
  void aDisabledScheduleDoesNotFireUntilEnabledAndRunNowStoresItsTaskAtOnce() {
    RecurringScheduleStore schedules = new RecurringScheduleStore(database);
    schedules.register(new RecurringSchedule("nightly", task("reports.nightly", "", "[]", now), null, 60_000L, now.minusSeconds(5), now));
    assertTrue(schedules.disable("nightly"));
    assertFalse(schedules.disable("nightly"));
    assertEquals(0, schedules.fireDue(now, (schedule, after) -> after.plusSeconds(60)), "disabled: no fire");
    assertEquals(Optional.empty(), schedules.nextFireAt(List.of()));
    Optional<Long> stored = schedules.runNow("nightly", now);
    assertTrue(stored.isPresent());
    assertEquals(List.of(stored.get()), idsOf(browser.page(TaskFilter.of("waiting"), null, 10, now.plusSeconds(1))));
    assertTrue(schedules.enable("nightly", now, (schedule, after) -> after.plusSeconds(60)));
    assertEquals(now.plusSeconds(60).truncatedTo(ChronoUnit.MILLIS), schedules.nextFireAt(List.of()).orElseThrow().truncatedTo(ChronoUnit.MILLIS),
        "enabled again, it fires next after now: the times it missed are not made up");
    assertEquals(Optional.empty(), schedules.runNow("no such schedule", now));
  }

  @Test
  void eachWorkersMinuteOfStatisticsIsOneRowWrittenAgainAsItGrows() {
    TaskStatsStore stats = new TaskStatsStore(database);
    Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
    stats.write(new MinuteStats("w1", minute, "mail", 1, 0, 0, "1,0", "0,1"));
    stats.write(new MinuteStats("w1", minute, "mail", 5, 2, 1, "4,3", "2,5"));
    stats.write(new MinuteStats("w2", minute, "mail", 3, 0, 0, "3,0", "3,0"));
    List<MinuteStats> read = stats.since(minute);
    assertEquals(2, read.size(), "one row per worker and minute");
    assertEquals(8, read.stream().mapToLong(MinuteStats::getSucceeded).sum());
    assertEquals(2, stats.purgeBefore(minute.plusSeconds(60)), "both rows are older than the next minute");
  }

  private TaskBrowser.Page search(Long id, String queue, String name, String arguments) {
    return browser.page(new TaskFilter("waiting", id, queue, name, arguments), null, 10, now);
  }

  private static List<Long> idsOf(TaskBrowser.Page page) {
    return page.tasks().stream().map(task -> ((Number) task.get("id")).longValue()).toList();
  }

  private static NewTask task(String name, String queue, String arguments, Instant due) {
    return new NewTask(name, "com.example.Tasks", "run", "()V", arguments, queue, 0, due, due, 3);
  }

  private void claim(long id, String worker) {
    List<ClaimedTask> claimed = store.claim(100, List.of(), worker, now);
    assertTrue(claimed.stream().anyMatch(task -> task.id() == id), "claimed " + id);
    claimed.stream().filter(task -> task.id() != id).forEach(store::release);
  }

  private long finished(String name, TaskStore.Outcome outcome) {
    long id = store.insert(task(name, "", "[]", now.minusSeconds(1)));
    List<ClaimedTask> claimed = store.claim(100, List.of(), "finisher", now);
    claimed.stream().filter(task -> task.id() != id).forEach(store::release);
    store.finish(claimed.stream().filter(task -> task.id() == id).findFirst().orElseThrow(), outcome, true, now, Optional.empty());
    return id;
  }
}
