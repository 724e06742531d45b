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

  /** Whether a stored {@code repeat_period} names a {@link Repeat}; a row written by hand, or by a newer version, may not. */
  public static boolean isKnown(String repeatName) {
    for (Repeat repeat : Repeat.values()) {
      if (repeat.name().equals(repeatName)) {
        return true;
      }
    }
    return false;
  }

  public static Optional<Instant> next(String repeatName, Instant previousDue, Instant repeatUntil, Instant now) {
    if (repeatName == null || !isKnown(repeatName)) {
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
