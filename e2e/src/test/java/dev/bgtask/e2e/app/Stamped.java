package dev.bgtask.e2e.app;

import dev.bgtask.Background;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tasks that stamp when each run starts and ends, in the results file, so a test can tell whether
 * two runs of one task ever overlapped. They end early when interrupted, as well-behaved long
 * tasks do.
 */
public final class Stamped {

  private Stamped() {}

  /** Runs for {@code seconds}, or until interrupted. */
  @Background
  public static void hold(String key, int seconds) {
    run(key, seconds);
  }

  /** The first run anywhere runs for {@code seconds} (or until interrupted); every later one ends at once. */
  @Background
  public static void holdOnce(String key, int seconds) throws IOException {
    Path marker = Path.of(System.getProperty("e2e.results") + "." + key + ".started");
    boolean first = !Files.exists(marker);
    if (first) {
      Files.createFile(marker);
    }
    run(key, first ? seconds : 0);
  }

  private static void run(String key, int seconds) {
    Results.record("stamp " + key + " start");
    long until = System.nanoTime() + seconds * 1_000_000_000L;
    try {
      while (System.nanoTime() < until) {
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Results.record("stamp " + key + " end interrupted");
      Thread.currentThread().interrupt();
      return;
    }
    Results.record("stamp " + key + " end done");
  }
}
