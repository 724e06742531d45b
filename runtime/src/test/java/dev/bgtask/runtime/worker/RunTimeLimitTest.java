package dev.bgtask.runtime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RunTimeLimitTest {

  private final RunTimeLimit limit = new RunTimeLimit();

  @Test
  void anAttemptThatReturnedInTimeLeavesNoAlarmBehind() {
    for (int i = 0; i < 10_000; i++) {
      RunTimeLimit.Watch watch = limit.watch(Thread.currentThread(), Duration.ofHours(1));
      assertFalse(watch.bodyReturned());
    }
    assertEquals(0, limit.pendingAlarms(), "ten thousand finished attempts under a one-hour limit");
  }

  @Test
  void anAttemptThatRunsTooLongIsInterrupted() throws InterruptedException {
    RunTimeLimit.Watch watch = limit.watch(Thread.currentThread(), Duration.ofMillis(50));
    boolean interrupted = false;
    try {
      Thread.sleep(10_000);
    } catch (InterruptedException e) {
      interrupted = true;
    }
    assertTrue(interrupted, "the sleeping body was interrupted");
    assertTrue(watch.bodyReturned(), "and the attempt counts as timed out");
    assertFalse(Thread.currentThread().isInterrupted(), "the worker thread's interrupt is cleared");
  }
}
