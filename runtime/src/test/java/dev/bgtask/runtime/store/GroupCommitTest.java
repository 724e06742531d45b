package dev.bgtask.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
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

  @Test
  void anInterruptedCallerWaitsParkedForItsWriteAndKeepsItsInterrupt() throws Exception {
    Thread first = caller(1);
    firstWriteStarted.await();
    AtomicBoolean stillInterrupted = new AtomicBoolean();
    Thread interrupted = new Thread(() -> {
      Thread.currentThread().interrupt();
      results.put(2, group.submit(2));
      stillInterrupted.set(Thread.currentThread().isInterrupted());
    });
    interrupted.start();
    awaitAllBlocked(List.of(interrupted));
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpuBefore = threads.getThreadCpuTime(interrupted.getId());
    Thread.sleep(300);
    long cpuWaiting = threads.getThreadCpuTime(interrupted.getId()) - cpuBefore;
    assertTrue(cpuWaiting < 100_000_000, "the interrupted caller parks instead of spinning: " + cpuWaiting / 1_000_000 + " ms of CPU in 300 ms");
    firstWriteMayEnd.countDown();
    first.join();
    interrupted.join();
    assertEquals(Map.of(1, 10, 2, 20), results);
    assertTrue(stillInterrupted.get(), "its interrupt is kept");
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
