package dev.bgtask.runtime.store;

/** The task database cannot be reached or refused a statement the agent needs. */
public final class DatabaseUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public DatabaseUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
