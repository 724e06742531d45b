package dev.bgtask;

/** A {@link Background} call could not store its task (for example, the database is down). Nothing was stored. */
public class EnqueueException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public EnqueueException(String message, Throwable cause) {
    super(message, cause);
  }
}
