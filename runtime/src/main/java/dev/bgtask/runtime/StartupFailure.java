package dev.bgtask.runtime;

import dev.bgtask.runtime.config.Secrets;
/**
 * Stops the JVM when the agent cannot start, with one line on standard error. A silently missing
 * agent would turn every {@code @Background} call into a synchronous one, so there is no
 * "continue without it".
 */
public final class StartupFailure {

  private StartupFailure() {}

  public static void stopJvm(Throwable reason) {
    System.err.println(lineFor(reason));
    System.exit(1);
  }

  /**
   * True once the JVM has begun to exit. A start that fails then failed because of the exit (H2,
   * for one, closes its databases), and there is nothing left to report or stop.
   */
  public static boolean jvmIsExiting() {
    Thread probe = new Thread(() -> { });
    try {
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException shutdownInProgress) {
      return true;
    }
  }

  private static String lineFor(Throwable reason) {
    String message = Secrets.masked(
        (reason.getMessage() == null ? reason.toString() : reason.getMessage()).replaceAll("\\s*\\R\\s*", " "));
    boolean expected = reason instanceof IllegalArgumentException || reason instanceof IllegalStateException
        || reason.getClass().getName().startsWith("dev.bgtask.");
    return "background-task: " + (expected ? message : reason.getClass().getName() + ": " + message)
        + " - the JVM stops because the agent cannot start";
  }
}
