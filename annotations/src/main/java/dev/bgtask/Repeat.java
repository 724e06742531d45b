package dev.bgtask;

import java.time.Duration;

/** How often a task is stored again after it has run (django's {@code repeat}). */
public enum Repeat {
  NEVER(Duration.ZERO),
  HOURLY(Duration.ofHours(1)),
  DAILY(Duration.ofDays(1)),
  WEEKLY(Duration.ofDays(7)),
  EVERY_2_WEEKS(Duration.ofDays(14)),
  EVERY_4_WEEKS(Duration.ofDays(28));

  private final Duration period;

  Repeat(Duration period) {
    this.period = period;
  }

  public Duration period() {
    return period;
  }
}
