package dev.bgtask.runtime.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RepeatScheduleTest {

  private static final Instant DUE = Instant.parse("2026-11-23T02:00:00Z");

  @Test
  void nextIsThePreviousDueTimePlusThePeriod() {
    assertEquals(Optional.of(Instant.parse("2026-11-24T02:00:00Z")),
        RepeatSchedule.next("DAILY", DUE, null, Instant.parse("2026-11-23T02:00:05Z")));
    assertEquals(Optional.of(Instant.parse("2026-11-23T03:00:00Z")),
        RepeatSchedule.next("HOURLY", DUE, null, Instant.parse("2026-11-23T02:30:00Z")));
    assertEquals(Optional.of(Instant.parse("2026-12-21T02:00:00Z")),
        RepeatSchedule.next("EVERY_4_WEEKS", DUE, null, DUE));
  }

  @Test
  void missedPeriodsAreSkippedNotRunInABurst() {
    assertEquals(Optional.of(Instant.parse("2026-11-27T02:00:00Z")),
        RepeatSchedule.next("DAILY", DUE, null, Instant.parse("2026-11-26T09:00:00Z")));
    assertEquals(Optional.of(Instant.parse("2026-11-27T02:00:00Z")),
        RepeatSchedule.next("DAILY", DUE, null, Instant.parse("2026-11-26T02:00:00Z")), "a due time equal to now has passed");
  }

  @Test
  void noRepetitionAfterRepeatUntilOrForNever() {
    assertEquals(Optional.empty(), RepeatSchedule.next("DAILY", DUE, Instant.parse("2026-11-24T01:59:59Z"), DUE));
    assertEquals(Optional.of(Instant.parse("2026-11-24T02:00:00Z")),
        RepeatSchedule.next("DAILY", DUE, Instant.parse("2026-11-24T02:00:00Z"), DUE), "repeatUntil itself is allowed");
    assertEquals(Optional.empty(), RepeatSchedule.next("NEVER", DUE, null, DUE));
    assertEquals(Optional.empty(), RepeatSchedule.next(null, DUE, null, DUE));
  }
}
