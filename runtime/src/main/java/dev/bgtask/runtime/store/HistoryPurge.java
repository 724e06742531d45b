package dev.bgtask.runtime.store;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Deletes finished tasks older than a given time in batches, each a short auto-committed statement,
 * and rests three times as long as each batch took before the next: one DELETE of millions of rows
 * would hold its locks and its undo for minutes, and back-to-back batches would fill the
 * write-ahead log that the workers' commits wait to flush. At most a quarter of the database's time
 * goes to purging: a drain of short tasks that kept the server's cores busy kept about 80 % of its
 * rate beside a purge given half of that time, and about 93 % and fewer pauses beside one given a
 * quarter. While the workers drain a backlog the purge rests fifteen times as long as each batch
 * took, a sixteenth of the database's time: given a quarter, it lengthened a MariaDB drain's longest
 * pauses by a third; given a sixteenth, not at all, and the history still shrinks.
 */
public final class HistoryPurge {

  private static final int BATCH = 1_000;
  private static final int REST_PER_BATCH_TIME = 3;
  private static final int REST_PER_BATCH_TIME_WHILE_DRAINING = 15;

  private final Database database;
  private final int batch;
  private final LongSupplier nanoTime;
  private final LongConsumer restNanos;

  public HistoryPurge(Database database) {
    this(database, BATCH, System::nanoTime, HistoryPurge::sleep);
  }

  HistoryPurge(Database database, int batch, LongSupplier nanoTime, LongConsumer restNanos) {
    this.database = database;
    this.batch = batch;
    this.nanoTime = nanoTime;
    this.restNanos = restNanos;
  }

  /** Deletes every finished task older than {@code before}; returns how many went. Stops early when interrupted. */
  public int before(Instant before) {
    return before(before, () -> false);
  }

  /** As {@link #before(Instant)}, resting longer after each batch while {@code draining} says the workers drain a backlog. */
  public int before(Instant before, BooleanSupplier draining) {
    int purged = 0;
    while (!Thread.currentThread().isInterrupted()) {
      long started = nanoTime.getAsLong();
      int deleted = database.autoCommitted(TaskMapper.class, mapper -> mapper.purgeCompletedBatch(before, batch));
      purged += deleted;
      if (deleted < batch) {
        break;
      }
      long took = nanoTime.getAsLong() - started;
      restNanos.accept(took * (draining.getAsBoolean() ? REST_PER_BATCH_TIME_WHILE_DRAINING : REST_PER_BATCH_TIME));
    }
    return purged;
  }

  private static void sleep(long nanos) {
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
