package dev.bgtask.e2e.app;

import dev.bgtask.Background;

public final class Doomed {

  private Doomed() {}

  @Background(maxAttempts = 2)
  public static void importFeed(String feed) {
    Results.record("doomed " + feed + " attempt");
    throw new IllegalStateException("feed " + feed + " is malformed");
  }

  @Background(maxAttempts = 1, queue = "imports")
  public static void importOnce(String feed) {
    Results.record("doomed " + feed + " attempt");
    throw new IllegalStateException("feed " + feed + " is malformed");
  }

  /** Would take a minute; its own limit is 1 s. */
  @Background(maxRunTime = 1, maxAttempts = 1)
  public static void slowReport() throws InterruptedException {
    Results.record("slow report started");
    Thread.sleep(60_000);
    Results.record("slow report finished?!");
  }

  /** Would take a minute; only the global maxRunTime limits it. */
  @Background(maxAttempts = 1)
  public static void slowExport() throws InterruptedException {
    Results.record("slow export started");
    Thread.sleep(60_000);
  }
}
