package dev.bgtask.runtime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RunningBodiesTest {

  private final RunningBodies limit = new RunningBodies();

  @Test
  void anAttemptThatReturnedInTimeLeavesNoAlarmBehind() {
    for (int i = 0; i < 10_000; i++) {
      RunningBodies.Watch watch = limit.watch(Thread.currentThread(), 1L, Duration.ofHours(1));
      assertTrue(watch.bodyReturned().isEmpty());
    }
    assertEquals(0, limit.pendingAlarms(), "ten thousand finished attempts under a one-hour limit");
  }

  @Test
  void anAttemptThatRunsTooLongIsInterrupted() throws InterruptedException {
    RunningBodies.Watch watch = limit.watch(Thread.currentThread(), 1L, Duration.ofMillis(50));
    boolean interrupted = false;
    try {
      Thread.sleep(10_000);
    } catch (InterruptedException e) {
      interrupted = true;
    }
    assertTrue(interrupted, "the sleeping body was interrupted");
    assertTrue(watch.bodyReturned().orElseThrow().startsWith("timed out after 50 ms"), "and the attempt counts as timed out");
    assertFalse(Thread.currentThread().isInterrupted(), "the worker thread's interrupt is cleared");
  }

  @Test
  void stoppingTheRunningBodiesInterruptsEachOnceAndNoneThatReturned() throws InterruptedException {
    RunningBodies.Watch returned = limit.watch(Thread.currentThread(), 1L, Duration.ZERO);
    assertTrue(returned.bodyReturned().isEmpty());
    java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicReference<java.util.Optional<String>> why = new java.util.concurrent.atomic.AtomicReference<>();
    Thread body = new Thread(() -> {
      RunningBodies.Watch watch = limit.watch(Thread.currentThread(), 1L, Duration.ZERO);
      started.countDown();
      try {
        Thread.sleep(10_000);
      } catch (InterruptedException e) {
        // stopped
      }
      why.set(watch.bodyReturned());
    });
    body.start();
    started.await();
    assertEquals(1, limit.stopAll("lease lost"));
    body.join(5_000);
    assertEquals(java.util.Optional.of("lease lost"), why.get());
    assertEquals(0, limit.stopAll("again"), "nothing is left running");
    assertFalse(Thread.currentThread().isInterrupted(), "a body that had returned is never interrupted");
  }
}
