package dev.bgtask.runtime.task;

/**
 * A task row names a method that cannot be run. Refused ones (not {@code @Background}, not
 * rewritten) must never run, however often retried; retryable ones may appear with a later deploy.
 */
public final class TaskMethodException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final boolean refused;

  private TaskMethodException(String message, boolean refused) {
    super(message);
    this.refused = refused;
  }

  static TaskMethodException refused(String message) {
    return new TaskMethodException(message, true);
  }

  static TaskMethodException retryable(String message) {
    return new TaskMethodException(message, false);
  }

  public boolean isRefused() {
    return refused;
  }
}
