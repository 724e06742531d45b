package dev.bgtask;

/** A task body run by {@link BackgroundTasks#now} threw a checked exception; it is the cause. */
public class TaskFailedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public TaskFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
