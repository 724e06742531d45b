package dev.bgtask.runtime.schedule;

import java.time.Duration;
import java.time.Instant;

/** When a failed task is tried again: attempts^4 + 5 seconds after the failure, as django and delayed_job do. */
public final class BackoffPolicy {

  public Duration delayAfter(int failedAttempts) {
    long attempts = Math.max(1, failedAttempts);
    return Duration.ofSeconds(attempts * attempts * attempts * attempts + 5);
  }

  public Instant nextDue(int failedAttempts, Instant failedAt) {
    return failedAt.plus(delayAfter(failedAttempts));
  }
}
