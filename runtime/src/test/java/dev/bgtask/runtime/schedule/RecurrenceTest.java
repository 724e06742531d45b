package dev.bgtask.runtime.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecurrenceTest {

  @Test
  void crontabExpressionsFireInUtc() {
    Recurrence nightly = Recurrence.cron("0 2 * * *");
    assertEquals(Instant.parse("2026-11-23T02:00:00Z"), nightly.nextAfter(Instant.parse("2026-11-23T01:00:00Z")));
    assertEquals(Instant.parse("2026-11-24T02:00:00Z"), nightly.nextAfter(Instant.parse("2026-11-23T02:00:00Z")), "strictly after");
  }

  @Test
  void sixFieldsPutSecondsFirst() {
    assertEquals(Instant.parse("2026-11-23T01:00:10Z"), Recurrence.cron("*/10 * * * * *").nextAfter(Instant.parse("2026-11-23T01:00:03Z")));
  }

  @Test
  void periodsAddUp() {
    assertEquals(Instant.parse("2026-11-23T01:05:00Z"), Recurrence.every(Duration.ofMinutes(5)).nextAfter(Instant.parse("2026-11-23T01:00:00Z")));
  }

  @Test
  void badExpressionsSayWhatIsWrong() {
    IllegalArgumentException fields = assertThrows(IllegalArgumentException.class, () -> Recurrence.cron("0 2 * *"));
    assertTrue(fields.getMessage().contains("has 4 fields"), fields.getMessage());
    IllegalArgumentException hour = assertThrows(IllegalArgumentException.class, () -> Recurrence.cron("0 25 * * *"));
    assertTrue(hour.getMessage().startsWith("invalid cron expression '0 25 * * *'"), hour.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Recurrence.every(Duration.ZERO));
  }
}
