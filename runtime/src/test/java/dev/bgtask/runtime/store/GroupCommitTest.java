package dev.bgtask.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Who gets written with whom: callers that wait behind a write share the next one. */
class GroupCommitTest {

  private final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
  private final CountDownLatch firstWriteStarted = new CountDownLatch(1);
  private final CountDownLatch firstWriteMayEnd = new CountDownLatch(1);
  private final GroupCommit<Integer, Integer> group = new GroupCommit<>(this::write, 100);
  private final Map<Integer, Integer> results = new ConcurrentHashMap<>();

  private List<Integer> write(List<Integer> items) {
    batches.add(List.copyOf(items));
    if (batches.size() == 1) {
      firstWriteStarted.countDown();
      awaitQuietly(firstWriteMayEnd);
    }
    return items.stream().map(item -> item * 10).toList();
  }

  @Test
  void callersArrivingDuringAWriteShareTheNextOneAndEachGetsItsOwnResult() throws Exception {
    Thread first = caller(1);
    firstWriteStarted.await();
    List<Thread> waiting = List.of(caller(2), caller(3), caller(4));
    awaitAllBlocked(waiting);
    firstWriteMayEnd.countDown();
    first.join();
    for (Thread thread : waiting) {
      thread.join();
    }
    assertEquals(List.of(1), batches.get(0));
    assertEquals(List.of(2, 3, 4), batches.get(1).stream().sorted().toList());
    assertEquals(2, batches.size());
    assertEquals(Map.of(1, 10, 2, 20, 3, 30, 4, 40), results);
  }

  @Test
  void aCallerAloneAfterASharedWriteGoesOnItsOwnWithoutWaitingForTheOthers() throws Exception {
    callersArrivingDuringAWriteShareTheNextOneAndEachGetsItsOwnResult();
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertEquals(50, group.submit(5)));
    assertEquals(List.of(5), batches.get(2));
  }

  private Thread caller(int item) {
    Thread thread = new Thread(() -> results.put(item, group.submit(item)));
    thread.start();
    return thread;
  }

  private static void awaitAllBlocked(List<Thread> threads) throws InterruptedException {
    List<Thread> running = new ArrayList<>(threads);
    while (!running.isEmpty()) {
      running.removeIf(thread -> thread.getState() == Thread.State.WAITING);
      Thread.sleep(1);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
