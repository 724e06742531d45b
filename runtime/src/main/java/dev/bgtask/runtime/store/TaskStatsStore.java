package dev.bgtask.runtime.store;

import java.time.Instant;
import java.util.List;

/** The per-minute statistics the worker JVMs write and the dashboard adds up. */
public final class TaskStatsStore {

  private final Database database;

  public TaskStatsStore(Database database) {
    this.database = database;
  }

  /** Writes the minute's figures so far, replacing what this worker wrote for that minute before. */
  public void write(MinuteStats stats) {
    database.inTransaction(TaskStatsMapper.class, mapper -> mapper.update(stats) == 1 || mapper.insert(stats) == 1);
  }

  public List<MinuteStats> since(Instant since) {
    return database.inTransaction(TaskStatsMapper.class, mapper -> mapper.since(since));
  }

  public int purgeBefore(Instant before) {
    return database.inTransaction(TaskStatsMapper.class, mapper -> mapper.purgeBefore(before));
  }
}
