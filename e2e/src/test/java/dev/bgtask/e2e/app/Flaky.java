package dev.bgtask.e2e.app;

import dev.bgtask.Background;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

public final class Flaky {

  private Flaky() {}

  /** Fails the first time it runs for a key, succeeds after that (remembered on disk, across JVMs). */
  @Background
  public static void syncInvoice(String key) throws IOException {
    Path marker = Path.of(System.getProperty("e2e.results") + "." + key + ".failed-once");
    if (!Files.exists(marker)) {
      Files.createFile(marker);
      Results.record("flaky " + key + " failing");
      throw new IOException("payment provider timed out for " + key);
    }
    Results.record("flaky " + key + " succeeded");
  }
}
