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

  /**
   * Lower-case column names, text for CLOBs and instants for timestamps (stored as UTC wall-clock
   * times), whatever the driver returned, so every database lists the same way.
   */
  private static Map<String, Object> plain(Map<String, Object> row) {
    Map<String, Object> plain = new java.util.LinkedHashMap<>();
    for (String column : List.of("id", "state", "task_name", "class_name", "method_name", "arguments", "queue_name", "priority",
        "due_at", "created_at", "attempts", "max_attempts", "last_error", "failed_at", "claimed_by", "verbose_name", "creator",
        "finished_at")) {
      Object value = row.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(column)).map(Map.Entry::getValue)
          .findFirst().orElse(null);
      plain.put(column, plainValue(value));
    }
    return plain;
  }

  private static Object plainValue(Object value) {
    try {
      if (value instanceof java.sql.Clob clob) {
        return clob.getSubString(1, (int) clob.length());
      }
    } catch (java.sql.SQLException e) {
      throw new DatabaseUnavailableException("cannot read a text column: " + e.getMessage(), e);
    }
    if (value instanceof java.sql.Timestamp timestamp) {
      return timestamp.toLocalDateTime().toInstant(java.time.ZoneOffset.UTC);
    }
    if (value instanceof java.time.LocalDateTime local) {
      return local.toInstant(java.time.ZoneOffset.UTC);
    }
    if (value instanceof Number number && !(value instanceof Long)) {
      return number.longValue();
    }
    return value;
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
    return database.inTransaction(TaskAdminMapper.class, mapper -> mapper.purgeFinishedBefore(before));
  }
}
