package dev.bgtask.runtime.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackoffPolicyTest {

  private final BackoffPolicy backoff = new BackoffPolicy();

  @Test
  void delayIsAttemptsToTheFourthPlusFiveSeconds() {
    assertEquals(Duration.ofSeconds(6), backoff.delayAfter(1));
    assertEquals(Duration.ofSeconds(21), backoff.delayAfter(2));
    assertEquals(Duration.ofSeconds(86), backoff.delayAfter(3));
    assertEquals(Duration.ofSeconds(390_630), backoff.delayAfter(25));
  }

  @Test
  void nextDueCountsFromTheFailure() {
    Instant failedAt = Instant.parse("2026-11-23T10:00:00Z");
    assertEquals(Instant.parse("2026-11-23T10:00:21Z"), backoff.nextDue(2, failedAt));
  }
}
