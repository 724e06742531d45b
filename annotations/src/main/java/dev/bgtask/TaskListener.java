package dev.bgtask;

/**
 * Hooks into a task's life (django's signals, delayed_job's hooks). Register with
 * {@link BackgroundTasks#addListener} or as a {@code META-INF/services/dev.bgtask.TaskListener}
 * service. Each run of a task reports {@code started}, then {@code succeeded} or {@code failed}
 * (and {@code gaveUp} when that was the last attempt), then {@code finished}; the outcome is
 * already recorded when they are called. A listener that throws is logged and ignored: it never
 * fails or re-runs a task, nor keeps other listeners from being called.
 */
public interface TaskListener {

  /** The task was stored (called in the caller's thread, after the commit). */
  default void created(TaskEvent task) {}

  /** A worker is about to run the task's body. */
  default void started(TaskEvent task) {}

  /** The body returned normally. */
  default void succeeded(TaskEvent task) {}

  /** The body threw (or the task could not be run); it is retried unless this was the last attempt. */
  default void failed(TaskEvent task, String error) {}

  /** The task failed its last attempt and is kept as failed. */
  default void gaveUp(TaskEvent task, String error) {}

  /** The run is over, whatever its outcome. */
  default void finished(TaskEvent task) {}
}
