package dev.bgtask.runtime.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * When a recurring schedule fires: a cron expression, evaluated in UTC (five fields as in crontab,
 * or six with seconds first as in Spring), or a fixed period.
 */
public final class Recurrence {

  private static final CronParser CRONTAB = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final CronParser WITH_SECONDS = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING));

  private final ExecutionTime cron;
  private final Duration period;

  private Recurrence(ExecutionTime cron, Duration period) {
    this.cron = cron;
    this.period = period;
  }

  /** Throws {@link IllegalArgumentException} saying what is wrong with the expression. */
  public static Recurrence cron(String expression) {
    String trimmed = expression.trim();
    int fields = trimmed.split("\\s+").length;
    if (fields != 5 && fields != 6) {
      throw new IllegalArgumentException("cron expression '" + expression + "' has " + fields
          + " fields; use 5 (minute hour day-of-month month day-of-week) or 6 (seconds first)");
    }
    try {
      Cron parsed = (fields == 5 ? CRONTAB : WITH_SECONDS).parse(trimmed).validate();
      return new Recurrence(ExecutionTime.forCron(parsed), null);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid cron expression '" + expression + "': " + e.getMessage(), e);
    }
  }

  public static Recurrence every(Duration period) {
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("a recurring period must be above 0, got " + period);
    }
    return new Recurrence(null, period);
  }

  /** The first fire time strictly after {@code instant}. */
  /** The recurrence a stored schedule names: its cron expression, or else its period in milliseconds. */
  public static Recurrence of(String cron, Long periodMs) {
    return cron != null ? cron(cron) : every(Duration.ofMillis(periodMs == null ? 0 : periodMs));
  }

  public Instant nextAfter(Instant instant) {
    if (period != null) {
      return instant.plus(period);
    }
    return cron.nextExecution(ZonedDateTime.ofInstant(instant, ZoneOffset.UTC))
        .map(ZonedDateTime::toInstant)
        .orElseThrow(() -> new IllegalStateException("the cron expression never fires again after " + instant));
  }
}
