package dev.bgtask.runtime.store;

import java.time.Instant;
import java.util.Set;

/**
 * Queues paused in the database, so that every worker JVM stops taking them (unlike
 * {@code BackgroundTasks.pause()}, which pauses this JVM's workers only). Running tasks finish.
 */
public final class QueuePauses {

  private final Database database;

  public QueuePauses(Database database) {
    this.database = database;
  }

  public Set<String> paused() {
    return Set.copyOf(database.inTransaction(QueuePauseMapper.class, QueuePauseMapper::paused));
  }

  /** Pauses {@code queue} for every JVM; false when it was paused already. */
  public boolean pause(String queue, Instant now) {
    try {
      return database.inTransaction(QueuePauseMapper.class, mapper -> mapper.isPaused(queue) == 0 && mapper.pause(queue, now) == 1);
    } catch (DatabaseUnavailableException e) {
      if (Database.isKeyViolation(e)) {
        return false; // paused by someone else at the same moment
      }
      throw e;
    }
  }

  /** Resumes {@code queue} and wakes the listening workers; false when it was not paused. */
  public boolean resume(String queue) {
    boolean resumed = database.inTransaction(QueuePauseMapper.class, mapper -> mapper.resume(queue) == 1);
    if (resumed) {
      StoredTaskNotice.sendNow(database);
    }
    return resumed;
  }
}
