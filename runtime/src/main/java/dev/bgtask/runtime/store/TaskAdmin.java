package dev.bgtask.runtime.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the management commands do to the task tables. Running tasks are never changed by hand. */
public final class TaskAdmin {

  private final Database database;

  public TaskAdmin(Database database) {
    this.database = database;
  }

  /** Newest first; each filter may be null. State: pending, running, succeeded or failed. */
  public List<Map<String, Object>> list(String state, String queue, String name, int limit) {
    return database.inTransaction(TaskAdminMapper.class, mapper -> mapper.list(state, queue, name, limit)).stream()
        .map(TaskAdmin::plain).toList();
  }

  public Optional<Map<String, Object>> find(long id) {
    return Optional.ofNullable(database.inTransaction(TaskAdminMapper.class, mapper -> mapper.find(id))).map(TaskAdmin::plain);
  }

  /** The listing's columns, in order, the same on every database. */
  private static Map<String, Object> plain(Map<String, Object> row) {
    Map<String, Object> all = Rows.plain(row);
    Map<String, Object> plain = new java.util.LinkedHashMap<>();
    for (String column : List.of("id", "state", "task_name", "class_name", "method_name", "arguments", "queue_name", "priority",
        "due_at", "created_at", "attempts", "max_attempts", "last_error", "failed_at", "claimed_by", "verbose_name", "creator",
        "finished_at")) {
      plain.put(column, all.get(column));
    }
    return plain;
  }

  /** A failed task runs again, due now with fresh attempts; false when there is no failed task with that id. */
  public boolean retry(long id, Instant now) {
    return wakingWorkers(database.inTransaction(TaskAdminMapper.class,
        mapper -> mapper.copyFailedBack(id, now) == 1 && mapper.deleteFinished(id) == 1));
  }

  /** A waiting task becomes due now; false when there is no waiting task with that id. */
  public boolean runNow(long id, Instant now) {
    return wakingWorkers(database.inTransaction(TaskAdminMapper.class, mapper -> mapper.makeDueNow(id, now) == 1));
  }

  /** A task made due wakes the listening workers at once, before this command's JVM exits. */
  private boolean wakingWorkers(boolean changed) {
    if (changed) {
      StoredTaskNotice.sendNow(database);
    }
    return changed;
  }

  /** Deletes a waiting or a finished task; false when there is neither (a running task is not deleted). */
  public boolean delete(long id) {
    return database.inTransaction(TaskAdminMapper.class, mapper -> mapper.deleteWaiting(id) + mapper.deleteFinished(id) == 1);
  }

  /**
   * A running task whose worker is gone (its heartbeat row missing, or older than
   * {@code workerTimeout}) waits again, with its attempt counted; false when there is no such
   * task. A task whose worker is alive is left alone.
   */
  public boolean release(long id, java.time.Duration workerTimeout) {
    Instant now = databaseNow();
    String error = "released by hand (the release command): the worker holding its claim was gone";
    return wakingWorkers(database.inTransaction(TaskAdminMapper.class,
        mapper -> mapper.releaseOfGoneWorker(id, error, now, now.minus(workerTimeout)) == 1));
  }

  /** The database's clock now: every time compared with what the workers write comes from it. */
  public Instant databaseNow() {
    return DatabaseClock.read(database).instant();
  }

  public int purgeFinishedBefore(Instant before) {
    return new HistoryPurge(database).before(before);
  }

  /** What a cancel did. */
  public enum Cancel {
    /** The worker running it was asked to interrupt it; it files the task as failed, cancelled. */
    REQUESTED,
    /** Its worker was gone: the task is filed as failed, cancelled, here and now. */
    CANCELLED,
    /** The task does not run (any more): nothing to cancel. */
    NOT_RUNNING
  }

  /**
   * Cancels a running task: its body is interrupted and it is kept as failed, with an error that
   * begins with "cancelled", and not retried. A task whose worker is gone is filed so at once.
   */
  public Cancel cancel(long id, java.time.Duration workerTimeout) {
    Instant now = databaseNow();
    Instant aliveSince = now.minus(workerTimeout);
    return database.inTransaction(TaskAdminMapper.class, mapper -> {
      if (mapper.requestCancel(id, now, aliveSince) == 1) {
        return Cancel.REQUESTED;
      }
      String error = "cancelled at " + now + " (the worker that held it had stopped)";
      if (mapper.copyOrphanAsCancelled(id, error, now, aliveSince) == 1 && mapper.deleteClaimed(id) == 1) {
        return Cancel.CANCELLED;
      }
      return Cancel.NOT_RUNNING;
    });
  }

  /** Bulk actions work through their tasks this many at a time, each batch one transaction. */
  private static final int BULK_BATCH = 500;

  /**
   * Retries every failed task {@code filter} matches (its state must be failed), at most
   * {@code limit} of them; returns how many.
   */
  public long retryAll(TaskFilter filter, long limit, Instant now) {
    if (!filter.state().equals("failed")) {
      throw new IllegalArgumentException("only failed tasks can be retried, not " + filter.state() + " ones");
    }
    return wakingWorkersAfter(inBatches(filter, limit, now, (mapper, ids) -> {
      int copied = mapper.copyAllFailedBack(ids, now);
      mapper.deleteAllFinished(ids, "FAILED");
      return copied;
    }));
  }

  /** Deletes every task {@code filter} matches (not running ones), at most {@code limit} of them; returns how many. */
  public long deleteAll(TaskFilter filter, long limit, Instant now) {
    if (filter.state().equals("running")) {
      throw new IllegalArgumentException("running tasks are not deleted; cancel them one by one");
    }
    return inBatches(filter, limit, now, (mapper, ids) -> filter.isLive()
        ? mapper.deleteAllWaiting(ids)
        : mapper.deleteAllFinished(ids, null));
  }

  private long inBatches(TaskFilter filter, long limit, Instant now,
      java.util.function.BiFunction<TaskAdminMapper, List<Long>, Integer> action) {
    long done = 0;
    Long before = null;
    while (done < limit) {
      int size = (int) Math.min(BULK_BATCH, limit - done);
      Long after = before;
      List<Long> ids = database.inTransaction(TaskBrowserMapper.class, mapper -> filter.isLive()
          ? mapper.liveIds(filter.state(), now, filter.id(), filter.queue(), filter.nameLike(), filter.argumentsLike(), after, size)
          : mapper.finishedIds(filter.state(), filter.id(), filter.queue(), filter.nameLike(), filter.argumentsLike(), after, size));
      if (ids.isEmpty()) {
        break;
      }
      done += database.inTransaction(session -> action.apply(session.getMapper(TaskAdminMapper.class), ids));
      before = ids.get(ids.size() - 1);
    }
    return done;
  }

  private long wakingWorkersAfter(long changed) {
    if (changed > 0) {
      StoredTaskNotice.sendNow(database);
    }
    return changed;
  }
}
