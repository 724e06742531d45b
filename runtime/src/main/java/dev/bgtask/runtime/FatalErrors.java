package dev.bgtask.runtime;

/**
 * Which errors from user code (task bodies, listeners, resolvers) the agent lets stop its thread:
 * only a {@link VirtualMachineError} the JVM cannot be trusted to go on after (out of memory, an
 * internal error). A {@link StackOverflowError} has unwound by the time it is caught, so it counts
 * as any other failure: a listener recursing by mistake must not end the agent's bookkeeping.
 */
public final class FatalErrors {

  private FatalErrors() {}

  public static boolean isFatal(Throwable error) {
    return error instanceof VirtualMachineError && !(error instanceof StackOverflowError);
  }
}
