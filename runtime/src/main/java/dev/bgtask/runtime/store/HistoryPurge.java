package dev.bgtask.runtime.store;

import java.time.Instant;

/**
 * Deletes finished tasks older than a given time in batches, each a short auto-committed statement,
 * and rests three times as long as each batch took before the next: one DELETE of millions of rows
 * would hold its locks and its undo for minutes, and back-to-back batches would fill the
 * write-ahead log that the workers' commits wait to flush. At most a quarter of the database's time
 * goes to purging: a drain of short tasks that kept the server's cores busy kept about 80 % of its
 * rate beside a purge given half of that time, and about 93 % and fewer pauses beside one given a
 * quarter.
 */
public final class HistoryPurge {

  private static final int BATCH = 1_000;
  private static final int REST_PER_BATCH_TIME = 3;

  private final Database database;
  private final int batch;

  public HistoryPurge(Database database) {
    this(database, BATCH);
  }

  HistoryPurge(Database database, int batch) {
    this.database = database;
    this.batch = batch;
  }

  /** Deletes every finished task older than {@code before}; returns how many went. Stops early when interrupted. */
  public int before(Instant before) {
    int purged = 0;
    while (!Thread.currentThread().isInterrupted()) {
      long started = System.nanoTime();
      int deleted = database.autoCommitted(TaskMapper.class, mapper -> mapper.purgeCompletedBatch(before, batch));
      purged += deleted;
      if (deleted < batch) {
        break;
      }
      rest((System.nanoTime() - started) * REST_PER_BATCH_TIME);
    }
    return purged;
  }

  private static void rest(long nanos) {
    try {
      java.util.concurrent.TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
