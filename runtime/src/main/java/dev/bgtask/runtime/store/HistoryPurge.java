package dev.bgtask.runtime.store;

import java.time.Instant;

/**
 * Deletes finished tasks older than a given time in batches, each a short auto-committed statement:
 * one DELETE of millions of rows would hold its locks and its undo for minutes, and whoever ran it
 * would wait as long.
 */
public final class HistoryPurge {

  private static final int BATCH = 5_000;

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
      int deleted = database.autoCommitted(TaskMapper.class, mapper -> mapper.purgeCompletedBatch(before, batch));
      purged += deleted;
      if (deleted < batch) {
        break;
      }
    }
    return purged;
  }
}
