package dev.bgtask.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * MariaDB's claims read on from where the last full claim ended, and reread the claim index from
 * its head often enough that a row sorting before that position waits no longer than
 * {@link ClaimPositions#HEAD_EVERY}, or up to {@link ClaimPositions#HEAD_EVERY_AT_MOST} while rereads
 * find no such row. On the real server, with the claims' ticker in the test's hand.
 */
class ClaimPositionsTest {

  private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

  private final ServerDatabase server = ServerDatabase.MARIADB;
  private final AtomicLong ticker = new AtomicLong();
  private Database database;
  private TaskStore store;

  private void connect(boolean ascendingPriority) {
    database = server.connect();
    new SchemaMigrator(database, "bgtask_").migrate();
    store = new TaskStore(database, ascendingPriority, ticker::get);
  }

  @AfterEach
  void close() {
    database.close();
    server.drop();
  }

  @Test
  void aFullClaimMakesTheNextReadOnAfterItsLastRowUntilTheHeadIsDueAgain() {
    connect(false);
    List<Long> backlog = insert(8, 0);
    assertEquals(backlog.subList(0, 3), claim(3));
    long urgent = insert("urgent", 5, NOW);
    assertEquals(backlog.subList(3, 6), claim(3), "read on from the last full claim, past the row stored before it");
    tick(ClaimPositions.HEAD_EVERY);
    assertEquals(List.of(urgent, backlog.get(6), backlog.get(7)), claim(3), "the head, once HEAD_EVERY has passed");
  }

  @Test
  void eachRereadThatFindsNothingBeforeThePositionDoublesTheWaitAndOneThatDoesSetsItBack() {
    connect(false);
    List<Long> backlog = insert(8, 0);
    assertEquals(backlog.subList(0, 1), claim(1));
    tick(ClaimPositions.HEAD_EVERY);
    assertEquals(backlog.subList(1, 2), claim(1), "a reread from the head, finding nothing before the position");
    long urgent = insert("urgent", 5, NOW);
    tick(ClaimPositions.HEAD_EVERY);
    assertEquals(backlog.subList(2, 3), claim(1), "read on: the next reread is due twice as late");
    tick(ClaimPositions.HEAD_EVERY);
    assertEquals(List.of(urgent), claim(1));
    long moreUrgent = insert("more urgent", 6, NOW);
    tick(ClaimPositions.HEAD_EVERY);
    assertEquals(List.of(moreUrgent), claim(1), "the reread that found a row before the position set the wait back");
  }

  @Test
  void theWaitForARereadGrowsToHeadEveryAtMost() {
    connect(false);
    List<Long> backlog = insert(10, 0);
    assertEquals(backlog.subList(0, 1), claim(1));
    for (int i = 1; i <= 6; i++) {
      tick(ClaimPositions.HEAD_EVERY_AT_MOST);
      assertEquals(backlog.subList(i, i + 1), claim(1));
    }
    long urgent = insert("urgent", 5, NOW);
    tick(ClaimPositions.HEAD_EVERY_AT_MOST.minusMillis(1));
    assertEquals(backlog.subList(7, 8), claim(1), "read on, short of the longest wait");
    tick(Duration.ofMillis(1));
    assertEquals(List.of(urgent), claim(1));
  }

  @Test
  void aClaimAheadThatFindsNothingBeforeThePositionLeavesTheWaitAsItWas() {
    connect(false);
    List<Long> backlog = insert(8, 0);
    assertEquals(backlog.subList(0, 1), claim(1));
    tick(ClaimPositions.HEAD_EVERY);
    assertEquals(backlog.subList(1, 2), ids(store.claim(1, List.of(), List.of(), List.of(), "w", NOW, true)),
        "a reread by a claim ahead, which leaves out rows reaped from dead workers");
    long urgent = insert("urgent", 5, NOW);
    tick(ClaimPositions.HEAD_EVERY);
    assertEquals(List.of(urgent), claim(1));
  }

  @Test
  void aTaskGivenBackMidBacklogIsClaimedByTheNextReadFromTheHead() {
    connect(false);
    List<Long> backlog = insert(8, 0);
    ClaimedTask first = store.claim(2, List.of(), "w", NOW).get(0);
    assertTrue(store.release(first));
    assertEquals(backlog.subList(2, 4), claim(2));
    tick(ClaimPositions.HEAD_EVERY);
    assertEquals(List.of(backlog.get(0), backlog.get(4)), claim(2));
  }

  @Test
  void aReadOnThatFindsNothingRereadsFromTheHeadInTheSameClaim() {
    connect(false);
    List<Long> backlog = insert(4, 0);
    ClaimedTask first = store.claim(2, List.of(), "w", NOW).get(0);
    assertEquals(backlog.subList(2, 4), claim(2));
    assertTrue(store.release(first));
    assertEquals(List.of(backlog.get(0)), claim(2));
  }

  @Test
  void aShortClaimSendsTheNextToTheHead() {
    connect(false);
    List<Long> backlog = insert(3, 0);
    ClaimedTask first = store.claim(2, List.of(), "w", NOW).get(0);
    assertEquals(List.of(backlog.get(2)), claim(2));
    long later = insert("later", 0, NOW);
    assertTrue(store.release(first));
    assertEquals(List.of(backlog.get(0)), claim(1), "from the head, not on from the short claim's last row");
    assertEquals(List.of(later), claim(1));
  }

  @Test
  void aQueueThatResumesIsReadFromTheHead() {
    connect(false);
    long mail = insert("mail", 0, NOW.minusSeconds(60), "mail");
    List<Long> backlog = insert(4, 0);
    assertEquals(backlog.subList(0, 2), ids(store.claim(2, List.of(), Set.of("mail"), Set.of(), "w", NOW)));
    assertEquals(List.of(mail, backlog.get(2)), claim(2), "paused no more: the position held for another shape");
  }

  @Test
  void withLowerPrioritiesFirstTheReadGoesOnUpwards() {
    connect(true);
    long one = insert("one", 1, NOW);
    long two = insert("two", 2, NOW);
    long three = insert("three", 3, NOW);
    long four = insert("four", 4, NOW);
    assertEquals(List.of(one, two), claim(2));
    long zero = insert("zero", 0, NOW);
    assertEquals(List.of(three, four), claim(2));
    assertEquals(List.of(zero), claim(2));
  }

  private void tick(Duration duration) {
    ticker.addAndGet(duration.toNanos());
  }

  private List<Long> claim(int limit) {
    return ids(store.claim(limit, List.of(), "w", NOW));
  }

  private static List<Long> ids(List<ClaimedTask> tasks) {
    return tasks.stream().map(ClaimedTask::id).toList();
  }

  /** {@code count} tasks of {@code priority}, due a second apart before now, in claiming order. */
  private List<Long> insert(int count, int priority) {
    return IntStream.range(0, count)
        .mapToObj(i -> insert("t" + i, priority, NOW.minusSeconds(count - i)))
        .toList();
  }

  private long insert(String name, int priority, Instant dueAt) {
    return insert(name, priority, dueAt, "");
  }

  private long insert(String name, int priority, Instant dueAt, String queue) {
    return store.insert(new NewTask(name, "com.example.Tasks", name, "()V", "[]", queue, priority, dueAt, NOW, 25));
  }
}
