package dev.bgtask.runtime.codec;

/** A stored row's arguments cannot be rebuilt as the method's current parameter types. */
public final class ArgumentMismatchException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ArgumentMismatchException(String message) {
    super(message);
  }
}
