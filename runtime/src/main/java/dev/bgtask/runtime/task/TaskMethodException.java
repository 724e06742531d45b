package dev.bgtask.runtime.task;

/**
 * A task row names a method that cannot be run. Refused ones (not {@code @Background}, not
 * rewritten) must never run, however often retried; retryable ones may appear with a later deploy.
 */
public final class TaskMethodException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final boolean refused;
  private final boolean classUnloadable;

  private TaskMethodException(String message, boolean refused, boolean classUnloadable) {
    super(message);
    this.refused = refused;
    this.classUnloadable = classUnloadable;
  }

  static TaskMethodException refused(String message) {
    return new TaskMethodException(message, true, false);
  }

  static TaskMethodException retryable(String message) {
    return new TaskMethodException(message, false, false);
  }

  static TaskMethodException classUnloadable(String message) {
    return new TaskMethodException(message, false, true);
  }

  /** The row's class cannot be loaded in this JVM; another JVM (another deploy) may run it. */
  public boolean isClassUnloadable() {
    return classUnloadable;
  }

  public boolean isRefused() {
    return refused;
  }
}
