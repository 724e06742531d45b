package dev.bgtask.e2e.app;

import dev.bgtask.Background;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

public final class Crashy {

  private Crashy() {}

  /** The first run hangs (the test kills its JVM); a run after that finishes at once. */
  @Background
  public static void hangOnce(String key) throws IOException, InterruptedException {
    Path marker = Path.of(System.getProperty("e2e.results") + "." + key + ".started");
    if (!Files.exists(marker)) {
      Files.createFile(marker);
      Results.record("hang " + key + " started");
      Thread.sleep(120_000);
    }
    Results.record("hang " + key + " finished");
  }

  /** Hangs in the JVMs a test kills (named caller-*); in any other it finishes at once. */
  @Background
  public static void holdInCaller(String key) throws InterruptedException {
    Results.record("hold " + key + " started");
    if (System.getProperty("e2e.jvm", "").startsWith("caller")) {
      Thread.sleep(120_000);
    }
    Results.record("hold " + key + " finished");
  }

  /** Kills its JVM every time. */
  @Background(maxAttempts = 2)
  public static void halt() {
    Results.record("halting");
    Runtime.getRuntime().halt(3);
  }

  /** Runs far longer than the worker timeout of the test that uses it. */
  @Background
  public static void slow(int seconds) throws InterruptedException {
    Results.record("slow started");
    Thread.sleep(seconds * 1000L);
    Results.record("slow finished");
  }
}
