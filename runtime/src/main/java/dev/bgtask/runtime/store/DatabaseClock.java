package dev.bgtask.runtime.store;

import dev.bgtask.runtime.AgentThreads;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database's clock, as this JVM reads it: the database's time at the last reading, carried
 * forward on this JVM's monotonic clock. Every time the queue writes to be compared by other JVMs
 * (due times, heartbeats, claims, finishes, fire times) comes from here, so hosts whose clocks
 * differ by minutes still agree on what is due and who is silent, and stepping this host's clock
 * changes nothing. It is read again every {@link #READ_EVERY}; between readings it can drift only
 * as far as this host's monotonic clock runs at another rate than the database's.
 *
 * <p>On H2 the database's clock is that of the JVM that owns the file.
 */
public final class DatabaseClock extends Clock {

  private static final Logger log = LoggerFactory.getLogger(DatabaseClock.class);
  /** How often the database's time is read again. */
  static final Duration READ_EVERY = Duration.ofSeconds(10);
  /** Readings taken each time; the one with the shortest round trip is kept. */
  private static final int READINGS = 3;
  /** A reading further than this from what the clock had carried forward is reported. */
  private static final Duration REPORTED_JUMP = Duration.ofSeconds(1);

  private final Database database;
  private volatile Reading reading;

  /** The database's time {@code databaseTime}, read when {@link System#nanoTime()} was {@code nanos}. */
  private record Reading(Instant databaseTime, long nanos) {
    Instant now() {
      return databaseTime.plusNanos(System.nanoTime() - nanos);
    }
  }

  private DatabaseClock(Database database, Reading reading) {
    this.database = database;
    this.reading = reading;
  }

  /** Reads the database's time now; throws {@link DatabaseUnavailableException} when it cannot. */
  public static DatabaseClock read(Database database) {
    return new DatabaseClock(database, readFrom(database));
  }

  /** Reads the database's time again every {@link #READ_EVERY}, on a daemon thread of its own. */
  public DatabaseClock keepReading() {
    java.util.concurrent.ScheduledExecutorService reader = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
        AgentThreads.named("bgtask-clock"));
    reader.scheduleWithFixedDelay(this::readAgain, READ_EVERY.toMillis(), READ_EVERY.toMillis(),
        java.util.concurrent.TimeUnit.MILLISECONDS);
    return this;
  }

  /** Reads the database's time again; keeps the last reading when the database cannot be reached. */
  public void readAgain() {
    try {
      Reading fresh = readFrom(database);
      Duration jump = Duration.between(reading.now(), fresh.now()).abs();
      if (jump.compareTo(REPORTED_JUMP) > 0) {
        log.info("the database's clock moved {} ms against this JVM's since it was last read", jump.toMillis());
      }
      reading = fresh;
    } catch (DatabaseUnavailableException e) {
      log.debug("cannot read the database's clock ({}); keeping the last reading", e.getMessage());
    }
  }

  /** How far this JVM's own clock is ahead of the database's (negative: behind). */
  public Duration jvmClockAhead() {
    return Duration.between(instant(), Instant.now());
  }

  /**
   * The database read its clock somewhere in the round trip, so its middle is the best guess, off
   * by at most half the trip: of a few readings, the one with the shortest trip is kept (the first
   * may include building the statement, or a pause of a JVM still starting).
   */
  private static Reading readFrom(Database database) {
    Reading best = null;
    long shortest = Long.MAX_VALUE;
    for (int i = 0; i < READINGS; i++) {
      long before = System.nanoTime();
      BigDecimal seconds = database.autoCommitted(WorkerMapper.class, WorkerMapper::epochSeconds);
      long after = System.nanoTime();
      if (after - before < shortest) {
        shortest = after - before;
        long epochMicros = seconds.movePointRight(6).longValue();
        best = new Reading(Instant.EPOCH.plus(Duration.ofSeconds(epochMicros / 1_000_000, (epochMicros % 1_000_000) * 1_000)),
            before + (after - before) / 2);
      }
    }
    return best;
  }

  @Override
  public Instant instant() {
    return reading.now();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    if (zone.equals(ZoneOffset.UTC)) {
      return this;
    }
    throw new UnsupportedOperationException("the database's clock is kept in UTC");
  }
}
