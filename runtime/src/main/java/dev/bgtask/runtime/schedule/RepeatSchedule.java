package dev.bgtask.runtime.schedule;

import dev.bgtask.Repeat;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a repeating task is due next: its previous due time plus the period, skipping every period
 * that has already passed (a JVM that was down for three days runs a DAILY task once, not three
 * times), and never after {@code repeatUntil}.
 */
public final class RepeatSchedule {

  private RepeatSchedule() {}

  public static Optional<Instant> next(String repeatName, Instant previousDue, Instant repeatUntil, Instant now) {
    if (repeatName == null) {
      return Optional.empty();
    }
    Duration period = Repeat.valueOf(repeatName).period();
    if (period.isZero()) {
      return Optional.empty();
    }
    Instant next = previousDue.plus(period);
    if (!next.isAfter(now)) {
      long missed = Duration.between(next, now).toMillis() / period.toMillis() + 1;
      next = next.plus(period.multipliedBy(missed));
    }
    if (repeatUntil != null && next.isAfter(repeatUntil)) {
      return Optional.empty();
    }
    return Optional.of(next);
  }
}
